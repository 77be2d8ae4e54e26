"""The committed catalogue vectors pin every exact scheme and layer expansion of this spec version;
tolerance-tier schemes agree with their recorded values to the recorded tolerance."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import build_plan
from tensorseed.recipe.schemes import CANONICAL, SCHEMES
from tensorseed.stream import SPEC_VERSIONS
from tensorseed.stream.dtypes import decode_to_float64
from tests.support import BACKEND, file_bytes

DOCS = {
    spec: json.loads(
        (Path(__file__).parent / "vectors" / ("catalogue-" + spec.replace("/", "-") + ".json")).read_text(
            encoding="utf-8"
        )
    )
    for spec in SPEC_VERSIONS
}
EXACT = [(spec, case) for spec, doc in DOCS.items() for case in doc["cases"]]
TOLERANCE = [(spec, case) for spec, doc in DOCS.items() for case in doc["tolerance_cases"]]


def pinned(recipe: dict[str, Any], spec: str) -> dict[str, Any]:
    """Each file's recipes name no version: they mean the file's (v1's with the field added)."""
    return {**recipe, "spec": spec}


@pytest.mark.parametrize(("spec", "case"), EXACT, ids=[f"{s}:{c['name']}" for s, c in EXACT])
def test_exact_vector(spec: str, case: dict[str, Any]) -> None:
    assert DOCS[spec]["spec_version"] == spec and "spec" not in case["recipe"]
    recipe = pinned(case["recipe"], spec)
    plan = build_plan(Recipe.model_validate(recipe))
    assert {t.name for t in plan.tensors} == set(case["tensors"])
    for t in plan.tensors:
        expected = case["tensors"][t.name]
        raw = BACKEND.fill(t, 0, t.numel)
        assert raw[: len(expected["first_bytes_hex"]) // 2].hex() == expected["first_bytes_hex"], t.name
        assert hashlib.sha256(raw).hexdigest() == expected["sha256"], t.name
    data = file_bytes(recipe)
    assert len(data) == case["file_size"]
    assert hashlib.sha256(data).hexdigest() == case["file_sha256"]


@pytest.mark.parametrize(("spec", "case"), TOLERANCE, ids=[f"{s}:{c['name']}" for s, c in TOLERANCE])
def test_tolerance_vector(spec: str, case: dict[str, Any]) -> None:
    t = build_plan(Recipe.model_validate(pinned(case["recipe"], spec))).tensors[0]
    got = decode_to_float64(BACKEND.fill(t, 0, t.numel), t.dtype)
    assert np.abs(got - np.array(case["values"])).max() <= case["atol"]


@pytest.mark.parametrize("spec", SPEC_VERSIONS)
def test_catalogue_vectors_cover_every_scheme_outside_the_foundation_set(spec: str) -> None:
    foundation = {"zeros", "ones", "constant", "uniform", "normal", "trunc_normal", "xavier_uniform",
                  "xavier_normal", "kaiming_uniform", "kaiming_normal", "fan_in_uniform"}  # fmt: skip
    doc = DOCS[spec]
    recipes = [c["recipe"] for c in doc["cases"] + doc["tolerance_cases"]]
    used = {CANONICAL[t["init"]["scheme"]] for r in recipes for t in r.get("tensors", [])}
    assert set(SCHEMES) - foundation <= used
    layer_types = {(r["convention"], layer["type"]) for r in recipes for layer in r.get("layers", [])}
    assert {t for c, t in layer_types if c == "torch"} == {t for c, t in layer_types}
    assert {c for c, _ in layer_types} == {"torch", "keras", "flax"}

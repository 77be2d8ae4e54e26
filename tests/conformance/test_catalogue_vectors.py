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
from tensorseed.stream import SPEC_VERSION
from tensorseed.stream.dtypes import decode_to_float64
from tests.support import BACKEND, file_bytes

VECTORS = Path(__file__).parent / "vectors" / ("catalogue-" + SPEC_VERSION.replace("/", "-") + ".json")
DOC = json.loads(VECTORS.read_text(encoding="utf-8"))


def test_catalogue_vectors_are_for_this_spec_version() -> None:
    assert DOC["spec_version"] == SPEC_VERSION


@pytest.mark.parametrize("case", DOC["cases"], ids=[c["name"] for c in DOC["cases"]])
def test_exact_vector(case: dict[str, Any]) -> None:
    plan = build_plan(Recipe.model_validate(case["recipe"]))
    assert {t.name for t in plan.tensors} == set(case["tensors"])
    for t in plan.tensors:
        expected = case["tensors"][t.name]
        raw = BACKEND.fill(t, 0, t.numel)
        assert raw[: len(expected["first_bytes_hex"]) // 2].hex() == expected["first_bytes_hex"], t.name
        assert hashlib.sha256(raw).hexdigest() == expected["sha256"], t.name
    data = file_bytes(case["recipe"])
    assert len(data) == case["file_size"]
    assert hashlib.sha256(data).hexdigest() == case["file_sha256"]


@pytest.mark.parametrize("case", DOC["tolerance_cases"], ids=[c["name"] for c in DOC["tolerance_cases"]])
def test_tolerance_vector(case: dict[str, Any]) -> None:
    t = build_plan(Recipe.model_validate(case["recipe"])).tensors[0]
    got = decode_to_float64(BACKEND.fill(t, 0, t.numel), t.dtype)
    assert np.abs(got - np.array(case["values"])).max() <= case["atol"]


def test_catalogue_vectors_cover_every_scheme_outside_the_foundation_set() -> None:
    foundation = {"zeros", "ones", "constant", "uniform", "normal", "trunc_normal", "xavier_uniform",
                  "xavier_normal", "kaiming_uniform", "kaiming_normal", "fan_in_uniform"}  # fmt: skip
    recipes = [c["recipe"] for c in DOC["cases"] + DOC["tolerance_cases"]]
    used = {CANONICAL[t["init"]["scheme"]] for r in recipes for t in r.get("tensors", [])}
    assert set(SCHEMES) - foundation <= used
    layer_types = {(r["convention"], layer["type"]) for r in recipes for layer in r.get("layers", [])}
    assert {t for c, t in layer_types if c == "torch"} == {t for c, t in layer_types}
    assert {c for c, _ in layer_types} == {"torch", "keras", "flax"}

"""The committed conformance vectors pin every byte of the current spec version."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import build_plan
from tensorseed.stream import SPEC_VERSION
from tests.support import BACKEND, file_bytes

VECTOR_DIR = Path(__file__).parent / "vectors"
VECTORS = VECTOR_DIR / (SPEC_VERSION.replace("/", "-") + ".json")
DOC = json.loads(VECTORS.read_text(encoding="utf-8"))
#: The catalogue's vectors (scripts/make_catalogue_vectors.py), same format, checked by its own tests.
CATALOGUE = json.loads((VECTOR_DIR / ("catalogue-" + VECTORS.name)).read_text(encoding="utf-8"))


def test_vectors_are_for_this_spec_version() -> None:
    assert DOC["spec_version"] == SPEC_VERSION


@pytest.mark.parametrize("case", DOC["cases"], ids=[c["name"] for c in DOC["cases"]])
def test_vector(case: dict[str, Any]) -> None:
    plan = build_plan(Recipe.model_validate(case["recipe"]))
    assert {t.name for t in plan.tensors} == set(case["tensors"])
    for t in plan.tensors:
        expected = case["tensors"][t.name]
        raw = BACKEND.fill(t, 0, t.numel)
        assert raw[: len(bytes.fromhex(expected["first_bytes_hex"]))].hex() == expected["first_bytes_hex"], (
            t.name
        )
        assert hashlib.sha256(raw).hexdigest() == expected["sha256"], t.name
    data = file_bytes(case["recipe"])
    assert len(data) == case["file_size"]
    assert hashlib.sha256(data).hexdigest() == case["file_sha256"]


def test_vectors_cover_every_exact_scheme_and_dtype() -> None:
    from tensorseed.recipe.schemes import SCHEMES

    cases = DOC["cases"] + CATALOGUE["cases"]
    used = {t["init"]["scheme"] for c in cases for t in c["recipe"].get("tensors", [])}
    exact = {name for name, info in SCHEMES.items() if info.tier == "exact"}
    assert exact <= used, sorted(exact - used)
    assert {c["recipe"]["dtype"] for c in DOC["cases"]} == {"float32", "float64", "float16", "bfloat16"}

"""The committed conformance vectors pin every byte of each spec version, forever.

tensorseed-stream/1's files hold recipes from before the ``spec`` field: each is checked as
written *with* ``"spec": "tensorseed-stream/1"`` added (what a user pins today), and must give
the committed bytes, header included. tensorseed-stream/2's recipes mean v2 without the field.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import build_plan
from tensorseed.recipe.schemes import SCHEMES
from tensorseed.stream import SPEC_V1, SPEC_VERSIONS
from tests.support import BACKEND, file_bytes

VECTOR_DIR = Path(__file__).parent / "vectors"


def load(spec: str, catalogue: bool = False) -> dict[str, Any]:
    name = ("catalogue-" if catalogue else "") + spec.replace("/", "-") + ".json"
    doc: dict[str, Any] = json.loads((VECTOR_DIR / name).read_text(encoding="utf-8"))
    return doc


DOCS = {spec: load(spec) for spec in SPEC_VERSIONS}
#: The catalogue's vectors (scripts/make_catalogue_vectors.py), same format, checked by its own tests.
CATALOGUES = {spec: load(spec, catalogue=True) for spec in SPEC_VERSIONS}
CASES = [(spec, case) for spec, doc in DOCS.items() for case in doc["cases"]]


def pinned(recipe: dict[str, Any], file_spec: str) -> dict[str, Any]:
    """The recipe with its version written out: the one it names, else its file's."""
    return {**recipe, "spec": recipe.get("spec", file_spec)}


@pytest.mark.parametrize("spec", SPEC_VERSIONS)
def test_vector_files_name_their_version(spec: str) -> None:
    assert DOCS[spec]["spec_version"] == spec
    assert CATALOGUES[spec]["spec_version"] == spec


def test_v1_recipes_name_no_version() -> None:
    # They were written before the field existed; their canonical recipes must not gain it.
    for doc in (DOCS[SPEC_V1], CATALOGUES[SPEC_V1]):
        assert not any("spec" in case["recipe"] for case in doc["cases"])


@pytest.mark.parametrize(("spec", "case"), CASES, ids=[f"{s}:{c['name']}" for s, c in CASES])
def test_vector(spec: str, case: dict[str, Any]) -> None:
    recipe = pinned(case["recipe"], spec)
    plan = build_plan(Recipe.model_validate(recipe))
    assert plan.spec == recipe["spec"]
    assert {t.name for t in plan.tensors} == set(case["tensors"])
    for t in plan.tensors:
        expected = case["tensors"][t.name]
        raw = BACKEND.fill(t, 0, t.numel)
        assert raw[: len(bytes.fromhex(expected["first_bytes_hex"]))].hex() == expected["first_bytes_hex"], (
            t.name
        )
        assert hashlib.sha256(raw).hexdigest() == expected["sha256"], t.name
    data = file_bytes(recipe)
    assert len(data) == case["file_size"]
    assert hashlib.sha256(data).hexdigest() == case["file_sha256"]
    if "spec" not in case["recipe"] and spec != SPEC_V1:
        # Leaving the version out means the current one: the same file.
        assert file_bytes(case["recipe"]) == data


def test_pinning_v1_in_the_v2_file_gives_the_v1_file() -> None:
    v1 = {c["name"]: c for c in DOCS[SPEC_V1]["cases"]}
    pinned_cases = [c for c in DOCS["tensorseed-stream/2"]["cases"] if c["name"].startswith("v1-pinned-")]
    assert pinned_cases
    for case in pinned_cases:
        assert case["file_sha256"] == v1[case["name"].removeprefix("v1-pinned-")]["file_sha256"]


@pytest.mark.parametrize("spec", SPEC_VERSIONS)
def test_vectors_cover_every_exact_scheme_and_dtype(spec: str) -> None:
    cases = DOCS[spec]["cases"] + CATALOGUES[spec]["cases"]
    used = {t["init"]["scheme"] for c in cases for t in c["recipe"].get("tensors", [])}
    exact = {name for name, info in SCHEMES.items() if info.tier == "exact"}
    assert exact <= used, sorted(exact - used)
    assert {c["recipe"]["dtype"] for c in DOCS[spec]["cases"]} == {
        "float32",
        "float64",
        "float16",
        "bfloat16",
    }


def test_the_versions_differ() -> None:
    # Same recipes, other bytes: v2 is a new stream (new keys, binary32 samplers).
    v1 = {c["name"]: c["file_sha256"] for c in DOCS[SPEC_V1]["cases"]}
    v2 = {c["name"]: c["file_sha256"] for c in DOCS["tensorseed-stream/2"]["cases"]}
    shared = set(v1) & set(v2)
    assert len(shared) == len(v1)
    assert all(v1[name] != v2[name] for name in shared)

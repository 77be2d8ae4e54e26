"""The committed vectors and the built-in golden recipes through both ports (and the reference),
under every stream version each port declares."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import build_plan
from tensorseed.stream import SPEC_VERSIONS
from tests.conformance.golden import golden_recipes, load_vectors
from tests.conformance.ports import (
    TOLERANCE_SCHEMES,
    BatchPort,
    Case,
    case,
    compare,
    reference,
    refusal_expected,
    run_cli,
    tensors_of,
)

GOLDEN = golden_recipes()
VECTORS = load_vectors()


@pytest.mark.parametrize("spec", SPEC_VERSIONS)
@pytest.mark.parametrize(
    "recipe", GOLDEN, ids=[f"{r['tensors'][0]['init']['scheme']}-{r['dtype']}" for r in GOLDEN]
)
def test_golden_recipe_agrees(recipe: dict[str, Any], spec: str, batch_ports: dict[str, BatchPort]) -> None:
    expected = compare(case(json.dumps(recipe), spec), batch_ports)
    assert expected.ok, expected.error


def exact_part(c: Case) -> tuple[Case, set[str]]:
    """The case with every tolerance-tier tensor (orthogonal QR, layer defaults included)
    overridden by ``zeros``, and those tensors' names: every other tensor keeps its bytes, since a
    tensor's stream depends only on the seed, its name and its own init (section 3)."""
    data = json.loads(c.text)
    plan = build_plan(Recipe.model_validate(data))
    replaced = {t.name for t in plan.tensors if t.scheme in TOLERANCE_SCHEMES}
    for name in replaced:
        layers = [layer for layer in data.get("layers", []) if name.startswith(layer["name"] + ".")]
        if layers:
            layer = max(layers, key=lambda item: len(item["name"]))
            layer["init"] = {**(layer.get("init") or {}), name[len(layer["name"]) + 1 :]: {"scheme": "zeros"}}
        else:
            for tensor in data.get("tensors", []):
                if tensor["name"] == name:
                    tensor["init"] = {"scheme": "zeros"}
    bare = {k: v for k, v in data.items() if k != "spec"}
    text = json.dumps(data, ensure_ascii=False)
    return Case(text, c.spec, json.dumps(bare, ensure_ascii=False) if c.bare is not None else None), replaced


@pytest.mark.parametrize(
    "vector",
    [pytest.param(v, id=v["id"]) for v in VECTORS]
    or [
        pytest.param(
            None, marks=pytest.mark.skip(reason="no tests/conformance/vectors/*.json on this branch")
        )
    ],
)
def test_committed_vector(
    vector: dict[str, Any], commands: dict[str, list[str]], batch_ports: dict[str, BatchPort]
) -> None:
    # v1's files hold recipes from before the spec field: they are given with it written (and
    # bare to a port from before v2); v2's recipes mean v2 as written.
    c: Case = vector["case"]
    expected_file = vector["file_sha256"]
    # The vectors must still be what the reference generates (else they are stale).
    if expected_file:
        assert reference(c.text).sha256 == expected_file
    given = {name: port.text_for(c) for name, port in batch_ports.items()}
    outputs = {name: run_cli(commands[name], t.encode()) for name, t in given.items() if t is not None}
    if not outputs:
        pytest.skip(f"no port declares {c.spec} (test_coverage fails for that)")
    refusal = refusal_expected(c.text)
    skip: set[str] = set()
    if refusal is not None:
        # e.g. Keras/Flax recurrent layers, whose recurrent kernels default to orthogonal (QR):
        # the ports refuse them loudly rather than produce other bytes; every other tensor of the
        # vector is then checked with those kernels overridden.
        for name, out in outputs.items():
            assert out.returncode != 0 and not out.stdout, f"{name} produced bytes for a {refusal} recipe"
            assert refusal in out.stderr.decode(errors="replace"), f"{name}: {out.stderr!r}"
        if refusal != "tolerance":
            return
        exact, skip = exact_part(c)
        expected_file = ""
        given = {name: batch_ports[name].text_for(exact) for name in outputs}
        outputs = {name: run_cli(commands[name], t.encode()) for name, t in given.items() if t is not None}
    for name, out in outputs.items():
        assert out.returncode == 0, f"{name}: {out.stderr.decode(errors='replace')}"
        if expected_file:
            assert hashlib.sha256(out.stdout).hexdigest() == expected_file, f"{name}: whole file differs"
        tensors = tensors_of(out.stdout)
        checked = set(vector["tensors"]) - skip
        assert checked, "a vector without an exact tensor checks nothing"
        for tensor_name in checked:
            got = hashlib.sha256(tensors[tensor_name][1]).hexdigest()
            assert got == vector["tensors"][tensor_name], f"{name}: tensor {tensor_name!r} differs"

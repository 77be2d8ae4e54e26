"""The committed vectors and the built-in golden recipes through both ports (and the reference)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from tests.conformance.golden import golden_recipes, port_vectors
from tests.conformance.ports import BatchPort, reference, refusal_expected, run_cli, tensors_of

GOLDEN = golden_recipes()
VECTORS = port_vectors()


@pytest.mark.parametrize(
    "recipe", GOLDEN, ids=[f"{r['tensors'][0]['init']['scheme']}-{r['dtype']}" for r in GOLDEN]
)
def test_golden_recipe_agrees(recipe: dict[str, Any], batch_ports: dict[str, BatchPort]) -> None:
    text = json.dumps(recipe)
    expected = reference(text)
    assert expected.ok, expected.error
    for name, port in batch_ports.items():
        got = port.run(text)
        assert got.same_as(expected), f"{name}: {got} != reference {expected}"


@pytest.mark.parametrize(
    "vector",
    [pytest.param(v, id=v["id"]) for v in VECTORS]
    or [
        pytest.param(
            None, marks=pytest.mark.skip(reason="no tests/conformance/vectors/*.json on this branch")
        )
    ],
)
def test_committed_vector(vector: dict[str, Any], commands: dict[str, list[str]]) -> None:
    text = vector["recipe_text"]
    expected_file = vector["file_sha256"]
    outputs = {name: run_cli(cmd, text.encode()) for name, cmd in commands.items()}
    refusal = refusal_expected(text)
    if refusal is not None:
        # e.g. Keras/Flax recurrent layers, whose recurrent kernels default to orthogonal (QR):
        # the ports refuse them loudly rather than produce other bytes.
        for name, out in outputs.items():
            assert out.returncode != 0 and not out.stdout, f"{name} produced bytes for a {refusal} recipe"
            assert refusal in out.stderr.decode(errors="replace"), f"{name}: {out.stderr!r}"
        assert reference(text).sha256 == expected_file
        return
    for name, out in outputs.items():
        assert out.returncode == 0, f"{name}: {out.stderr.decode(errors='replace')}"
        if expected_file:
            assert hashlib.sha256(out.stdout).hexdigest() == expected_file, f"{name}: whole file differs"
        tensors = tensors_of(out.stdout)
        for tensor_name, sha in vector["tensors"].items():
            got = hashlib.sha256(tensors[tensor_name][1]).hexdigest()
            assert got == sha, f"{name}: tensor {tensor_name!r} differs"
    # The vectors must still be what the reference generates (else they are stale).
    if expected_file:
        assert reference(text).sha256 == expected_file

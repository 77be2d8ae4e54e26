"""Every layer type, in every convention, exported to each of torch, Keras and Flax and loaded into
the real library, computes the same outputs on the same input: names, shapes and the documented
permutations are all right, or some library's output differs (or its strict load refuses)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.frameworks.libraries import CASES, Case, output

LIBRARIES = ("torch", "keras", "flax")
PAIRS = [(case, convention) for case in CASES for convention in case.conventions]


def assert_close(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any], what: str) -> None:
    """float32 round-off: relative 1e-5 of the output's scale."""
    assert a.shape == b.shape, what
    scale = max(float(np.abs(b).max()), 1e-30)
    assert float(np.abs(a - b).max()) <= 1e-5 * scale, (
        f"{what}: max diff {np.abs(a - b).max()} (scale {scale})"
    )


@pytest.mark.parametrize(("case", "convention"), PAIRS, ids=[f"{c.id}-{v}" for c, v in PAIRS])
def test_exported_layer_gives_the_same_outputs_in_each_library(case: Case, convention: str) -> None:
    outputs = {lib: output(case, lib, convention) for lib in LIBRARIES}
    reference = outputs["torch"]
    assert np.abs(reference).max() > 0
    for lib in ("keras", "flax"):
        assert_close(outputs[lib], reference, f"{case.id} ({convention} convention) in {lib} vs torch")

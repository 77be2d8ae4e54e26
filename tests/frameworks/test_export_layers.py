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


def _nnx_modules() -> dict[str, Any]:
    from flax import nnx

    r = nnx.Rngs(0)
    return {
        "linear": lambda: nnx.Linear(6, 4, rngs=r),
        "conv2d": lambda: nnx.Conv(4, 8, (3, 2), padding="VALID", rngs=r),
        "conv2d-g2": lambda: nnx.Conv(4, 8, (3, 2), padding="VALID", feature_group_count=2, rngs=r),
        "conv_transpose2d": lambda: nnx.ConvTranspose(5, 3, (3, 2), strides=(2, 2), padding="VALID", rngs=r),
        "embedding": lambda: nnx.Embed(10, 4, rngs=r),
        "layer_norm": lambda: nnx.LayerNorm(6, epsilon=1e-5, rngs=r),
        "rms_norm": lambda: nnx.RMSNorm(6, epsilon=1e-6, rngs=r),
        "batch_norm2d": lambda: nnx.BatchNorm(3, use_running_average=True, epsilon=1e-5, rngs=r),
        "group_norm": lambda: nnx.GroupNorm(4, num_groups=2, epsilon=1e-5, rngs=r),
        "multihead_attention": lambda: nnx.MultiHeadAttention(2, 8, 8, decode=False, rngs=r),
        "prelu": lambda: nnx.PReLU(),
    }


NNX = ["linear", "conv2d", "conv2d-g2", "conv_transpose2d", "embedding", "layer_norm", "rms_norm",
       "batch_norm2d", "group_norm", "multihead_attention", "prelu"]  # fmt: skip


@pytest.mark.parametrize("case_id", NNX)
def test_flax_nnx_modules_load_every_layer_type(case_id: str) -> None:
    from flax import nnx

    import tensorseed.flax
    from tests.frameworks.libraries import _keras_input, recipe, to_torch_layout
    from tests.support import file_bytes

    case = next(c for c in CASES if c.id == case_id)

    class Holder(nnx.Module):
        def __init__(self) -> None:
            self.m = _nnx_modules()[case_id]()

    holder = Holder()
    tensorseed.flax.load_nnx(holder, file_bytes(recipe(case, "torch", "flax")))
    x = _keras_input(case)
    y = holder.m(*x) if case.call == "attention" else holder.m(x)
    assert_close(to_torch_layout(case, np.asarray(y)), output(case, "torch", "torch"), f"nnx {case_id}")

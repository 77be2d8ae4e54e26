"""The kernel's fast path for exported (transposed) tensors gives the reference's bytes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from tensorseed.engine.backend import KernelBackend, ReferenceBackend
from tensorseed.engine.gather import boxes, permuted_fill
from tests.kernel_required import require_kernel
from tests.support import plan_of


@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4), (4, 1, 3, 2)])
def test_boxes_cover_a_flat_range_in_order(shape: tuple[int, ...]) -> None:
    total = math.prod(shape)
    for start in range(total + 1):
        for stop in range(start, total + 1):
            covered = [
                np.ravel_multi_index(tuple(f + i for f, i in zip(first, idx, strict=True)), shape)
                for first, ext in boxes(start, stop, shape)
                for idx in np.ndindex(*ext)
            ]
            assert covered == list(range(start, stop))


LAYERS: list[tuple[dict[str, Any], str, str]] = [
    ({"type": "linear", "in_features": 37, "out_features": 23}, "torch", "flax"),
    ({"type": "linear", "in_features": 37, "out_features": 23}, "keras", "torch"),
    ({"type": "conv2d", "in_channels": 6, "out_channels": 10, "kernel_size": [3, 2], "groups": 2}, "torch", "keras"),
    ({"type": "conv3d", "in_channels": 3, "out_channels": 5, "kernel_size": 2}, "flax", "torch"),
    ({"type": "conv1d", "in_channels": 4, "out_channels": 12, "kernel_size": 3, "depthwise": True}, "torch", "keras"),
    ({"type": "conv_transpose2d", "in_channels": 3, "out_channels": 5, "kernel_size": 3}, "torch", "keras"),
    ({"type": "multihead_attention", "embed_dim": 12, "num_heads": 3, "kdim": 5, "vdim": 7}, "torch", "flax"),
    ({"type": "gru", "input_size": 7, "hidden_size": 6}, "keras", "torch"),
]  # fmt: skip


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
@pytest.mark.parametrize(
    ("layer", "convention", "target"), LAYERS, ids=[f"{s['type']}-{c}-{t}" for s, c, t in LAYERS]
)
def test_permuted_fill_equals_the_reference(
    layer: dict[str, Any], convention: str, target: str, dtype: str
) -> None:
    require_kernel()
    plan = plan_of({"seed": 5, "dtype": dtype, "convention": convention, "export": target,
                    "layers": [{**layer, "name": "m"}]})  # fmt: skip
    reference, fast = ReferenceBackend(), KernelBackend(2)
    rng = np.random.default_rng(1)
    used = 0
    for tensor in plan.tensors:
        used += permuted_fill(tensor, 0, tensor.numel) is not None
        assert fast.fill(tensor, 0, tensor.numel) == reference.fill(tensor, 0, tensor.numel), tensor.name
        for _ in range(20):
            a, b = sorted(int(v) for v in rng.integers(0, tensor.numel + 1, 2))
            assert fast.fill(tensor, a, b - a) == reference.fill(tensor, a, b - a), (tensor.name, a, b)
    # The kernels are permutations (fast path); the GRU's reordered gates are concatenations.
    assert (used >= 1) == (layer["type"] != "gru")

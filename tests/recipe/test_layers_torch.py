"""Each layer type expands to exactly torch's state_dict names and shapes, within torch's bounds."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch
from safetensors.torch import load as load_torch
from torch import nn

from tests.support import file_bytes

LAYERS: list[tuple[dict[str, Any], nn.Module]] = [
    ({"type": "linear", "in_features": 37, "out_features": 11}, nn.Linear(37, 11)),
    ({"type": "linear", "in_features": 5, "out_features": 3, "bias": False}, nn.Linear(5, 3, bias=False)),
    ({"type": "conv1d", "in_channels": 6, "out_channels": 4, "kernel_size": 5}, nn.Conv1d(6, 4, 5)),
    (
        {"type": "conv2d", "in_channels": 6, "out_channels": 9, "kernel_size": [3, 2], "groups": 3},
        nn.Conv2d(6, 9, (3, 2), groups=3),
    ),
    (
        {"type": "conv2d", "in_channels": 8, "out_channels": 8, "kernel_size": 3, "groups": 8, "bias": False},
        nn.Conv2d(8, 8, 3, groups=8, bias=False),
    ),
    (
        {"type": "conv3d", "in_channels": 2, "out_channels": 3, "kernel_size": [1, 2, 3]},
        nn.Conv3d(2, 3, (1, 2, 3)),
    ),
    ({"type": "embedding", "num_embeddings": 50, "embedding_dim": 7}, nn.Embedding(50, 7)),
    (
        {"type": "embedding", "num_embeddings": 20, "embedding_dim": 4, "padding_idx": -2},
        nn.Embedding(20, 4, padding_idx=-2),
    ),
]


def torch_bound(module: nn.Module, param: str) -> float | None:
    """The bound torch itself uses in reset_parameters (None for unbounded inits)."""
    if isinstance(module, nn.Embedding):
        return None
    weight = module.weight
    fan_in, _ = nn.init._calculate_fan_in_and_fan_out(weight)
    if param == "weight":
        gain = nn.init.calculate_gain("leaky_relu", math.sqrt(5))
        return math.sqrt(3.0) * gain / math.sqrt(fan_in)
    return 1 / math.sqrt(fan_in)


@pytest.mark.parametrize("dtype", ["float32", "float64", "bfloat16", "float16"])
@pytest.mark.parametrize(
    ("layer", "module"), LAYERS, ids=[f"{spec['type']}-{i}" for i, (spec, _) in enumerate(LAYERS)]
)
def test_names_shapes_dtypes_and_bounds_match_torch(
    layer: dict[str, Any], module: nn.Module, dtype: str
) -> None:
    loaded = load_torch(file_bytes({"seed": 3, "dtype": dtype, "layers": [{**layer, "name": "m"}]}))
    expected = {f"m.{k}": v for k, v in module.state_dict().items()}
    assert sorted(loaded) == sorted(expected)
    for name, tensor in loaded.items():
        assert tensor.shape == expected[name].shape
        assert tensor.dtype == getattr(torch, dtype)
        param = name.split(".", 1)[1]
        bound = torch_bound(module, param)
        if bound is not None:
            # Values are rounded from binary64 to the dtype; allow that one rounding step.
            slack = {"float64": 0, "float32": 2**-24, "float16": 2**-11, "bfloat16": 2**-8}[dtype]
            assert tensor.double().abs().max().item() <= bound * (1 + slack)
            if tensor.numel() >= 64:  # a real draw fills its range (tiny biases may not)
                assert tensor.double().abs().max().item() > 0.5 * bound


def test_embedding_padding_row_is_zero_and_other_rows_unchanged() -> None:
    base = {"type": "embedding", "name": "e", "num_embeddings": 30, "embedding_dim": 5}
    plain = load_torch(file_bytes({"seed": 9, "layers": [base]}))["e.weight"]
    padded = load_torch(file_bytes({"seed": 9, "layers": [{**base, "padding_idx": 4}]}))["e.weight"]
    assert torch.all(padded[4] == 0)
    keep = np.r_[0:4, 5:30]
    assert torch.equal(padded[keep], plain[keep])


def test_state_dict_loads_into_the_torch_module_strictly() -> None:
    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.Linear(8, 4))
    recipe = {
        "seed": 1,
        "layers": [
            {"type": "conv2d", "name": "0", "in_channels": 3, "out_channels": 8, "kernel_size": 3},
            {"type": "linear", "name": "2", "in_features": 8, "out_features": 4},
        ],
    }
    model.load_state_dict(load_torch(file_bytes(recipe)), strict=True)

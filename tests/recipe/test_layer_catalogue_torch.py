"""Torch convention: every layer type's tensors equal torch's state_dict() (names, shapes, dtypes),
load into the module with strict=True, and follow the module's own reset_parameters."""

from __future__ import annotations

import math
from typing import Any

import pytest
import torch
from safetensors.torch import load as load_torch
from torch import nn

from tests.support import file_bytes

LAYERS: list[tuple[dict[str, Any], nn.Module]] = [
    ({"type": "linear", "in_features": 37, "out_features": 11}, nn.Linear(37, 11)),
    ({"type": "bilinear", "in1_features": 30, "in2_features": 5, "out_features": 40}, nn.Bilinear(30, 5, 40)),
    ({"type": "bilinear", "in1_features": 3, "in2_features": 4, "out_features": 2, "bias": False},
     nn.Bilinear(3, 4, 2, bias=False)),
    ({"type": "conv1d", "in_channels": 6, "out_channels": 4, "kernel_size": 5}, nn.Conv1d(6, 4, 5)),
    ({"type": "conv2d", "in_channels": 6, "out_channels": 9, "kernel_size": [3, 2], "groups": 3},
     nn.Conv2d(6, 9, (3, 2), groups=3)),
    ({"type": "conv2d", "in_channels": 8, "out_channels": 16, "kernel_size": 3, "depthwise": True},
     nn.Conv2d(8, 16, 3, groups=8)),
    ({"type": "conv3d", "in_channels": 2, "out_channels": 3, "kernel_size": [1, 2, 3], "bias": False},
     nn.Conv3d(2, 3, (1, 2, 3), bias=False)),
    ({"type": "conv_transpose1d", "in_channels": 6, "out_channels": 4, "kernel_size": 3},
     nn.ConvTranspose1d(6, 4, 3)),
    ({"type": "conv_transpose2d", "in_channels": 6, "out_channels": 40, "kernel_size": [3, 2], "groups": 2},
     nn.ConvTranspose2d(6, 40, (3, 2), groups=2)),
    ({"type": "conv_transpose3d", "in_channels": 4, "out_channels": 2, "kernel_size": 2},
     nn.ConvTranspose3d(4, 2, 2)),
    ({"type": "embedding", "num_embeddings": 50, "embedding_dim": 7, "padding_idx": 3},
     nn.Embedding(50, 7, padding_idx=3)),
    ({"type": "layer_norm", "normalized_shape": [3, 4]}, nn.LayerNorm([3, 4])),
    ({"type": "layer_norm", "normalized_shape": 5, "bias": False}, nn.LayerNorm(5, bias=False)),
    ({"type": "layer_norm", "normalized_shape": 5, "elementwise_affine": False},
     nn.LayerNorm(5, elementwise_affine=False)),
    ({"type": "rms_norm", "normalized_shape": [2, 6]}, nn.RMSNorm([2, 6])),
    ({"type": "batch_norm1d", "num_features": 7}, nn.BatchNorm1d(7)),
    ({"type": "batch_norm2d", "num_features": 3, "affine": False}, nn.BatchNorm2d(3, affine=False)),
    ({"type": "batch_norm3d", "num_features": 4, "track_running_stats": False},
     nn.BatchNorm3d(4, track_running_stats=False)),
    ({"type": "group_norm", "num_groups": 3, "num_channels": 6}, nn.GroupNorm(3, 6)),
    ({"type": "group_norm", "num_groups": 2, "num_channels": 4, "affine": False},
     nn.GroupNorm(2, 4, affine=False)),
    ({"type": "rnn", "input_size": 20, "hidden_size": 30, "num_layers": 2}, nn.RNN(20, 30, 2)),
    ({"type": "lstm", "input_size": 3, "hidden_size": 50, "num_layers": 2, "bidirectional": True,
      "proj_size": 4}, nn.LSTM(3, 50, 2, bidirectional=True, proj_size=4)),
    ({"type": "lstm", "input_size": 3, "hidden_size": 5, "bias": False}, nn.LSTM(3, 5, bias=False)),
    ({"type": "gru", "input_size": 6, "hidden_size": 40, "num_layers": 3, "bidirectional": True},
     nn.GRU(6, 40, 3, bidirectional=True)),
    ({"type": "multihead_attention", "embed_dim": 32, "num_heads": 4}, nn.MultiheadAttention(32, 4)),
    ({"type": "multihead_attention", "embed_dim": 32, "num_heads": 2, "kdim": 12, "vdim": 20,
      "add_bias_kv": True}, nn.MultiheadAttention(32, 2, kdim=12, vdim=20, add_bias_kv=True)),
    ({"type": "multihead_attention", "embed_dim": 8, "num_heads": 2, "bias": False},
     nn.MultiheadAttention(8, 2, bias=False)),
    ({"type": "prelu"}, nn.PReLU()),
    ({"type": "prelu", "num_parameters": 6, "init_value": 0.1}, nn.PReLU(6, init=0.1)),
]  # fmt: skip
IDS = [f"{spec['type']}-{i}" for i, (spec, _) in enumerate(LAYERS)]


def generated(layer: dict[str, Any], dtype: str = "float32", seed: int = 5) -> dict[str, torch.Tensor]:
    data = load_torch(file_bytes({"seed": seed, "dtype": dtype, "layers": [{**layer, "name": "m"}]}))
    return {k.removeprefix("m."): v for k, v in data.items()}


def uniform_bound(module: nn.Module, name: str, param: torch.Tensor) -> float | None:
    """The bound torch's own reset_parameters uses, by torch's formulas (None: not a uniform init)."""
    fan_in = lambda t: nn.init._calculate_fan_in_and_fan_out(t)[0]  # noqa: E731
    if isinstance(module, nn.RNNBase):
        return 1 / math.sqrt(module.hidden_size)
    if isinstance(module, nn.Bilinear):
        return 1 / math.sqrt(module.weight.size(1))
    if isinstance(module, nn.Linear | nn.modules.conv._ConvNd):
        gain = nn.init.calculate_gain("leaky_relu", math.sqrt(5))
        if name == "weight":
            return math.sqrt(3.0) * gain / math.sqrt(fan_in(module.weight))
        return 1 / math.sqrt(fan_in(module.weight))
    if isinstance(module, nn.MultiheadAttention):
        if name.endswith("proj_weight"):
            fi, fo = nn.init._calculate_fan_in_and_fan_out(param)
            return math.sqrt(6.0 / (fi + fo))
        if name == "out_proj.weight":
            gain = nn.init.calculate_gain("leaky_relu", math.sqrt(5))
            return math.sqrt(3.0) * gain / math.sqrt(fan_in(module.out_proj.weight))
    return None


@pytest.mark.parametrize(("layer", "module"), LAYERS, ids=IDS)
def test_state_dict_names_shapes_dtypes_and_strict_load(layer: dict[str, Any], module: nn.Module) -> None:
    got = generated(layer)
    expected = module.state_dict()
    assert sorted(got) == sorted(expected)
    for name, tensor in expected.items():
        assert got[name].shape == tensor.shape, name
        assert got[name].dtype == tensor.dtype, name
    module.load_state_dict(got, strict=True)


@pytest.mark.parametrize(("layer", "module"), LAYERS, ids=IDS)
def test_defaults_follow_the_modules_reset_parameters(layer: dict[str, Any], module: nn.Module) -> None:
    got = generated(layer, "float64")
    for name, theirs in module.state_dict().items():
        ours = got[name]
        bound = uniform_bound(module, name, theirs)
        constant = theirs.numel() > 1 and theirs.unique().numel() == 1
        if constant or theirs.dtype == torch.int64 or isinstance(module, nn.PReLU):
            assert torch.equal(ours.to(theirs.dtype), theirs), name  # ones, zeros, 0.25, counters
        elif bound is not None:
            assert ours.abs().max().item() <= bound, name
            assert theirs.abs().max().item() <= bound * (1 + 2**-23), name  # the formula is torch's
            if ours.numel() >= 200:
                assert ours.abs().max().item() > 0.95 * bound, name
                assert abs(ours.std().item() - bound / math.sqrt(3)) < 0.12 * bound, name
        elif isinstance(module, nn.Embedding):
            assert abs(ours.std().item() - 1.0) < 0.15
        elif name in ("bias_k", "bias_v"):  # xavier_normal_ on (1, 1, E): fan_in = fan_out = E
            assert abs(ours.std().item() - math.sqrt(2.0 / (2 * theirs.shape[-1]))) < 0.1
        else:
            pytest.fail(f"no rule for {name}")


def test_embedding_padding_row_is_zero_and_batch_norm_counter_is_int64_in_every_dtype() -> None:
    for dtype in ("float16", "bfloat16", "float64"):
        bn = generated({"type": "batch_norm2d", "num_features": 3}, dtype)
        assert bn["num_batches_tracked"].dtype == torch.int64
        assert bn["num_batches_tracked"].item() == 0
        assert bn["running_var"].dtype == getattr(torch, dtype)
    emb = generated({"type": "embedding", "num_embeddings": 9, "embedding_dim": 4, "padding_idx": -1})
    assert torch.all(emb["weight"][8] == 0) and torch.all(emb["weight"][:8] != 0)


def test_a_model_of_many_layer_types_loads_strictly() -> None:
    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 3)
            self.bn = nn.BatchNorm2d(8)
            self.up = nn.ConvTranspose2d(8, 4, 2)
            self.rnn = nn.LSTM(4, 6, batch_first=True)
            self.attn = nn.MultiheadAttention(6, 3)
            self.norm = nn.LayerNorm(6)
            self.act = nn.PReLU()

    recipe = {
        "seed": 11,
        "layers": [
            {"type": "conv2d", "name": "conv", "in_channels": 3, "out_channels": 8, "kernel_size": 3},
            {"type": "batch_norm2d", "name": "bn", "num_features": 8},
            {"type": "conv_transpose2d", "name": "up", "in_channels": 8, "out_channels": 4, "kernel_size": 2},
            {"type": "lstm", "name": "rnn", "input_size": 4, "hidden_size": 6},
            {"type": "multihead_attention", "name": "attn", "embed_dim": 6, "num_heads": 3},
            {"type": "layer_norm", "name": "norm", "normalized_shape": 6},
            {"type": "prelu", "name": "act"},
        ],
    }
    Net().load_state_dict(load_torch(file_bytes(recipe)), strict=True)


def test_int64_buffers_take_integral_constants_only() -> None:
    from tensorseed.recipe.errors import RecipeError
    from tests.support import plan_of

    bn = {"type": "batch_norm1d", "name": "bn", "num_features": 2}
    counted = {**bn, "init": {"num_batches_tracked": {"scheme": "constant", "value": 7.0}}}
    assert generated(counted)["num_batches_tracked"].item() == 7
    with pytest.raises(RecipeError, match="int64 buffer"):
        plan_of({"seed": 1, "layers": [{**bn, "init": {"num_batches_tracked": {"scheme": "normal"}}}]})

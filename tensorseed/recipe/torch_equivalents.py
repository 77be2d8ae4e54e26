"""What the user's own PyTorch code would do: layers as torch modules, schemes as nn.init calls.

Used by the torch-exact mode (``"rng": "torch"``): each layer becomes the torch module built
with the same arguments (its constructor draws the default init from torch's global generator),
then any ``init`` overrides are applied with ``torch.nn.init`` in the module's parameter order.
Raw tensors are ``torch.empty(shape)`` followed by the scheme's ``nn.init`` function.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from tensorseed.recipe import models as m
from tensorseed.recipe.errors import Loc, RecipeError
from tensorseed.recipe.fans import Fans

TORCH_DTYPES = {
    "float32": torch.float32,
    "float64": torch.float64,
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
}


def _nonlinearity(name: str) -> Any:
    # torch's calculate_gain has no "identity"; it is "linear" there. Any: torch's Literal type.
    return "linear" if name == "identity" else name


#: Schemes with a torch.nn.init equivalent (what apply_init can do).
TORCH_SCHEMES = (
    m.Zeros, m.Ones, m.ConstantInit, m.UniformInit, m.NormalInit, m.TruncNormalInit, m.XavierUniform,
    m.XavierNormal, m.KaimingUniform, m.KaimingNormal, m.FanInUniform, m.OrthogonalInit, m.SparseInit,
    m.EyeInit, m.DiracInit,
)  # fmt: skip


def check_torch_scheme(spec: m.InitBase, fans: Fans, loc: Loc) -> None:
    """Refuse at plan time what apply_init could not do at generation time."""
    if not isinstance(spec, TORCH_SCHEMES):
        raise RecipeError(loc, f"scheme {spec.scheme!r} has no torch.nn.init equivalent for rng='torch'")
    if getattr(spec, "convention", None) not in (None, "torch"):
        raise RecipeError(loc, "rng='torch' uses torch's meaning of every scheme; remove the convention")
    if isinstance(spec, m.OrthogonalInit) and spec.column_axis is not None:
        raise RecipeError(loc, "torch.nn.init.orthogonal_ has no column_axis")
    if isinstance(spec, m.EyeInit) and spec.gain != 1.0:
        raise RecipeError(loc, "torch.nn.init.eye_ has no gain")
    if isinstance(spec, m.FanInUniform) and fans.fan_in is None:
        raise RecipeError(loc, "fan_in_uniform needs fan_in (a tensor of at least 2 dimensions)")


def apply_init(spec: m.InitBase, tensor: torch.Tensor, fans: Fans, loc: Loc) -> None:
    """Apply the torch.nn.init function a user would call for this scheme, in place."""
    with torch.no_grad():
        if isinstance(spec, m.Zeros):
            nn.init.zeros_(tensor)
        elif isinstance(spec, m.Ones):
            nn.init.ones_(tensor)
        elif isinstance(spec, m.ConstantInit):
            nn.init.constant_(tensor, spec.value)
        elif isinstance(spec, m.UniformInit):  # torch's defaults where the recipe left them out
            nn.init.uniform_(tensor, 0.0 if spec.a is None else spec.a, 1.0 if spec.b is None else spec.b)
        elif isinstance(spec, m.NormalInit):
            nn.init.normal_(tensor, spec.mean, 1.0 if spec.std is None else spec.std)
        elif isinstance(spec, m.TruncNormalInit):
            nn.init.trunc_normal_(tensor, spec.mean, spec.std, spec.a, spec.b)
        elif isinstance(spec, m.XavierUniform):
            nn.init.xavier_uniform_(tensor, spec.gain)
        elif isinstance(spec, m.XavierNormal):
            nn.init.xavier_normal_(tensor, spec.gain)
        elif isinstance(spec, m.KaimingUniform):
            nn.init.kaiming_uniform_(tensor, spec.a, spec.mode, _nonlinearity(spec.nonlinearity))
        elif isinstance(spec, m.KaimingNormal):
            nn.init.kaiming_normal_(tensor, spec.a, spec.mode, _nonlinearity(spec.nonlinearity))
        elif isinstance(spec, m.FanInUniform):
            if fans.fan_in is None:
                raise RecipeError(loc, "fan_in_uniform needs fan_in (a tensor of at least 2 dimensions)")
            bound = 1 / math.sqrt(fans.fan_in)  # exactly as torch's Linear/Conv bias init
            nn.init.uniform_(tensor, -bound, bound)
        elif isinstance(spec, m.OrthogonalInit):
            nn.init.orthogonal_(tensor, spec.gain)
        elif isinstance(spec, m.SparseInit):
            nn.init.sparse_(tensor, spec.sparsity, spec.std)
        elif isinstance(spec, m.EyeInit):
            nn.init.eye_(tensor)
        elif isinstance(spec, m.DiracInit):
            nn.init.dirac_(tensor, spec.groups)
        else:
            raise RecipeError(loc, f"scheme {spec.scheme!r} has no torch.nn.init equivalent for rng='torch'")


def _kernel(size: int | list[int]) -> Any:
    return size if isinstance(size, int) else tuple(size)


def _modules(layer: m.Layer) -> Callable[[torch.dtype], nn.Module] | None:
    """The torch.nn constructor call a user would write for this layer."""
    t = layer.kind
    if isinstance(layer, m.LinearLayer):
        return lambda d: nn.Linear(layer.in_features, layer.out_features, bias=layer.bias, dtype=d)
    if isinstance(layer, m.BilinearLayer):
        return lambda d: nn.Bilinear(
            layer.in1_features, layer.in2_features, layer.out_features, bias=layer.bias, dtype=d
        )
    if isinstance(layer, m.Conv1dLayer | m.Conv2dLayer | m.Conv3dLayer):
        conv = {"conv1d": nn.Conv1d, "conv2d": nn.Conv2d, "conv3d": nn.Conv3d}[t]
        groups = layer.in_channels if layer.depthwise else layer.groups
        kernel = _kernel(layer.kernel_size)
        return lambda d: conv(
            layer.in_channels, layer.out_channels, kernel, groups=groups, bias=layer.bias, dtype=d
        )
    if isinstance(layer, m.ConvTranspose1dLayer | m.ConvTranspose2dLayer | m.ConvTranspose3dLayer):
        tconv = {"conv_transpose1d": nn.ConvTranspose1d, "conv_transpose2d": nn.ConvTranspose2d,
                 "conv_transpose3d": nn.ConvTranspose3d}[t]  # fmt: skip
        return lambda d: tconv(
            layer.in_channels,
            layer.out_channels,
            _kernel(layer.kernel_size),
            groups=layer.groups,
            bias=layer.bias,
            dtype=d,
        )
    if isinstance(layer, m.EmbeddingLayer):
        return lambda d: nn.Embedding(
            layer.num_embeddings, layer.embedding_dim, padding_idx=layer.padding_idx, dtype=d
        )
    if isinstance(layer, m.LayerNormLayer):
        shape = _shape(layer.normalized_shape)
        return lambda d: nn.LayerNorm(
            shape, elementwise_affine=layer.elementwise_affine, bias=layer.bias, dtype=d
        )
    if isinstance(layer, m.RMSNormLayer):
        shape = _shape(layer.normalized_shape)
        return lambda d: nn.RMSNorm(shape, elementwise_affine=layer.elementwise_affine, dtype=d)
    if isinstance(layer, m.BatchNormLayer):
        bn = {"batch_norm1d": nn.BatchNorm1d, "batch_norm2d": nn.BatchNorm2d, "batch_norm3d": nn.BatchNorm3d}[
            t
        ]
        return lambda d: bn(
            layer.num_features, affine=layer.affine, track_running_stats=layer.track_running_stats, dtype=d
        )
    if isinstance(layer, m.GroupNormLayer):
        return lambda d: nn.GroupNorm(layer.num_groups, layer.num_channels, affine=layer.affine, dtype=d)
    if isinstance(layer, m.RecurrentLayer):
        cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[t]
        extra: dict[str, Any] = {"proj_size": layer.proj_size} if isinstance(layer, m.LSTMLayer) else {}
        return lambda d: cls(
            layer.input_size, layer.hidden_size, num_layers=layer.num_layers, bias=layer.bias,
            bidirectional=layer.bidirectional, dtype=d, **extra,
        )  # fmt: skip
    if isinstance(layer, m.MultiheadAttentionLayer):
        return lambda d: nn.MultiheadAttention(
            layer.embed_dim, layer.num_heads, bias=layer.bias, add_bias_kv=layer.add_bias_kv,
            kdim=layer.kdim, vdim=layer.vdim, dtype=d,
        )  # fmt: skip
    if isinstance(layer, m.PReLULayer):
        return lambda d: nn.PReLU(layer.num_parameters, init=layer.init_value, dtype=d)
    return None


def _shape(normalized: int | list[int]) -> Any:
    return normalized if isinstance(normalized, int) else tuple(normalized)


def module_builder(layer: m.Layer, loc: Loc) -> Callable[[torch.dtype], nn.Module]:
    """A function that constructs the torch module for ``layer`` (drawing its default init)."""
    build = _modules(layer)
    if build is None:
        raise RecipeError(loc, f"layer type {layer.type!r} is not supported with rng='torch'")
    return build

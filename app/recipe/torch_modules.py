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

from app.recipe import models as m
from app.recipe.errors import Loc, RecipeError
from app.recipe.fans import Fans

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
    m.XavierNormal, m.KaimingUniform, m.KaimingNormal, m.FanInUniform,
)  # fmt: skip


def check_torch_scheme(spec: m.InitBase, fans: Fans, loc: Loc) -> None:
    """Refuse at plan time what apply_init could not do at generation time."""
    if not isinstance(spec, TORCH_SCHEMES):
        raise RecipeError(loc, f"scheme {spec.scheme!r} has no torch.nn.init equivalent for rng='torch'")
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
        elif isinstance(spec, m.UniformInit):
            nn.init.uniform_(tensor, spec.a, spec.b)
        elif isinstance(spec, m.NormalInit):
            nn.init.normal_(tensor, spec.mean, spec.std)
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
        else:
            raise RecipeError(loc, f"scheme {spec.scheme!r} has no torch.nn.init equivalent for rng='torch'")


def _conv_module(layer: m.Conv1dLayer | m.Conv2dLayer | m.Conv3dLayer) -> Callable[..., nn.Module]:
    cls = {"conv1d": nn.Conv1d, "conv2d": nn.Conv2d, "conv3d": nn.Conv3d}[layer.type]
    kernel: Any = layer.kernel_size if isinstance(layer.kernel_size, int) else tuple(layer.kernel_size)

    def build(dtype: torch.dtype) -> nn.Module:
        return cls(
            layer.in_channels, layer.out_channels, kernel, groups=layer.groups, bias=layer.bias, dtype=dtype
        )

    return build


def module_builder(layer: m.Layer, loc: Loc) -> Callable[[torch.dtype], nn.Module]:
    """A function that constructs the torch module for ``layer`` (drawing its default init)."""
    if isinstance(layer, m.LinearLayer):
        return lambda dtype: nn.Linear(layer.in_features, layer.out_features, bias=layer.bias, dtype=dtype)
    if isinstance(layer, m.Conv1dLayer | m.Conv2dLayer | m.Conv3dLayer):
        return _conv_module(layer)
    if isinstance(layer, m.EmbeddingLayer):
        return lambda dtype: nn.Embedding(
            layer.num_embeddings, layer.embedding_dim, padding_idx=layer.padding_idx, dtype=dtype
        )
    raise RecipeError(loc, f"layer type {layer.type!r} is not supported with rng='torch'")

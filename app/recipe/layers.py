"""Layers -> parameters: names, shapes, fans and default initialization (PyTorch's modules)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.recipe import models as m
from app.recipe.errors import Loc, RecipeError
from app.recipe.fans import Fans, torch_fans

#: torch's Linear/Conv reset_parameters: kaiming_uniform_(weight, a=math.sqrt(5)).
TORCH_WEIGHT_DEFAULT = m.KaimingUniform(scheme="kaiming_uniform", a=math.sqrt(5.0))
#: torch's Linear/Conv bias: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in of the weight.
TORCH_BIAS_DEFAULT = m.FanInUniform(scheme="fan_in_uniform")
TORCH_EMBEDDING_DEFAULT = m.NormalInit(scheme="normal", mean=0.0, std=1.0)


@dataclass(frozen=True)
class Parameter:
    """One parameter of a layer, before the recipe's overrides are applied."""

    suffix: str
    shape: tuple[int, ...]
    default: m.InitBase
    fans: Fans
    zero_row: int | None = None


def _weight_and_bias(weight_shape: tuple[int, ...], out: int, bias: bool) -> list[Parameter]:
    fans = torch_fans(weight_shape)
    params = [Parameter("weight", weight_shape, TORCH_WEIGHT_DEFAULT, fans)]
    if bias:
        # The bias shares the weight's fans: torch computes its bound from the weight.
        params.append(Parameter("bias", (out,), TORCH_BIAS_DEFAULT, fans))
    return params


def _kernel(layer: m.Conv1dLayer | m.Conv2dLayer | m.Conv3dLayer, dims: int, loc: Loc) -> tuple[int, ...]:
    if isinstance(layer.kernel_size, int):
        return (layer.kernel_size,) * dims
    if len(layer.kernel_size) != dims:
        raise RecipeError(
            (*loc, "kernel_size"),
            f"{layer.type} needs {dims} kernel sizes, got {len(layer.kernel_size)}",
        )
    return tuple(layer.kernel_size)


def layer_parameters(layer: m.Layer, loc: Loc) -> list[Parameter]:
    """The parameters torch's module would register, in its state_dict order."""
    if isinstance(layer, m.LinearLayer):
        return _weight_and_bias((layer.out_features, layer.in_features), layer.out_features, layer.bias)
    if isinstance(layer, m.Conv1dLayer | m.Conv2dLayer | m.Conv3dLayer):
        dims = int(layer.type[-2])
        for field in ("in_channels", "out_channels"):
            if getattr(layer, field) % layer.groups:
                raise RecipeError((*loc, field), f"{field} must be divisible by groups ({layer.groups})")
        shape = (layer.out_channels, layer.in_channels // layer.groups, *_kernel(layer, dims, loc))
        return _weight_and_bias(shape, layer.out_channels, layer.bias)
    if isinstance(layer, m.EmbeddingLayer):
        shape = (layer.num_embeddings, layer.embedding_dim)
        row = layer.padding_idx
        if row is not None:
            if not -layer.num_embeddings <= row < layer.num_embeddings:
                raise RecipeError(
                    (*loc, "padding_idx"),
                    f"padding_idx must be within [-{layer.num_embeddings}, {layer.num_embeddings})",
                )
            row %= layer.num_embeddings
        return [Parameter("weight", shape, TORCH_EMBEDDING_DEFAULT, torch_fans(shape), row)]
    raise AssertionError(f"unhandled layer type {type(layer).__name__}")

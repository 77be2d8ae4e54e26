"""Layers -> parameters: names, shapes, fans, layouts and default inits, in each library's convention.

* ``torch_modules``: what ``torch.nn`` modules register (names and shapes of ``state_dict()``).
* ``keras_layers``: Keras 3 weight names, channels-last kernels, ``compute_fans``.
* ``flax_modules``: Flax linen parameter names, channels-last kernels, JAX fans.

The checks every convention shares (channel divisibility, kernel sizes, heads) live here.
"""

from __future__ import annotations

from dataclasses import dataclass

from tensorseed.recipe import models as m
from tensorseed.recipe.errors import Loc, RecipeError
from tensorseed.recipe.fans import Fans, Layout
from tensorseed.stream import SPEC_VERSION
from tensorseed.stream.dtypes import DType

#: Whose names, layouts and default initializers each convention follows (checked against these
#: versions installed, in tests/frameworks). The keras convention follows Keras 3.15 from
#: tensorseed-stream/2 on; under tensorseed-stream/1 its MultiHeadAttention kernel fans are those
#: of Keras 3.0-3.14 (before Keras computed them from the einsum axes).
LIBRARY_VERSIONS = {"torch": "2.13", "keras": "3.15", "flax": "0.12 (jax 0.10)", "jax": "0.10"}


@dataclass(frozen=True)
class Parameter:
    """One parameter (or buffer) of a layer, before the recipe's overrides are applied.

    ``dtype`` is set only where a library fixes it regardless of the recipe (torch's int64
    ``num_batches_tracked``); ``layout`` tells layout-aware schemes (dirac, ZerO) where the
    channels are.
    """

    suffix: str
    shape: tuple[int, ...]
    default: m.InitBase
    fans: Fans
    zero_row: int | None = None
    dtype: DType | None = None
    layout: Layout = "torch"


def kernel_size(layer: m.ConvLayer | m.ConvTransposeLayer, loc: Loc) -> tuple[int, ...]:
    """The kernel as a tuple of the layer's rank (an int applies to every spatial axis)."""
    dims = int(layer.kind[-2])
    if isinstance(layer.kernel_size, int):
        return (layer.kernel_size,) * dims
    if len(layer.kernel_size) != dims:
        raise RecipeError(
            (*loc, "kernel_size"),
            f"{layer.kind} needs {dims} kernel sizes, got {len(layer.kernel_size)}",
        )
    return tuple(layer.kernel_size)


def conv_groups(layer: m.ConvLayer | m.ConvTransposeLayer, loc: Loc) -> int:
    """groups, after the depthwise rule (groups = in_channels) and the divisibility checks."""
    groups = layer.groups
    if isinstance(layer, m.Conv1dLayer | m.Conv2dLayer | m.Conv3dLayer) and layer.depthwise:
        if "groups" in layer.model_fields_set and groups != layer.in_channels:
            raise RecipeError(
                (*loc, "groups"),
                f"a depthwise convolution has groups = in_channels ({layer.in_channels}), got {groups}",
            )
        groups = layer.in_channels
    for field in ("in_channels", "out_channels"):
        if getattr(layer, field) % groups:
            raise RecipeError((*loc, field), f"{field} must be divisible by groups ({groups})")
    return groups


def normalized_shape(layer: m.LayerNormLayer | m.RMSNormLayer) -> tuple[int, ...]:
    shape = layer.normalized_shape
    return (shape,) if isinstance(shape, int) else tuple(shape)


def check_group_norm(layer: m.GroupNormLayer, loc: Loc) -> None:
    if layer.num_channels % layer.num_groups:
        raise RecipeError(
            (*loc, "num_channels"), f"num_channels must be divisible by num_groups ({layer.num_groups})"
        )


def attention_dims(layer: m.MultiheadAttentionLayer, loc: Loc) -> tuple[int, int, int]:
    """(head_dim, kdim, vdim), checking embed_dim % num_heads == 0."""
    if layer.embed_dim % layer.num_heads:
        raise RecipeError(
            (*loc, "embed_dim"), f"embed_dim must be divisible by num_heads ({layer.num_heads})"
        )
    kdim = layer.embed_dim if layer.kdim is None else layer.kdim
    vdim = layer.embed_dim if layer.vdim is None else layer.vdim
    return layer.embed_dim // layer.num_heads, kdim, vdim


def padding_row(layer: m.EmbeddingLayer, loc: Loc) -> int | None:
    """torch's padding_idx as a row index (negative counts from the end)."""
    row = layer.padding_idx
    if row is None:
        return None
    if not -layer.num_embeddings <= row < layer.num_embeddings:
        raise RecipeError(
            (*loc, "padding_idx"),
            f"padding_idx must be within [-{layer.num_embeddings}, {layer.num_embeddings})",
        )
    return row % layer.num_embeddings


def unsupported(loc: Loc, library: str, what: str) -> RecipeError:
    return RecipeError(loc, f"{library} has no {what}; use the torch convention or raw tensors")


def layer_parameters(layer: m.Layer, convention: str, loc: Loc, spec: str = SPEC_VERSION) -> list[Parameter]:
    """The parameters the library of ``convention`` registers for this layer.

    ``spec`` is the stream version: tensorseed-stream/2 follows Keras 3.15's attention fans and
    Flax's float32 ``batch_stats``, which tensorseed-stream/1 (frozen) predates (spec 13.5).
    """
    from tensorseed.recipe.layers import flax_modules, keras_layers, torch_modules

    if convention == "torch":
        return torch_modules.parameters(layer, loc)
    if convention == "keras":
        return keras_layers.parameters(layer, loc, spec)
    return flax_modules.parameters(layer, loc, spec)


__all__ = ["LIBRARY_VERSIONS", "Parameter", "layer_parameters"]

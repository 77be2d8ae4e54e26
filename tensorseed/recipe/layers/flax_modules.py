"""Flax linen modules: parameter names, channels-last kernels, JAX fans, default initializers.

Kernels are (in, out) for Dense and (*k, in/groups, out) for Conv, (*k, in, out) for ConvTranspose;
fans are JAX's (in_axis -2, out_axis -1). DenseGeneral (attention projections) initializes the
kernel flattened to (prod(in axes), prod(feature axes)), so its fans are those of that matrix.
Defaults: lecun_normal kernels (truncated), zero biases, orthogonal recurrent kernels, Embed
variance_scaling(1, fan_in, normal, out_axis=0) = N(0, 1/features), PReLU slope 0.01.
BatchNorm's ``batch_stats`` (mean, var) are float32 whatever the parameters' dtype, as Flax
creates them (``jnp.float32``), from tensorseed-stream/2 on; tensorseed-stream/1 (frozen) gives
them the recipe's dtype.
"""

from __future__ import annotations

from tensorseed.recipe import models as m
from tensorseed.recipe.errors import Loc, RecipeError
from tensorseed.recipe.fans import Fans, jax_fans
from tensorseed.recipe.layers import (
    Parameter,
    attention_dims,
    check_group_norm,
    conv_groups,
    kernel_size,
    normalized_shape,
    unsupported,
)
from tensorseed.stream import SPEC_V1, SPEC_VERSION
from tensorseed.stream.dtypes import DType

FLAX = "Flax linen"
LECUN_NORMAL = m.LecunNormal(scheme="lecun_normal", convention="jax")
ZEROS = m.Zeros(scheme="zeros")
ONES = m.Ones(scheme="ones")
ORTHOGONAL = m.OrthogonalInit(scheme="orthogonal", convention="jax")
EMBED = m.VarianceScaling(
    scheme="variance_scaling", scale=1.0, mode="fan_in", distribution="normal", convention="jax"
)
PRELU_SLOPE = 0.01


def param(
    name: str,
    shape: tuple[int, ...],
    default: m.InitBase,
    fans: Fans | None = None,
    dtype: DType | None = None,
) -> Parameter:
    return Parameter(
        name, shape, default, jax_fans(shape) if fans is None else fans, dtype=dtype, layout="channels_last"
    )


def _dense(prefix: str, features_in: int, features: int, bias: bool) -> list[Parameter]:
    params = [param(f"{prefix}kernel", (features_in, features), LECUN_NORMAL)]
    if bias:
        params.append(param(f"{prefix}bias", (features,), ZEROS))
    return params


def _conv(layer: m.ConvLayer | m.ConvTransposeLayer, loc: Loc) -> list[Parameter]:
    groups = conv_groups(layer, loc)
    kernel = kernel_size(layer, loc)
    if isinstance(layer, m.ConvTranspose1dLayer | m.ConvTranspose2dLayer | m.ConvTranspose3dLayer):
        if groups != 1:
            raise unsupported((*loc, "groups"), FLAX, "grouped ConvTranspose")
        shape = (*kernel, layer.in_channels, layer.out_channels)
    else:  # Conv(feature_group_count=groups); depthwise is groups = in_channels
        shape = (*kernel, layer.in_channels // groups, layer.out_channels)
    params = [param("kernel", shape, LECUN_NORMAL)]
    if layer.bias:
        params.append(param("bias", (layer.out_channels,), ZEROS))
    return params


CELLS = {
    # name -> (has bias, input (True) or recurrent kernel); order as the cell creates them
    "rnn": (("i", True, True), ("h", False, False)),
    "lstm": tuple((f"i{g}", False, True) for g in "ifgo") + tuple((f"h{g}", True, False) for g in "ifgo"),
    "gru": (("ir", True, True), ("hr", False, False), ("iz", True, True), ("hz", False, False),
            ("in", True, True), ("hn", True, False)),
}  # fmt: skip


def _recurrent(layer: m.RecurrentLayer, loc: Loc) -> list[Parameter]:
    if layer.num_layers != 1 or layer.bidirectional:
        raise unsupported(loc, FLAX, "stacked or bidirectional cell (declare one layer per cell)")
    if isinstance(layer, m.LSTMLayer) and layer.proj_size:
        raise unsupported((*loc, "proj_size"), FLAX, "LSTM projection (proj_size)")
    if not layer.bias:
        raise unsupported((*loc, "bias"), FLAX, "recurrent cell without biases")
    h = layer.hidden_size
    params: list[Parameter] = []
    for name, bias, is_input in CELLS[layer.kind]:
        width = layer.input_size if is_input else h
        params.append(param(f"{name}.kernel", (width, h), LECUN_NORMAL if is_input else ORTHOGONAL))
        if bias:
            params.append(param(f"{name}.bias", (h,), ZEROS))
    return params


def _attention(layer: m.MultiheadAttentionLayer, loc: Loc) -> list[Parameter]:
    if layer.add_bias_kv:
        raise unsupported((*loc, "add_bias_kv"), FLAX, "bias_k/bias_v in MultiHeadDotProductAttention")
    head, kdim, vdim = attention_dims(layer, loc)
    heads, e = layer.num_heads, layer.embed_dim
    no_fans = Fans(None, None)
    params: list[Parameter] = []
    for name, width in (("query", e), ("key", kdim), ("value", vdim)):
        params.append(param(f"{name}.kernel", (width, heads, head), LECUN_NORMAL, Fans(width, heads * head)))
        if layer.bias:
            params.append(param(f"{name}.bias", (heads, head), ZEROS, no_fans))
    params.append(param("out.kernel", (heads, head, e), LECUN_NORMAL, Fans(heads * head, e)))
    if layer.bias:
        params.append(param("out.bias", (e,), ZEROS, no_fans))
    return params


def parameters(layer: m.Layer, loc: Loc, spec: str = SPEC_VERSION) -> list[Parameter]:
    """The ``params`` (and ``batch_stats``) the Flax linen module creates, with its defaults."""
    if isinstance(layer, m.LinearLayer):  # Dense
        return _dense("", layer.in_features, layer.out_features, layer.bias)
    if isinstance(layer, m.BilinearLayer):
        raise unsupported(loc, FLAX, "bilinear module")
    if isinstance(layer, m.ConvLayer | m.ConvTransposeLayer):
        return _conv(layer, loc)
    if isinstance(layer, m.EmbeddingLayer):
        if layer.padding_idx is not None:
            raise unsupported((*loc, "padding_idx"), FLAX, "padding_idx")
        table = (layer.num_embeddings, layer.embedding_dim)
        return [param("embedding", table, EMBED, jax_fans(table, in_axis=-2, out_axis=0))]
    if isinstance(layer, m.LayerNormLayer):  # LayerNorm(use_scale, use_bias)
        shape, use_scale = normalized_shape(layer), layer.elementwise_affine
        return ([param("scale", shape, ONES)] if use_scale else []) + (
            [param("bias", shape, ZEROS)] if use_scale and layer.bias else []
        )
    if isinstance(layer, m.RMSNormLayer):
        return [param("scale", normalized_shape(layer), ONES)] if layer.elementwise_affine else []
    if isinstance(layer, m.BatchNormLayer):
        if not layer.track_running_stats:
            raise unsupported((*loc, "track_running_stats"), FLAX, "BatchNorm without batch_stats")
        c = (layer.num_features,)
        scale = [param("scale", c, ONES), param("bias", c, ZEROS)] if layer.affine else []
        stats = None if spec == SPEC_V1 else DType.float32  # Flax keeps batch_stats in float32
        return [*scale, param("mean", c, ZEROS, dtype=stats), param("var", c, ONES, dtype=stats)]
    if isinstance(layer, m.GroupNormLayer):
        check_group_norm(layer, loc)
        c = (layer.num_channels,)
        return [param("scale", c, ONES), param("bias", c, ZEROS)] if layer.affine else []
    if isinstance(layer, m.RecurrentLayer):
        return _recurrent(layer, loc)
    if isinstance(layer, m.MultiheadAttentionLayer):
        return _attention(layer, loc)
    if isinstance(layer, m.PReLULayer):
        if layer.num_parameters != 1:
            raise unsupported((*loc, "num_parameters"), FLAX, "per-channel PReLU (its slope is a scalar)")
        explicit = "init_value" in layer.model_fields_set
        value = layer.init_value if explicit else PRELU_SLOPE
        return [param("negative_slope", (), m.ConstantInit(scheme="constant", value=value))]
    raise RecipeError(loc, f"unhandled layer type {layer.kind}")

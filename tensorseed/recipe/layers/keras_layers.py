"""Keras 3 layers: weight names, channels-last kernels, default initializers.

Kernels are (in, out) for Dense and (*k, in/groups, out) for convolutions; fans are Keras'
``compute_fans`` of each weight's own shape (so a 1-D bias has fan_in = fan_out = its length).
Attention kernels follow the stream version: tensorseed-stream/2 follows Keras 3.15 and later,
whose EinsumDense hands its initializer the einsum's input and output axes (keras-team/keras PR
#22789: a query kernel (d_model, heads, head_dim) has fan_in = d_model, fan_out = heads *
head_dim); tensorseed-stream/1 (frozen) keeps Keras 3.14's shape rule (fan_in = heads * d_model,
fan_out = head_dim * d_model). Defaults:
glorot_uniform kernels, zero biases, orthogonal recurrent kernels, unit forget bias for LSTM,
Embedding U(-0.05, 0.05), PReLU alpha 0.
"""

from __future__ import annotations

from tensorseed.recipe import models as m
from tensorseed.recipe.errors import Loc, RecipeError
from tensorseed.recipe.fans import Fans, keras_fans
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

KERAS = "Keras"
GLOROT_UNIFORM = m.XavierUniform(scheme="glorot_uniform")
ZEROS = m.Zeros(scheme="zeros")
ONES = m.Ones(scheme="ones")
ORTHOGONAL = m.OrthogonalInit(scheme="orthogonal", convention="keras")
EMBEDDINGS = m.UniformInit(scheme="uniform", a=-0.05, b=0.05)
UNIT_FORGET_BIAS = m.LSTMForgetBias(scheme="lstm_forget_bias", value=1.0)
GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def param(name: str, shape: tuple[int, ...], default: m.InitBase, fans: Fans | None = None) -> Parameter:
    return Parameter(
        name, shape, default, keras_fans(shape) if fans is None else fans, layout="channels_last"
    )


def _kernel_and_bias(kernel: tuple[int, ...], out: int, bias: bool, prefix: str = "") -> list[Parameter]:
    params = [param(f"{prefix}kernel", kernel, GLOROT_UNIFORM)]
    if bias:
        params.append(param(f"{prefix}bias", (out,), ZEROS))
    return params


def _conv(layer: m.ConvLayer | m.ConvTransposeLayer, loc: Loc) -> list[Parameter]:
    groups = conv_groups(layer, loc)
    kernel = kernel_size(layer, loc)
    if isinstance(layer, m.ConvTranspose1dLayer | m.ConvTranspose2dLayer | m.ConvTranspose3dLayer):
        if groups != 1:
            raise unsupported((*loc, "groups"), KERAS, "grouped Conv*DTranspose")
        # Conv*DTranspose keeps (*k, filters, in): compute_fans then reads fan_in = out * rf.
        return _kernel_and_bias(
            (*kernel, layer.out_channels, layer.in_channels), layer.out_channels, layer.bias
        )
    depthwise = isinstance(layer, m.Conv1dLayer | m.Conv2dLayer) and layer.depthwise
    if depthwise:
        # DepthwiseConv1D/2D: kernel (*k, in, depth_multiplier), fan_in = in * rf.
        multiplier = layer.out_channels // layer.in_channels
        return _kernel_and_bias((*kernel, layer.in_channels, multiplier), layer.out_channels, layer.bias)
    return _kernel_and_bias(
        (*kernel, layer.in_channels // groups, layer.out_channels), layer.out_channels, layer.bias
    )


def _recurrent(layer: m.RecurrentLayer, loc: Loc) -> list[Parameter]:
    if layer.num_layers != 1 or layer.bidirectional:
        raise unsupported(loc, KERAS, "stacked or bidirectional recurrent layer (declare one layer per cell)")
    if isinstance(layer, m.LSTMLayer) and layer.proj_size:
        raise unsupported((*loc, "proj_size"), KERAS, "LSTM projection (proj_size)")
    units = layer.hidden_size
    gate = GATES[layer.kind] * units
    params = [
        param("kernel", (layer.input_size, gate), GLOROT_UNIFORM),
        param("recurrent_kernel", (units, gate), ORTHOGONAL),
    ]
    if layer.bias:
        if isinstance(layer, m.LSTMLayer):
            params.append(param("bias", (gate,), UNIT_FORGET_BIAS))
        elif isinstance(layer, m.GRULayer):
            params.append(param("bias", (2, gate), ZEROS))  # reset_after=True: input and recurrent biases
        else:
            params.append(param("bias", (gate,), ZEROS))
    return params


def _attention(layer: m.MultiheadAttentionLayer, loc: Loc, spec: str) -> list[Parameter]:
    if layer.add_bias_kv:
        raise unsupported((*loc, "add_bias_kv"), KERAS, "bias_k/bias_v in MultiHeadAttention")
    head, kdim, vdim = attention_dims(layer, loc)
    h, e = layer.num_heads, layer.embed_dim
    einsum_axes = spec != SPEC_V1  # Keras 3.15+: fans from the einsum's input and output axes
    params: list[Parameter] = []
    for name, width in (("query", e), ("key", kdim), ("value", vdim)):
        # "abc,cde->abde": the kernel's axis c is the input, d and e (heads, head_dim) the output.
        fans = Fans(width, h * head) if einsum_axes else None
        params.append(param(f"{name}.kernel", (width, h, head), GLOROT_UNIFORM, fans))
        if layer.bias:
            params.append(param(f"{name}.bias", (h, head), ZEROS))
    # "abcd,cde->abe": axes c and d (heads, head_dim) are the input, e the output.
    out_fans = Fans(h * head, e) if einsum_axes else None
    params.append(param("attention_output.kernel", (h, head, e), GLOROT_UNIFORM, out_fans))
    if layer.bias:
        params.append(param("attention_output.bias", (e,), ZEROS))
    return params


def parameters(layer: m.Layer, loc: Loc, spec: str = SPEC_VERSION) -> list[Parameter]:
    """The weights the Keras 3 layer creates in build(), with its default initializers."""
    if isinstance(layer, m.LinearLayer):  # Dense
        return _kernel_and_bias((layer.in_features, layer.out_features), layer.out_features, layer.bias)
    if isinstance(layer, m.BilinearLayer):
        raise unsupported(loc, KERAS, "bilinear layer")
    if isinstance(layer, m.ConvLayer | m.ConvTransposeLayer):
        return _conv(layer, loc)
    if isinstance(layer, m.EmbeddingLayer):
        if layer.padding_idx is not None:
            raise unsupported((*loc, "padding_idx"), KERAS, "padding_idx (mask_zero does not zero a row)")
        return [param("embeddings", (layer.num_embeddings, layer.embedding_dim), EMBEDDINGS)]
    if isinstance(layer, m.LayerNormLayer):  # LayerNormalization(scale, center)
        shape, use_scale = normalized_shape(layer), layer.elementwise_affine
        return ([param("gamma", shape, ONES)] if use_scale else []) + (
            [param("beta", shape, ZEROS)] if use_scale and layer.bias else []
        )
    if isinstance(layer, m.RMSNormLayer):
        if not layer.elementwise_affine:
            raise unsupported((*loc, "elementwise_affine"), KERAS, "RMSNormalization without its scale")
        return [param("scale", normalized_shape(layer), ONES)]
    if isinstance(layer, m.BatchNormLayer):
        if not layer.track_running_stats:
            raise unsupported(
                (*loc, "track_running_stats"), KERAS, "BatchNormalization without moving statistics"
            )
        c = (layer.num_features,)
        scale = [param("gamma", c, ONES), param("beta", c, ZEROS)] if layer.affine else []
        return [*scale, param("moving_mean", c, ZEROS), param("moving_variance", c, ONES)]
    if isinstance(layer, m.GroupNormLayer):
        check_group_norm(layer, loc)
        c = (layer.num_channels,)
        return [param("gamma", c, ONES), param("beta", c, ZEROS)] if layer.affine else []
    if isinstance(layer, m.RecurrentLayer):
        return _recurrent(layer, loc)
    if isinstance(layer, m.MultiheadAttentionLayer):
        return _attention(layer, loc, spec)
    if isinstance(layer, m.PReLULayer):
        explicit = "init_value" in layer.model_fields_set
        alpha = m.ConstantInit(scheme="constant", value=layer.init_value) if explicit else ZEROS
        return [param("alpha", (layer.num_parameters,), alpha)]
    raise RecipeError(loc, f"unhandled layer type {layer.kind}")

"""torch.nn modules: the names, shapes and dtypes of ``state_dict()`` and each ``reset_parameters``.

Every parameter's fans are torch's (``_calculate_fan_in_and_fan_out`` of the weight); a bias shares
the fans of the weight it belongs to, as torch computes its bound from that weight.
"""

from __future__ import annotations

import math

from tensorseed.recipe import models as m
from tensorseed.recipe.errors import Loc, RecipeError
from tensorseed.recipe.fans import Fans, torch_fans
from tensorseed.recipe.layers import (
    Parameter,
    attention_dims,
    check_group_norm,
    conv_groups,
    kernel_size,
    normalized_shape,
    padding_row,
)
from tensorseed.stream.dtypes import DType

#: Linear/Conv reset_parameters: kaiming_uniform_(weight, a=math.sqrt(5)).
WEIGHT_DEFAULT = m.KaimingUniform(scheme="kaiming_uniform", a=math.sqrt(5.0))
#: Linear/Conv bias: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in of the weight.
BIAS_DEFAULT = m.FanInUniform(scheme="fan_in_uniform")
EMBEDDING_DEFAULT = m.NormalInit(scheme="normal", mean=0.0, std=1.0)
ZEROS = m.Zeros(scheme="zeros")
ONES = m.Ones(scheme="ones")
XAVIER_UNIFORM = m.XavierUniform(scheme="xavier_uniform")
XAVIER_NORMAL = m.XavierNormal(scheme="xavier_normal")

NO_FANS = Fans(None, None)
GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def symmetric_uniform(bound: float) -> m.UniformInit:
    """U(-bound, bound) as an init spec (-bound is an exact negation)."""
    return m.UniformInit(scheme="uniform", a=-bound, b=bound)


def _weight_and_bias(
    weight_shape: tuple[int, ...], out: int, bias: bool, prefix: str = ""
) -> list[Parameter]:
    fans = torch_fans(weight_shape)
    params = [Parameter(f"{prefix}weight", weight_shape, WEIGHT_DEFAULT, fans)]
    if bias:
        params.append(Parameter(f"{prefix}bias", (out,), BIAS_DEFAULT, fans))
    return params


def _conv(layer: m.ConvLayer | m.ConvTransposeLayer, loc: Loc) -> list[Parameter]:
    groups = conv_groups(layer, loc)
    kernel = kernel_size(layer, loc)
    if isinstance(layer, m.ConvTranspose1dLayer | m.ConvTranspose2dLayer | m.ConvTranspose3dLayer):
        # torch stores transposed-conv weights (in, out / groups, *k), so its "fan_in" is out/groups * rf.
        shape = (layer.in_channels, layer.out_channels // groups, *kernel)
    else:
        shape = (layer.out_channels, layer.in_channels // groups, *kernel)
    return _weight_and_bias(shape, layer.out_channels, layer.bias)


def _affine(shape: tuple[int, ...], weight: bool, bias: bool) -> list[Parameter]:
    params = []
    if weight:
        params.append(Parameter("weight", shape, ONES, NO_FANS))
    if bias:
        params.append(Parameter("bias", shape, ZEROS, NO_FANS))
    return params


def _batch_norm(layer: m.BatchNormLayer) -> list[Parameter]:
    c = (layer.num_features,)
    params = _affine(c, layer.affine, layer.affine)
    if layer.track_running_stats:
        params += [
            Parameter("running_mean", c, ZEROS, NO_FANS),
            Parameter("running_var", c, ONES, NO_FANS),
            # torch keeps this counter as int64 whatever the module's float dtype.
            Parameter("num_batches_tracked", (), ZEROS, NO_FANS, dtype=DType.int64),
        ]
    return params


def recurrent_shapes(layer: m.RecurrentLayer, loc: Loc) -> list[tuple[str, tuple[int, ...], str]]:
    """(name, shape, weight it shares fans with) in torch's registration order (_flat_weights_names)."""
    proj = layer.proj_size if isinstance(layer, m.LSTMLayer) else 0
    if proj >= layer.hidden_size:
        raise RecipeError((*loc, "proj_size"), "proj_size has to be smaller than hidden_size")
    gate = GATES[layer.kind] * layer.hidden_size
    real_hidden = proj if proj > 0 else layer.hidden_size
    directions = 2 if layer.bidirectional else 1
    out: list[tuple[str, tuple[int, ...], str]] = []
    for k in range(layer.num_layers):
        width = layer.input_size if k == 0 else real_hidden * directions
        for d in range(directions):
            sfx = f"_l{k}" + ("_reverse" if d else "")
            out += [(f"weight_ih{sfx}", (gate, width), f"weight_ih{sfx}"),
                    (f"weight_hh{sfx}", (gate, real_hidden), f"weight_hh{sfx}")]  # fmt: skip
            if layer.bias:
                out += [(f"bias_ih{sfx}", (gate,), f"weight_ih{sfx}"),
                        (f"bias_hh{sfx}", (gate,), f"weight_hh{sfx}")]  # fmt: skip
            if proj > 0:
                out.append((f"weight_hr{sfx}", (proj, layer.hidden_size), f"weight_hr{sfx}"))
    return out


def _recurrent(layer: m.RecurrentLayer, loc: Loc) -> list[Parameter]:
    # RNNBase.reset_parameters: every parameter U(-1/sqrt(hidden), 1/sqrt(hidden)).
    default = symmetric_uniform(1.0 / math.sqrt(float(layer.hidden_size)))
    shapes = recurrent_shapes(layer, loc)
    weight_fans = {name: torch_fans(shape) for name, shape, _ in shapes}
    return [Parameter(name, shape, default, weight_fans[owner]) for name, shape, owner in shapes]


def _attention(layer: m.MultiheadAttentionLayer, loc: Loc) -> list[Parameter]:
    _, kdim, vdim = attention_dims(layer, loc)
    e = layer.embed_dim
    params: list[Parameter] = []
    if kdim == e and vdim == e:
        params.append(Parameter("in_proj_weight", (3 * e, e), XAVIER_UNIFORM, torch_fans((3 * e, e))))
    else:
        for name, width in (("q_proj_weight", e), ("k_proj_weight", kdim), ("v_proj_weight", vdim)):
            params.append(Parameter(name, (e, width), XAVIER_UNIFORM, torch_fans((e, width))))
    if layer.bias:
        params.append(Parameter("in_proj_bias", (3 * e,), ZEROS, params[0].fans))
    if layer.add_bias_kv:
        params += [
            Parameter(name, (1, 1, e), XAVIER_NORMAL, torch_fans((1, 1, e))) for name in ("bias_k", "bias_v")
        ]
    out_proj = _weight_and_bias((e, e), e, layer.bias, prefix="out_proj.")
    if layer.bias:
        # MultiheadAttention._reset_parameters zeroes out_proj.bias; the weight keeps Linear's init.
        out_proj[1] = Parameter("out_proj.bias", (e,), ZEROS, out_proj[1].fans)
    return params + out_proj


def parameters(layer: m.Layer, loc: Loc) -> list[Parameter]:
    """The parameters and buffers torch's module registers, in its state_dict order."""
    if isinstance(layer, m.LinearLayer):
        return _weight_and_bias((layer.out_features, layer.in_features), layer.out_features, layer.bias)
    if isinstance(layer, m.BilinearLayer):
        shape = (layer.out_features, layer.in1_features, layer.in2_features)
        # Bilinear.reset_parameters: bound = 1 / sqrt(weight.size(1)) for the weight and the bias.
        default = symmetric_uniform(1.0 / math.sqrt(float(layer.in1_features)))
        fans = torch_fans(shape)
        params = [Parameter("weight", shape, default, fans)]
        if layer.bias:
            params.append(Parameter("bias", (layer.out_features,), default, fans))
        return params
    if isinstance(layer, m.ConvLayer | m.ConvTransposeLayer):
        return _conv(layer, loc)
    if isinstance(layer, m.EmbeddingLayer):
        table = (layer.num_embeddings, layer.embedding_dim)
        return [Parameter("weight", table, EMBEDDING_DEFAULT, torch_fans(table), padding_row(layer, loc))]
    if isinstance(layer, m.LayerNormLayer):
        affine = layer.elementwise_affine
        return _affine(normalized_shape(layer), affine, affine and layer.bias)
    if isinstance(layer, m.RMSNormLayer):
        return _affine(normalized_shape(layer), layer.elementwise_affine, False)
    if isinstance(layer, m.BatchNormLayer):
        return _batch_norm(layer)
    if isinstance(layer, m.GroupNormLayer):
        check_group_norm(layer, loc)
        return _affine((layer.num_channels,), layer.affine, layer.affine)
    if isinstance(layer, m.RecurrentLayer):
        return _recurrent(layer, loc)
    if isinstance(layer, m.MultiheadAttentionLayer):
        return _attention(layer, loc)
    if isinstance(layer, m.PReLULayer):
        value = m.ConstantInit(scheme="constant", value=layer.init_value)
        return [Parameter("weight", (layer.num_parameters,), value, NO_FANS)]
    raise AssertionError(f"unhandled layer type {type(layer).__name__}")

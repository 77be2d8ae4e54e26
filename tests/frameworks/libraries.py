"""One layer of each type, built in the real torch, Keras and Flax, loaded from a tensorseed file
in that library's layout (torch: ``load_state_dict(strict=True)``; Keras: ``tensorseed.keras.load``;
Flax: ``tensorseed.flax``), and run on the same input (channels-last for Keras and Flax).

Each case gives the recipe layer (per convention: the init overrides use that library's names)
and, per library, how to build the layer and call it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

os.environ["KERAS_BACKEND"] = "torch"  # the tests read Keras outputs as torch tensors
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax
import keras
import numpy as np
import torch
from flax import linen, nnx
from safetensors.torch import load as load_torch

import tensorseed.flax
import tensorseed.keras
from tests.support import file_bytes

Array = np.ndarray[Any, Any]
RNG = np.random.default_rng(7)
NORMAL = {"scheme": "normal", "std": 0.5}
POSITIVE = {"scheme": "uniform", "a": 0.5, "b": 2.0}


def channels_last(x: Array) -> Array:
    return np.moveaxis(x, 1, -1) if x.ndim > 2 else x


@dataclass
class Case:
    """One layer: its recipe fields, per-convention init overrides, an input, and the three builds."""

    id: str
    layer: dict[str, Any]
    x: Any  # torch layout (attention: a (query, key, value) tuple)
    torch: Callable[[], torch.nn.Module]
    keras: Callable[..., Any] | None
    flax: Callable[..., linen.Module] | None
    inits: dict[str, dict[str, Any]] = field(default_factory=dict)
    conventions: tuple[str, ...] = ("torch", "keras", "flax")
    channels: bool = True  # whether the input has a channel axis to move
    call: str = "plain"  # plain | rnn | attention | batchnorm


def recipe(case: Case, convention: str, export: str, dtype: str = "float32") -> dict[str, Any]:
    layer = {**case.layer, "name": "m"}
    if case.inits.get(convention):
        layer["init"] = case.inits[convention]
    return {"seed": 11, "dtype": dtype, "convention": convention, "export": export, "layers": [layer]}


# ---- running each library ----


def run_torch(case: Case, data: bytes) -> Array:
    module = case.torch()
    state = {k.removeprefix("m."): v for k, v in load_torch(data).items()}
    module.load_state_dict(state, strict=True)
    module.eval()
    with torch.no_grad():
        if case.call == "rnn":
            return module(torch.from_numpy(case.x))[0].numpy()
        if case.call == "attention":
            q, k, v = case.x
            return module(torch.from_numpy(q), torch.from_numpy(k), torch.from_numpy(v), need_weights=False)[
                0
            ].numpy()
        return module(torch.from_numpy(case.x)).numpy()


def _keras_input(case: Case) -> Any:
    if case.call == "attention":
        return list(case.x)
    return channels_last(case.x) if case.channels else case.x


def run_keras(case: Case, data: bytes) -> Array:
    assert case.keras is not None
    layer = case.keras()
    x = _keras_input(case)
    if case.call == "attention":
        q, k, v = x
        model_in = [keras.Input(q.shape[1:]), keras.Input(k.shape[1:]), keras.Input(v.shape[1:])]
        out = layer(query=model_in[0], key=model_in[1], value=model_in[2])
    else:
        model_in = keras.Input(x.shape[1:], dtype=x.dtype.name)
        out = layer(model_in, training=False) if case.call == "batchnorm" else layer(model_in)
    model = keras.Model(model_in, out, name="case")
    tensorseed.keras.load(model, data)
    y = model(x, training=False)
    # Keras on torch returns torch tensors (keras.ops.convert_to_numpy trips a numpy deprecation).
    return np.asarray(y.detach().cpu().numpy())


def run_flax(case: Case, data: bytes) -> Array:
    assert case.flax is not None
    module = case.flax()
    x = _keras_input(case)
    args = x if case.call == "attention" else [x]
    kwargs = {"use_running_average": True} if case.call == "batchnorm" else {}
    template = module.init(jax.random.key(0), *args, **kwargs)
    variables = tensorseed.flax.linen_variables(data, like=template)
    # Without a template the loader must build the same tree, in Flax's dtypes.
    plain = tensorseed.flax.linen_variables(data)
    assert jax.tree.structure(plain) == jax.tree.structure(template)
    assert jax.tree.map(lambda a: (a.shape, a.dtype), plain) == jax.tree.map(
        lambda a: (a.shape, a.dtype), template
    )
    return np.asarray(module.apply(variables, *args, **kwargs))


def to_torch_layout(case: Case, y: Array) -> Array:
    """Keras/Flax outputs are channels-last; torch's are channels-first."""
    return (
        np.moveaxis(y, -1, 1) if case.channels and y.ndim > 2 and case.call in ("plain", "batchnorm") else y
    )


RUNNERS = {"torch": run_torch, "keras": run_keras, "flax": run_flax}


def output(case: Case, library: str, convention: str, dtype: str = "float32") -> Array:
    data = file_bytes(recipe(case, convention, library, dtype))
    y = RUNNERS[library](case, data)
    return y if library == "torch" else to_torch_layout(case, y)


# ---- the cases ----


def _x(*shape: int) -> Array:
    return RNG.standard_normal(shape).astype(np.float32)


def _nn(name: str) -> Callable[..., Any]:
    return getattr(linen, name)


def conv_case(d: int, groups: int = 1, depthwise: bool = False) -> Case:
    k = [3, 2, 2][:d]
    cin, cout = 4, 8
    x = _x(2, cin, *([7, 6, 5][:d]))
    layer: dict[str, Any] = {"type": f"conv{d}d", "in_channels": cin, "out_channels": cout, "kernel_size": k}
    if depthwise:
        layer["depthwise"] = True
        groups = cin
    elif groups > 1:
        layer["groups"] = groups
    keras_class = f"DepthwiseConv{d}D" if depthwise and d < 3 else f"Conv{d}D"
    keras_args: dict[str, Any] = {"depth_multiplier": cout // cin} if keras_class.startswith("Depth") else {
        "filters": cout, "groups": groups}  # fmt: skip
    return Case(
        f"conv{d}d" + ("-depthwise" if depthwise else f"-g{groups}" if groups > 1 else ""),
        layer,
        x,
        lambda: getattr(torch.nn, f"Conv{d}d")(cin, cout, k, groups=groups),
        lambda **kw: getattr(keras.layers, keras_class)(kernel_size=k, **keras_args, **kw),
        lambda **kw: linen.Conv(cout, k, feature_group_count=groups, padding="VALID", **kw),
    )


def transpose_case(d: int) -> Case:
    k = [3, 2, 2][:d]
    cin, cout = 5, 3
    return Case(
        f"conv_transpose{d}d",
        {"type": f"conv_transpose{d}d", "in_channels": cin, "out_channels": cout, "kernel_size": k},
        _x(2, cin, *([5, 4, 3][:d])),
        lambda: getattr(torch.nn, f"ConvTranspose{d}d")(cin, cout, k, stride=2),
        lambda **kw: getattr(keras.layers, f"Conv{d}DTranspose")(cout, k, strides=2, padding="valid", **kw),
        lambda **kw: linen.ConvTranspose(cout, k, strides=(2,) * d, padding="VALID", **kw),
    )


def recurrent_case(kind: str) -> Case:
    i, h = 3, 5
    torch_class = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    keras_class = {"rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}[kind]
    cell = {"rnn": "SimpleCell", "lstm": "LSTMCell", "gru": "GRUCell"}[kind]
    inits = {
        # torch keeps two biases where Keras and Flax keep one per gate: one of them must be zero
        "torch": {"bias_hh_l0": {"scheme": "zeros"}, "bias_ih_l0": NORMAL},
        # Keras' GRU keeps both biases in one (2, 3h) tensor: Flax can take it only when it is zero.
        "keras": {"bias": NORMAL} if kind != "gru" else {},
        "flax": {"hn.bias": NORMAL} if kind == "gru" else {},
    }
    return Case(
        kind,
        {"type": kind, "input_size": i, "hidden_size": h},
        _x(2, 6, i),
        lambda: torch_class(i, h, batch_first=True),
        lambda **kw: getattr(keras.layers, keras_class)(h, return_sequences=True, **kw),
        lambda **kw: linen.RNN(getattr(linen, cell)(h, **kw)),  # the cell carries the layer's name
        inits=inits,
        channels=False,
        call="rnn",
    )


class _Named(linen.Module):
    """The Flax module of a case, named "m" (the recipe's layer name) inside a parent."""

    make: Callable[..., linen.Module]

    @linen.compact
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.make(name="m")(*args, **kwargs)


def attention_case(kdim: int | None = None, vdim: int | None = None) -> Case:
    e, heads = 8, 2
    q, k, v = _x(2, 5, e), _x(2, 4, kdim or e), _x(2, 4, vdim or e)
    layer: dict[str, Any] = {"type": "multihead_attention", "embed_dim": e, "num_heads": heads}
    if kdim:
        layer.update(kdim=kdim, vdim=vdim)
    bias = {"torch": {"in_proj_bias": NORMAL, "out_proj.bias": NORMAL},
            "keras": {"query.bias": NORMAL, "value.bias": NORMAL, "attention_output.bias": NORMAL},
            "flax": {"key.bias": NORMAL, "out.bias": NORMAL}}  # fmt: skip
    case = Case(
        "multihead_attention" + ("-kv" if kdim else ""),
        layer,
        np.asarray([0]),
        lambda: torch.nn.MultiheadAttention(e, heads, batch_first=True, kdim=kdim, vdim=vdim),
        lambda **kw: keras.layers.MultiHeadAttention(heads, e // heads, **kw),
        lambda **kw: linen.MultiHeadDotProductAttention(
            num_heads=heads, qkv_features=e, out_features=e, **kw
        ),
        inits=bias,
        channels=False,
        call="attention",
    )
    case.x = (q, k, v)
    return case


def norm_inits(weight: dict[str, str], extra: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        c: {name: NORMAL for name in names.split()} | (extra or {}).get(c, {}) for c, names in weight.items()
    }


CASES: list[Case] = [
    Case("linear", {"type": "linear", "in_features": 6, "out_features": 4}, _x(3, 6),
         lambda: torch.nn.Linear(6, 4), lambda **kw: keras.layers.Dense(4, **kw), (lambda **kw: linen.Dense(4, **kw)), channels=False),
    Case("linear-nobias", {"type": "linear", "in_features": 6, "out_features": 4, "bias": False}, _x(3, 6),
         lambda: torch.nn.Linear(6, 4, bias=False), lambda **kw: keras.layers.Dense(4, use_bias=False, **kw),
         (lambda **kw: linen.Dense(4, use_bias=False, **kw)), channels=False),
    *[conv_case(d) for d in (1, 2, 3)],
    conv_case(2, groups=2),
    conv_case(1, depthwise=True),
    conv_case(2, depthwise=True),
    conv_case(3, depthwise=True),
    *[transpose_case(d) for d in (1, 2, 3)],
    Case("embedding", {"type": "embedding", "num_embeddings": 10, "embedding_dim": 4},
         RNG.integers(0, 10, (3, 5)), lambda: torch.nn.Embedding(10, 4), lambda **kw: keras.layers.Embedding(10, 4, **kw),
         (lambda **kw: linen.Embed(10, 4, **kw)), channels=False),
    Case("layer_norm", {"type": "layer_norm", "normalized_shape": 6}, _x(3, 4, 6),
         lambda: torch.nn.LayerNorm(6), lambda **kw: keras.layers.LayerNormalization(epsilon=1e-5, **kw),
         (lambda **kw: linen.LayerNorm(epsilon=1e-5, **kw)),
         inits=norm_inits({"torch": "weight bias", "keras": "gamma beta", "flax": "scale bias"}), channels=False),
    Case("rms_norm", {"type": "rms_norm", "normalized_shape": 6}, _x(3, 4, 6),
         lambda: torch.nn.RMSNorm(6, eps=1e-6), lambda **kw: keras.layers.RMSNormalization(epsilon=1e-6, **kw),
         (lambda **kw: linen.RMSNorm(epsilon=1e-6, **kw)),
         inits=norm_inits({"torch": "weight", "keras": "scale", "flax": "scale"}), channels=False),
    *[Case(f"batch_norm{d}d", {"type": f"batch_norm{d}d", "num_features": 3}, _x(2, 3, *([4, 5, 2][:d])),
           (lambda d=d: getattr(torch.nn, f"BatchNorm{d}d")(3)), lambda **kw: keras.layers.BatchNormalization(epsilon=1e-5, **kw),
           (lambda **kw: linen.BatchNorm(epsilon=1e-5, **kw)),
           inits={"torch": {"weight": NORMAL, "bias": NORMAL, "running_mean": NORMAL, "running_var": POSITIVE},
                  "keras": {"gamma": NORMAL, "beta": NORMAL, "moving_mean": NORMAL, "moving_variance": POSITIVE},
                  "flax": {"scale": NORMAL, "bias": NORMAL, "mean": NORMAL, "var": POSITIVE}},
           call="batchnorm")
      for d in (1, 2, 3)],
    Case("group_norm", {"type": "group_norm", "num_groups": 2, "num_channels": 4}, _x(2, 4, 5),
         lambda: torch.nn.GroupNorm(2, 4), lambda **kw: keras.layers.GroupNormalization(2, epsilon=1e-5, **kw),
         (lambda **kw: linen.GroupNorm(num_groups=2, epsilon=1e-5, **kw)),
         inits=norm_inits({"torch": "weight bias", "keras": "gamma beta", "flax": "scale bias"})),
    *[recurrent_case(k) for k in ("rnn", "lstm", "gru")],
    attention_case(),
    attention_case(kdim=6, vdim=5),
    Case("prelu", {"type": "prelu"}, _x(3, 1), lambda: torch.nn.PReLU(), lambda **kw: keras.layers.PReLU(**kw),
         (lambda **kw: linen.PReLU(**kw)), inits={c: {} for c in ("torch",)}, channels=False),
]  # fmt: skip

for _case in CASES:  # the modules are named "m", like the recipe's layer
    if _case.flax is not None:
        _case.flax = lambda make=_case.flax: _Named(make)
    if _case.keras is not None:
        _case.keras = lambda make=_case.keras: make(name="m")


__all__ = ["CASES", "Case", "nnx", "output", "recipe"]

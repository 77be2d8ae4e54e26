"""Each library's own default initializers against tensorseed's convention for that library.

For every layer type, the real layer is built by the library (its own RNG, its own initializers)
and tensorseed generates the same layer in the library's convention: constants must be equal,
random tensors must pass a two-sample Kolmogorov-Smirnov test (the layers' main weights hold at
least 10^6 values; seeds are fixed, so the outcome is deterministic). Names and shapes must match.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import keras
import numpy as np
import pytest
import torch
from flax import linen
from scipy import stats

import tensorseed.keras
from tensorseed.engine.backend import cpu_backend
from tensorseed.stream.dtypes import decode_to_float64
from tests.frameworks.libraries import _Named
from tests.support import plan_of

Arrays = dict[str, np.ndarray[Any, Any]]
MILLION = 10**6


def generated(layer: dict[str, Any], convention: str) -> Arrays:
    plan = plan_of({"seed": 21, "convention": convention, "layers": [{**layer, "name": "m"}]})
    backend = cpu_backend()  # the compiled kernel where it applies (bit-equal to the reference)
    return {
        t.name: decode_to_float64(backend.fill(t, 0, t.numel), t.dtype).reshape(t.shape) for t in plan.tensors
    }


def keras_arrays(make: Callable[..., Any], shape: tuple[int, ...]) -> Arrays:
    keras.utils.set_random_seed(5)
    inp = keras.Input(shape)
    layer = make(name="m")
    out = layer(inp, inp, inp) if isinstance(layer, keras.layers.MultiHeadAttention) else layer(inp)
    model = keras.Model(inp, out)
    # On the torch backend a variable's value is a torch tensor (its numpy() trips a deprecation).
    return {
        name: w.value.detach().double().numpy() for name, w in tensorseed.keras.weight_names(model).items()
    }


def flax_arrays(make: Callable[..., linen.Module], shape: tuple[int, ...], *args: Any) -> Arrays:
    x = np.zeros((1, *shape), np.float32)
    variables = _Named(make).init(jax.random.key(5), *([x] * (args[0] if args else 1)))
    flat = jax.tree_util.tree_flatten_with_path(variables)[0]
    return {".".join(str(k.key) for k in path[1:]): np.asarray(v, np.float64) for path, v in flat}


def torch_arrays(module: torch.nn.Module) -> Arrays:
    torch.manual_seed(5)
    for m in module.modules():
        if hasattr(m, "reset_parameters"):
            m.reset_parameters()
    if isinstance(module, torch.nn.MultiheadAttention):
        module._reset_parameters()
    return {f"m.{k}": v.detach().double().numpy() for k, v in module.state_dict().items()}


def compare(ours: Arrays, theirs: Arrays, main: str) -> None:
    assert {k: v.shape for k, v in ours.items()} == {k: v.shape for k, v in theirs.items()}
    assert ours[main].size >= MILLION, main
    for name, a in ours.items():
        b = theirs[name]
        if np.all(a == a.flat[0]):
            assert np.array_equal(a, b), f"{name}: the library's constant differs"
            continue
        result = stats.ks_2samp(a.ravel(), b.ravel())
        assert result.pvalue > 1e-3, f"{name}: KS p = {result.pvalue:.2e} (statistic {result.statistic:.4f})"


K = keras.layers
KERAS: list[Any] = [
    ("dense", {"type": "linear", "in_features": 1000, "out_features": 1000}, lambda **k: K.Dense(1000, **k), (1000,)),
    ("conv2d", {"type": "conv2d", "in_channels": 64, "out_channels": 128, "kernel_size": 12},
     lambda **k: K.Conv2D(128, 12, **k), (16, 16, 64)),
    ("depthwise", {"type": "conv2d", "in_channels": 256, "out_channels": 1024, "kernel_size": 32, "depthwise": True},
     lambda **k: K.DepthwiseConv2D(32, depth_multiplier=4, **k), (40, 40, 256)),
    ("conv_transpose", {"type": "conv_transpose2d", "in_channels": 48, "out_channels": 96, "kernel_size": 15},
     lambda **k: K.Conv2DTranspose(96, 15, **k), (4, 4, 48)),
    ("embedding", {"type": "embedding", "num_embeddings": 10000, "embedding_dim": 100},
     lambda **k: K.Embedding(10000, 100, **k), (3,)),
    ("simple_rnn", {"type": "rnn", "input_size": 1000, "hidden_size": 1000},
     lambda **k: K.SimpleRNN(1000, **k), (2, 1000)),
    ("lstm", {"type": "lstm", "input_size": 500, "hidden_size": 500}, lambda **k: K.LSTM(500, **k), (2, 500)),
    ("gru", {"type": "gru", "input_size": 700, "hidden_size": 500}, lambda **k: K.GRU(500, **k), (2, 700)),
    pytest.param("mha", {"type": "multihead_attention", "embed_dim": 1024, "num_heads": 16},
                 lambda **k: K.MultiHeadAttention(16, 64, **k), (3, 1024)),
    ("norms+prelu", None, None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "layer", "make", "shape"), KERAS, ids=lambda v: v if isinstance(v, str) else ""
)
def test_keras_initializers(
    name: str, layer: dict[str, Any] | None, make: Any, shape: tuple[int, ...]
) -> None:
    if layer is None:  # constants only: LayerNormalization, BatchNormalization, GroupNormalization, PReLU
        for spec, build, inp in [
            ({"type": "layer_norm", "normalized_shape": 6}, lambda **k: K.LayerNormalization(**k), (6,)),
            ({"type": "rms_norm", "normalized_shape": 6}, lambda **k: K.RMSNormalization(**k), (6,)),
            ({"type": "batch_norm2d", "num_features": 3}, lambda **k: K.BatchNormalization(**k), (4, 4, 3)),
            ({"type": "group_norm", "num_groups": 2, "num_channels": 4}, lambda **k: K.GroupNormalization(2, **k), (4,)),
            ({"type": "prelu", "num_parameters": 5}, lambda **k: K.PReLU(**k), (5,)),
        ]:  # fmt: skip
            ours, theirs = generated(spec, "keras"), keras_arrays(build, inp)
            assert ours.keys() == theirs.keys() and all(np.array_equal(ours[k], theirs[k]) for k in ours), (
                spec
            )
        return
    main = "m.query.kernel" if name == "mha" else "m.embeddings" if name == "embedding" else "m.kernel"
    compare(generated(layer, "keras"), keras_arrays(make, shape), main)


F = linen
FLAX: list[Any] = [
    ("dense", {"type": "linear", "in_features": 1000, "out_features": 1000}, lambda **k: F.Dense(1000, **k), (1000,)),
    ("conv", {"type": "conv2d", "in_channels": 64, "out_channels": 128, "kernel_size": 12},
     lambda **k: F.Conv(128, (12, 12), **k), (16, 16, 64)),
    ("conv_transpose", {"type": "conv_transpose2d", "in_channels": 48, "out_channels": 96, "kernel_size": 15},
     lambda **k: F.ConvTranspose(96, (15, 15), **k), (4, 4, 48)),
    ("embed", {"type": "embedding", "num_embeddings": 10000, "embedding_dim": 100},
     lambda **k: F.Embed(10000, 100, **k), None),
    ("simple_cell", {"type": "rnn", "input_size": 4000, "hidden_size": 250},
     lambda **k: F.RNN(F.SimpleCell(250, **k)), (2, 4000)),
    ("lstm_cell", {"type": "lstm", "input_size": 4000, "hidden_size": 250},
     lambda **k: F.RNN(F.LSTMCell(250, **k)), (2, 4000)),
    ("gru_cell", {"type": "gru", "input_size": 4000, "hidden_size": 250},
     lambda **k: F.RNN(F.GRUCell(250, **k)), (2, 4000)),
    ("attention", {"type": "multihead_attention", "embed_dim": 1024, "num_heads": 16},
     lambda **k: F.MultiHeadDotProductAttention(num_heads=16, **k), (3, 1024)),
    ("norms+prelu", None, None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "layer", "make", "shape"), FLAX, ids=lambda v: v if isinstance(v, str) else ""
)
def test_flax_initializers(
    name: str, layer: dict[str, Any] | None, make: Any, shape: tuple[int, ...] | None
) -> None:
    if layer is None:
        for spec, build, inp in [
            ({"type": "layer_norm", "normalized_shape": 6}, lambda **k: F.LayerNorm(**k), (6,)),
            ({"type": "rms_norm", "normalized_shape": 6}, lambda **k: F.RMSNorm(**k), (6,)),
            ({"type": "group_norm", "num_groups": 2, "num_channels": 4}, lambda **k: F.GroupNorm(num_groups=2, **k), (4,)),
            ({"type": "prelu"}, lambda **k: F.PReLU(**k), (5,)),
        ]:  # fmt: skip
            ours, theirs = generated(spec, "flax"), flax_arrays(build, inp)
            assert ours.keys() == theirs.keys() and all(np.array_equal(ours[k], theirs[k]) for k in ours), (
                spec
            )
        return
    if shape is None:  # Embed takes integer indices
        variables = _Named(make).init(jax.random.key(5), np.zeros((1, 3), np.int32))
        theirs = {"m.embedding": np.asarray(variables["params"]["m"]["embedding"], np.float64)}
    else:
        theirs = flax_arrays(make, shape, 3 if name == "attention" else 1)
    main = {"embed": "m.embedding", "attention": "m.query.kernel"}.get(name, "m.kernel")
    if name in ("simple_cell", "lstm_cell", "gru_cell"):
        main = (
            "m.i.kernel" if name == "simple_cell" else "m.if.kernel" if name == "lstm_cell" else "m.ir.kernel"
        )
    compare(generated(layer, "flax"), theirs, main)


def test_flax_batch_norm_statistics_names_and_values() -> None:
    theirs = _Named(lambda **k: F.BatchNorm(use_running_average=True, **k)).init(
        jax.random.key(0), np.zeros((1, 4, 4, 3), np.float32)
    )
    ours = generated({"type": "batch_norm2d", "num_features": 3}, "flax")
    assert np.array_equal(ours["m.mean"], theirs["batch_stats"]["m"]["mean"])
    assert np.array_equal(ours["m.var"], theirs["batch_stats"]["m"]["var"])
    assert np.array_equal(ours["m.scale"], theirs["params"]["m"]["scale"])


T = torch.nn
TORCH: list[Any] = [
    ("linear", {"type": "linear", "in_features": 1000, "out_features": 1000}, T.Linear(1000, 1000), "m.weight"),
    ("bilinear", {"type": "bilinear", "in1_features": 100, "in2_features": 100, "out_features": 100},
     T.Bilinear(100, 100, 100), "m.weight"),
    ("conv2d", {"type": "conv2d", "in_channels": 64, "out_channels": 128, "kernel_size": 12},
     T.Conv2d(64, 128, 12), "m.weight"),
    ("conv_transpose2d", {"type": "conv_transpose2d", "in_channels": 48, "out_channels": 96, "kernel_size": 15},
     T.ConvTranspose2d(48, 96, 15), "m.weight"),
    ("embedding", {"type": "embedding", "num_embeddings": 10000, "embedding_dim": 100}, T.Embedding(10000, 100),
     "m.weight"),
    ("rnn", {"type": "rnn", "input_size": 1000, "hidden_size": 1000}, T.RNN(1000, 1000), "m.weight_ih_l0"),
    ("lstm", {"type": "lstm", "input_size": 500, "hidden_size": 500}, T.LSTM(500, 500), "m.weight_ih_l0"),
    ("gru", {"type": "gru", "input_size": 700, "hidden_size": 500}, T.GRU(700, 500), "m.weight_ih_l0"),
    ("multihead_attention", {"type": "multihead_attention", "embed_dim": 1024, "num_heads": 16},
     T.MultiheadAttention(1024, 16), "m.in_proj_weight"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "layer", "module", "main"), TORCH, ids=[c[0] for c in TORCH])
def test_torch_initializers(name: str, layer: dict[str, Any], module: torch.nn.Module, main: str) -> None:
    compare(generated(layer, "torch"), torch_arrays(module), main)

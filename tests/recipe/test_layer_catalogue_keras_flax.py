"""Keras and Flax conventions: weight names, layouts, fans and default initializers.

keras and flax are not dependencies: the expected names, shapes and fans are written here from the
libraries' code (Keras 3 ``compute_fans`` and layer ``build``; JAX ``_compute_fans`` and Flax linen
modules, quoted in docs/conventions.md), independently of the implementation under test.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

from tensorseed.recipe.plan import Plan
from tests.support import plan_of, tensor, values

TRUNC = 0.87962566103423978


def expand(layer: dict[str, Any], convention: str, dtype: str = "float64", **recipe: Any) -> Plan:
    return plan_of(
        {"seed": 4, "dtype": dtype, "convention": convention, "layers": [{**layer, "name": "m"}], **recipe}
    )


def shapes(plan: Plan) -> dict[str, tuple[int, ...]]:
    return {t.name.removeprefix("m."): t.shape for t in plan.tensors}


def fans(plan: Plan, name: str) -> tuple[int | None, int | None]:
    f = tensor(plan, f"m.{name}").fans
    return f.fan_in, f.fan_out


#: Keras 3.15+ EinsumDense kernels of MultiHeadAttention: (input axes, output axes) of each kernel,
#: from its einsum equation ("abc,cde->abde" for the projections, "abcd,cde->abe" for the output).
KERAS_EINSUM_AXES = {
    "query.kernel": ((0,), (1, 2)),
    "key.kernel": ((0,), (1, 2)),
    "value.kernel": ((0,), (1, 2)),
    "attention_output.kernel": ((0, 1), (2,)),
}


def keras_compute_fans(
    shape: tuple[int, ...], axes: tuple[tuple[int, ...], tuple[int, ...]] | None = None
) -> tuple[int, int]:
    """keras.src.initializers.random_initializers.compute_fans (Keras 3.15), transcribed."""
    if axes is not None:
        return math.prod(shape[a] for a in axes[0]), math.prod(shape[a] for a in axes[1])
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    rf = math.prod(shape[:-2])
    return shape[-2] * rf, shape[-1] * rf


def jax_compute_fans(shape: tuple[int, ...], in_axis: int = -2, out_axis: int = -1) -> tuple[float, float]:
    """jax._src.nn.initializers._compute_fans, transcribed (float division as JAX does)."""
    rf = math.prod(shape) / shape[in_axis] / shape[out_axis]
    return shape[in_axis] * rf, shape[out_axis] * rf


KERAS_SHAPES: list[tuple[dict[str, Any], dict[str, tuple[int, ...]]]] = [
    ({"type": "linear", "in_features": 5, "out_features": 3}, {"kernel": (5, 3), "bias": (3,)}),
    ({"type": "conv2d", "in_channels": 6, "out_channels": 9, "kernel_size": [3, 2], "groups": 3},
     {"kernel": (3, 2, 2, 9), "bias": (9,)}),
    ({"type": "conv1d", "in_channels": 4, "out_channels": 8, "kernel_size": 3, "depthwise": True},
     {"kernel": (3, 4, 2), "bias": (8,)}),  # DepthwiseConv1D(depth_multiplier=2)
    ({"type": "conv3d", "in_channels": 4, "out_channels": 4, "kernel_size": 2, "depthwise": True,
      "bias": False},
     {"kernel": (2, 2, 2, 1, 4)}),  # no DepthwiseConv3D: Conv3D(groups=4)
    ({"type": "conv_transpose2d", "in_channels": 6, "out_channels": 4, "kernel_size": 3},
     {"kernel": (3, 3, 4, 6), "bias": (4,)}),  # (*k, filters, in)
    ({"type": "embedding", "num_embeddings": 10, "embedding_dim": 4}, {"embeddings": (10, 4)}),
    ({"type": "layer_norm", "normalized_shape": 6}, {"gamma": (6,), "beta": (6,)}),
    ({"type": "rms_norm", "normalized_shape": 6}, {"scale": (6,)}),
    ({"type": "batch_norm2d", "num_features": 3},
     {"gamma": (3,), "beta": (3,), "moving_mean": (3,), "moving_variance": (3,)}),
    ({"type": "group_norm", "num_groups": 2, "num_channels": 4}, {"gamma": (4,), "beta": (4,)}),
    ({"type": "rnn", "input_size": 3, "hidden_size": 5},
     {"kernel": (3, 5), "recurrent_kernel": (5, 5), "bias": (5,)}),
    ({"type": "lstm", "input_size": 3, "hidden_size": 5},
     {"kernel": (3, 20), "recurrent_kernel": (5, 20), "bias": (20,)}),
    ({"type": "gru", "input_size": 3, "hidden_size": 5},
     {"kernel": (3, 15), "recurrent_kernel": (5, 15), "bias": (2, 15)}),
    ({"type": "multihead_attention", "embed_dim": 8, "num_heads": 2, "kdim": 6},
     {"query.kernel": (8, 2, 4), "query.bias": (2, 4), "key.kernel": (6, 2, 4), "key.bias": (2, 4),
      "value.kernel": (8, 2, 4), "value.bias": (2, 4), "attention_output.kernel": (2, 4, 8),
      "attention_output.bias": (8,)}),
    ({"type": "prelu", "num_parameters": 3}, {"alpha": (3,)}),
]  # fmt: skip

FLAX_SHAPES: list[tuple[dict[str, Any], dict[str, tuple[int, ...]]]] = [
    ({"type": "linear", "in_features": 5, "out_features": 3}, {"kernel": (5, 3), "bias": (3,)}),
    ({"type": "conv2d", "in_channels": 6, "out_channels": 9, "kernel_size": [3, 2], "groups": 3},
     {"kernel": (3, 2, 2, 9), "bias": (9,)}),  # Conv(feature_group_count=3)
    ({"type": "conv_transpose1d", "in_channels": 6, "out_channels": 4, "kernel_size": 3},
     {"kernel": (3, 6, 4), "bias": (4,)}),  # (*k, in, features)
    ({"type": "embedding", "num_embeddings": 10, "embedding_dim": 4}, {"embedding": (10, 4)}),
    ({"type": "layer_norm", "normalized_shape": 6}, {"scale": (6,), "bias": (6,)}),
    ({"type": "rms_norm", "normalized_shape": 6}, {"scale": (6,)}),
    ({"type": "batch_norm1d", "num_features": 3}, {"scale": (3,), "bias": (3,), "mean": (3,), "var": (3,)}),
    ({"type": "group_norm", "num_groups": 2, "num_channels": 4}, {"scale": (4,), "bias": (4,)}),
    ({"type": "rnn", "input_size": 3, "hidden_size": 5},
     {"i.kernel": (3, 5), "i.bias": (5,), "h.kernel": (5, 5)}),  # SimpleCell
    ({"type": "lstm", "input_size": 3, "hidden_size": 5},
     {**{f"i{g}.kernel": (3, 5) for g in "ifgo"}, **{f"h{g}.kernel": (5, 5) for g in "ifgo"},
      **{f"h{g}.bias": (5,) for g in "ifgo"}}),  # LSTMCell
    ({"type": "gru", "input_size": 3, "hidden_size": 5},
     {**{f"i{g}.kernel": (3, 5) for g in "rzn"}, **{f"i{g}.bias": (5,) for g in "rzn"},
      **{f"h{g}.kernel": (5, 5) for g in "rzn"}, "hn.bias": (5,)}),  # GRUCell
    ({"type": "multihead_attention", "embed_dim": 8, "num_heads": 2, "vdim": 6},
     {"query.kernel": (8, 2, 4), "query.bias": (2, 4), "key.kernel": (8, 2, 4), "key.bias": (2, 4),
      "value.kernel": (6, 2, 4), "value.bias": (2, 4), "out.kernel": (2, 4, 8), "out.bias": (8,)}),
    ({"type": "prelu"}, {"negative_slope": ()}),
]  # fmt: skip


@pytest.mark.parametrize(("layer", "expected"), KERAS_SHAPES, ids=[spec["type"] for spec, _ in KERAS_SHAPES])
def test_keras_names_shapes_and_fans(layer: dict[str, Any], expected: dict[str, tuple[int, ...]]) -> None:
    plan = expand(layer, "keras")
    assert shapes(plan) == expected
    attention = layer["type"] == "multihead_attention"
    for name, shape in expected.items():
        axes = KERAS_EINSUM_AXES.get(name) if attention else None
        assert fans(plan, name) == keras_compute_fans(shape, axes), name


@pytest.mark.parametrize(("layer", "expected"), FLAX_SHAPES, ids=[spec["type"] for spec, _ in FLAX_SHAPES])
def test_flax_names_shapes_and_fans(layer: dict[str, Any], expected: dict[str, tuple[int, ...]]) -> None:
    plan = expand(layer, "flax")
    assert shapes(plan) == expected
    for name, shape in expected.items():
        # DenseGeneral biases are initialized flattened (1-D: no fans); Embed uses out_axis=0.
        if layer["type"] == "embedding":
            assert fans(plan, name) == jax_compute_fans(shape, in_axis=-2, out_axis=0)
        elif len(shape) == 2 and not name.endswith("bias"):
            assert fans(plan, name) == jax_compute_fans(shape), name


def test_transposed_conv_fan_in_differs_between_the_three_libraries() -> None:
    layer = {"type": "conv_transpose2d", "in_channels": 6, "out_channels": 4, "kernel_size": 3, "groups": 2}
    rf = 9
    assert fans(expand(layer, "torch"), "weight") == (4 // 2 * rf, 6 * rf)  # (in, out/g, *k)
    plain = {**layer, "groups": 1}
    assert fans(expand(plain, "keras"), "kernel") == (4 * rf, 6 * rf)  # (*k, out, in)
    assert fans(expand(plain, "flax"), "kernel") == (6 * rf, 4 * rf)  # (*k, in, out)


def test_depthwise_fan_in_differs_between_torch_and_keras() -> None:
    layer = {"type": "conv2d", "in_channels": 4, "out_channels": 8, "kernel_size": 3, "depthwise": True}
    assert fans(expand(layer, "torch"), "weight") == (1 * 9, 8 * 9)  # (out, 1, 3, 3)
    assert fans(expand(layer, "keras"), "kernel") == (4 * 9, 2 * 9)  # (3, 3, in, multiplier)
    assert fans(expand(layer, "flax"), "kernel") == (1 * 9, 8 * 9)  # (3, 3, 1, out)


def test_attention_kernel_fans_keras_einsum_versus_flax_flattened() -> None:
    layer = {"type": "multihead_attention", "embed_dim": 8, "num_heads": 2}
    assert fans(expand(layer, "keras"), "query.kernel") == (8, 2 * 4)  # Keras 3.15: einsum axes
    v1 = expand(layer, "keras", spec="tensorseed-stream/1")
    assert fans(v1, "query.kernel") == (2 * 8, 4 * 8)  # frozen v1: compute_fans((8, 2, 4)), Keras 3.14
    assert fans(expand(layer, "flax"), "query.kernel") == (8, 8)  # DenseGeneral: (8, 2 * 4)
    assert fans(expand(layer, "flax"), "out.kernel") == (8, 8)  # (2 * 4, 8)


def check_truncated(x: np.ndarray, std: float) -> None:
    s = std / TRUNC
    assert np.abs(x).max() <= 2 * s
    assert abs(x.std() - std) < 0.03 * std
    assert stats.kstest(x, stats.truncnorm(-2, 2, scale=s).cdf).pvalue > 1e-3


def test_keras_defaults() -> None:
    plan = expand({"type": "linear", "in_features": 600, "out_features": 400}, "keras")
    k = values(plan, "m.kernel")
    bound = math.sqrt(6 / 1000)  # glorot_uniform
    assert np.abs(k).max() <= bound and np.abs(k).max() > 0.999 * bound
    assert np.all(values(plan, "m.bias") == 0)
    e = values(
        expand({"type": "embedding", "num_embeddings": 500, "embedding_dim": 200}, "keras"), "m.embeddings"
    )
    assert e.min() >= -0.05 and e.max() < 0.05 and abs(e.std() - 0.1 / math.sqrt(12)) < 1e-3
    lstm = expand({"type": "lstm", "input_size": 3, "hidden_size": 16}, "keras")
    assert np.array_equal(values(lstm, "m.bias"), np.r_[np.zeros(16), np.ones(16), np.zeros(32)])
    rk = values(lstm, "m.recurrent_kernel").reshape(16, 64)  # Orthogonal: rows of (16, 64) orthonormal
    assert np.allclose(rk @ rk.T, np.eye(16), atol=1e-12)
    assert np.all(values(expand({"type": "prelu", "num_parameters": 3}, "keras"), "m.alpha") == 0)
    bn = expand({"type": "batch_norm1d", "num_features": 3}, "keras")
    assert np.all(values(bn, "m.moving_variance") == 1) and np.all(values(bn, "m.gamma") == 1)


def test_flax_defaults() -> None:
    plan = expand({"type": "linear", "in_features": 1000, "out_features": 1000}, "flax")
    check_truncated(values(plan, "m.kernel"), math.sqrt(1 / 1000))  # lecun_normal is truncated in JAX
    # Embed: variance_scaling(1, fan_in, 'normal', out_axis=0): untruncated N(0, 1/features).
    e = values(
        expand({"type": "embedding", "num_embeddings": 4000, "embedding_dim": 250}, "flax"), "m.embedding"
    )
    assert stats.kstest(e, stats.norm(scale=math.sqrt(1 / 250)).cdf).pvalue > 1e-3
    assert np.abs(e).max() > 4 * math.sqrt(1 / 250)
    lstm = expand({"type": "lstm", "input_size": 3, "hidden_size": 8}, "flax")
    h = values(lstm, "m.hf.kernel").reshape(8, 8)
    assert np.allclose(h.T @ h, np.eye(8), atol=1e-12)
    assert np.all(values(lstm, "m.hf.bias") == 0)  # LSTMCell: zero biases (no unit forget bias)
    slope = expand({"type": "prelu"}, "flax")
    assert tensor(slope, "m.negative_slope").shape == () and values(slope, "m.negative_slope")[0] == 0.01
    q = values(
        expand({"type": "multihead_attention", "embed_dim": 512, "num_heads": 8}, "flax"), "m.query.kernel"
    )
    check_truncated(q, math.sqrt(1 / 512))  # DenseGeneral fan_in = embed_dim


def test_a_layer_may_use_another_convention_than_its_recipe() -> None:
    recipe = {
        "seed": 1,
        "convention": "keras",
        "layers": [
            {"type": "linear", "name": "a", "in_features": 2, "out_features": 3},
            {"type": "linear", "name": "b", "in_features": 2, "out_features": 3, "convention": "torch"},
            {"type": "linear", "name": "c", "in_features": 2, "out_features": 3, "convention": "flax",
             "init": {"kernel": {"scheme": "he_normal"}}},
        ],
    }  # fmt: skip
    plan = plan_of(recipe)
    assert {t.name: t.shape for t in plan.tensors} == {
        "a.kernel": (2, 3), "a.bias": (3,), "b.weight": (3, 2), "b.bias": (3,),
        "c.kernel": (2, 3), "c.bias": (3,),
    }  # fmt: skip
    # The override inherits its layer's (flax = jax) meaning: he_normal is truncated.
    s = tensor(plan, "c.kernel").sampler
    assert getattr(s, "alpha", None) == -2.0

"""Layer conventions that follow newer library releases in tensorseed-stream/2 (spec 13.5),
while tensorseed-stream/1 keeps its frozen definitions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tensorseed.formats.safetensors import layout
from tensorseed.stream import SPEC_V1, SPEC_V2
from tensorseed.stream.dtypes import DType
from tests.support import plan_of, tensor

MHA = {"type": "multihead_attention", "name": "mha", "embed_dim": 32, "num_heads": 4, "kdim": 12, "vdim": 20}


def recipe(spec: str, layer: dict[str, Any], dtype: str = "float32") -> dict[str, Any]:
    return {"seed": 3, "spec": spec, "dtype": dtype, "convention": "keras", "layers": [layer]}


def test_v2_keras_attention_fans_are_the_einsum_axes_of_keras_3_15() -> None:
    plan = plan_of(recipe(SPEC_V2, MHA))
    fans = {name: (tensor(plan, f"mha.{name}").fans.fan_in, tensor(plan, f"mha.{name}").fans.fan_out)
            for name in ("query.kernel", "key.kernel", "value.kernel", "attention_output.kernel")}  # fmt: skip
    # (in, heads, head_dim) projections: fan_in = in, fan_out = heads * head_dim = 32.
    assert fans == {
        "query.kernel": (32, 32),
        "key.kernel": (12, 32),
        "value.kernel": (20, 32),
        "attention_output.kernel": (32, 32),
    }
    # glorot_uniform's bound follows: sqrt(6 / (fan_in + fan_out)).
    assert tensor(plan, "mha.key.kernel").sampler.high == pytest.approx((6 / 44) ** 0.5)


def test_v1_keras_attention_fans_keep_the_kernel_shape_rule() -> None:
    plan = plan_of(recipe(SPEC_V1, MHA))
    key = tensor(plan, "mha.key.kernel")  # shape (12, 4, 8): rf = 12, fan_in = 4 * 12, fan_out = 8 * 12
    assert (key.fans.fan_in, key.fans.fan_out) == (48, 96)
    out = tensor(plan, "mha.attention_output.kernel")  # (4, 8, 32): rf = 4
    assert (out.fans.fan_in, out.fans.fan_out) == (32, 128)


@pytest.mark.parametrize("dtype", ["float64", "bfloat16", "float16"])
def test_v2_flax_batch_stats_are_float32_whatever_the_recipe_dtype(dtype: str) -> None:
    layer = {"type": "batch_norm2d", "name": "bn", "num_features": 5}
    flax = {**recipe(SPEC_V2, layer, dtype), "convention": "flax"}
    plan = plan_of(flax)
    dtypes = {t.name: t.dtype for t in plan.tensors}
    assert dtypes == {"bn.mean": DType.float32, "bn.var": DType.float32,
                      "bn.scale": DType(dtype), "bn.bias": DType(dtype)}  # fmt: skip
    header = json.loads(layout(plan).header[8:])
    assert header["bn.var"]["dtype"] == "F32" and header["bn.scale"]["dtype"] == DType(dtype).safetensors_code


def test_v1_flax_batch_stats_keep_the_recipe_dtype() -> None:
    layer = {"type": "batch_norm1d", "name": "bn", "num_features": 5}
    plan = plan_of({**recipe(SPEC_V1, layer, "bfloat16"), "convention": "flax"})
    assert {t.dtype for t in plan.tensors} == {DType.bfloat16}

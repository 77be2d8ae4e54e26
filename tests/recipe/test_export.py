"""Export layouts (spec section 18): exported tensors are the layer's own values, bit for bit, at
the documented positions; refusals name the layer and the field; any byte range of an exported
file is computed with bounded memory, equal to that slice of the whole file."""

from __future__ import annotations

import json
import tracemalloc
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from safetensors.numpy import load as load_numpy

from tensorseed.engine.backend import ReferenceBackend, cpu_backend
from tensorseed.formats.ranges import iter_byte_range
from tensorseed.formats.safetensors import iter_file, layout
from tensorseed.formats.stats import plan_stats
from tensorseed.recipe.errors import LimitExceeded, RecipeError
from tensorseed.weights import read_file
from tests.support import file_bytes, plan_of


def arrays(recipe: dict[str, Any], export: str | None = None) -> dict[str, np.ndarray[Any, Any]]:
    """The file's tensors as raw bit patterns (uint), so equality is bit equality."""
    data = read_file(file_bytes(recipe if export is None else {**recipe, "export": export})).arrays
    return {k: v.view(f"u{v.dtype.itemsize}") for k, v in data.items()}


def layers(*specs: dict[str, Any], convention: str = "torch", dtype: str = "float32") -> dict[str, Any]:
    return {
        "seed": 9,
        "dtype": dtype,
        "convention": convention,
        "layers": [{"name": "m", **s} for s in specs],
    }


def test_linear_to_flax_and_keras_is_the_transposed_weight_bit_for_bit() -> None:
    recipe = layers({"type": "linear", "in_features": 7, "out_features": 5})
    torch = arrays(recipe)
    for target in ("flax", "keras"):
        out = arrays(recipe, target)
        assert set(out) == {"m.kernel", "m.bias"}
        assert np.array_equal(out["m.kernel"], torch["m.weight"].T)
        assert np.array_equal(out["m.bias"], torch["m.bias"])


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16", "float64"])
def test_conv_kernels_are_permuted_to_hwio_and_back(dtype: str) -> None:
    conv = {"type": "conv2d", "in_channels": 6, "out_channels": 4, "kernel_size": [3, 2], "groups": 2}
    torch = arrays(layers(conv, dtype=dtype))
    keras = arrays(layers(conv, dtype=dtype), "keras")
    assert np.array_equal(keras["m.kernel"], torch["m.weight"].transpose(2, 3, 1, 0))
    flax_native = arrays(layers(conv, convention="flax", dtype=dtype))
    back = arrays(layers(conv, convention="flax", dtype=dtype), "torch")
    assert np.array_equal(back["m.weight"], flax_native["m.kernel"].transpose(3, 2, 0, 1))


def test_flax_conv_transpose_kernel_is_flipped() -> None:
    layer = {"type": "conv_transpose2d", "in_channels": 3, "out_channels": 2, "kernel_size": [3, 2]}
    torch = arrays(layers(layer))["m.weight"]
    assert np.array_equal(arrays(layers(layer), "flax")["m.kernel"], torch.transpose(2, 3, 0, 1)[::-1, ::-1])
    assert np.array_equal(arrays(layers(layer), "keras")["m.kernel"], torch.transpose(2, 3, 1, 0))


def test_gru_gates_are_reordered_for_keras_and_split_for_flax() -> None:
    gru = {"type": "gru", "input_size": 3, "hidden_size": 4, "init": {"bias_hh_l0": {"scheme": "zeros"}}}
    t = arrays(layers(gru))
    h = 4
    r, z, n = (t["m.weight_ih_l0"][q * h : (q + 1) * h] for q in range(3))
    keras = arrays(layers(gru), "keras")
    assert np.array_equal(keras["m.kernel"], np.concatenate([z, r, n]).T)
    b = t["m.bias_ih_l0"]
    assert np.array_equal(keras["m.bias"][0], np.concatenate([b[h : 2 * h], b[:h], b[2 * h :]]))
    assert np.array_equal(keras["m.bias"][1], np.zeros(3 * h, keras["m.bias"].dtype))
    flax = arrays(layers(gru), "flax")
    assert np.array_equal(flax["m.ir.kernel"], r.T) and np.array_equal(flax["m.in.kernel"], n.T)
    assert np.array_equal(flax["m.iz.bias"], b[h : 2 * h])


def test_attention_projections_are_reshaped_per_head() -> None:
    mha = {"type": "multihead_attention", "embed_dim": 8, "num_heads": 2}
    t = arrays(layers(mha))
    w = t["m.in_proj_weight"]
    for target, out_name in (("keras", "attention_output"), ("flax", "out")):
        out = arrays(layers(mha), target)
        assert np.array_equal(out["m.key.kernel"], w[8:16].reshape(2, 4, 8).transpose(2, 0, 1))
        assert np.array_equal(out[f"m.{out_name}.kernel"], t["m.out_proj.weight"].T.reshape(2, 4, 8))
        assert np.array_equal(out["m.value.bias"], t["m.in_proj_bias"][16:].reshape(2, 4))


def test_keras_to_flax_goes_through_torchs_form_and_back_to_the_same_bytes() -> None:
    # Every value of every exported tensor is a value of the source layer: the round trip
    # keras -> flax -> (read as a flax recipe would lay it out) is checked through torch.
    spec = {"type": "lstm", "input_size": 3, "hidden_size": 4}
    keras = arrays(layers(spec, convention="keras"))
    flax = arrays(layers(spec, convention="keras"), "flax")
    gates = np.split(keras["m.kernel"], 4, axis=1)
    for q, g in enumerate("ifgo"):
        assert np.array_equal(flax[f"m.i{g}.kernel"], gates[q])
        # Keras' single bias (unit forget bias) goes to LSTMCell's h-side biases
        assert np.array_equal(flax[f"m.h{g}.bias"], np.split(keras["m.bias"], 4)[q])


def test_sources_keep_their_streams_so_every_value_is_a_source_value() -> None:
    spec = {"type": "multihead_attention", "embed_dim": 16, "num_heads": 4, "kdim": 12, "vdim": 8}
    for convention in ("torch", "keras", "flax"):
        own = arrays(layers(spec, convention=convention))
        for target in ("torch", "keras", "flax"):
            out = arrays(layers(spec, convention=convention), target)
            assert sorted(np.concatenate([v.ravel() for v in own.values()])) == sorted(
                np.concatenate([v.ravel() for v in out.values()])
            ), (convention, target)


def test_torch_counter_appears_and_disappears() -> None:
    bn = {"type": "batch_norm2d", "num_features": 3}
    to_torch = load_numpy(file_bytes({**layers(bn, convention="keras", dtype="float16"), "export": "torch"}))
    assert (
        to_torch["m.num_batches_tracked"].dtype == np.int64 and to_torch["m.num_batches_tracked"].shape == ()
    )
    assert to_torch["m.running_var"].dtype == np.float16
    assert "m.num_batches_tracked" not in arrays(layers(bn), "flax")


REFUSALS = [
    ({"type": "bilinear", "in1_features": 2, "in2_features": 3, "out_features": 4}, "keras", (), "bilinear"),
    ({"type": "conv_transpose2d", "in_channels": 4, "out_channels": 4, "kernel_size": 2, "groups": 2}, "flax",
     ("groups",), "grouped"),
    ({"type": "lstm", "input_size": 2, "hidden_size": 3, "proj_size": 2}, "keras", ("proj_size",), "projection"),
    ({"type": "lstm", "input_size": 2, "hidden_size": 3}, "flax", ("init",), "bias_ih_l0 + bias_hh_l0"),
    ({"type": "rnn", "input_size": 2, "hidden_size": 3, "bias": False}, "flax", ("bias",), "without biases"),
    ({"type": "prelu", "num_parameters": 3}, "flax", ("num_parameters",), "scalar"),
    ({"type": "multihead_attention", "embed_dim": 4, "num_heads": 2, "add_bias_kv": True}, "keras",
     ("add_bias_kv",), "bias_k"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("layer", "target", "field", "words"), REFUSALS, ids=[r[0]["type"] for r in REFUSALS]
)
def test_an_export_without_an_equivalent_names_the_layer_and_the_field(
    layer: dict[str, Any], target: str, field: tuple[str, ...], words: str
) -> None:
    with pytest.raises(RecipeError) as info:
        plan_of({**layers(layer), "export": target})
    assert info.value.loc == ("layers", 0, *field)
    assert "'m'" in info.value.message and words in info.value.message


def test_an_exported_concatenation_over_the_per_tensor_limit_is_refused() -> None:
    """18.4: 9.4's limits hold for exported tensors. Flax attention with embed_dim 27,000 keeps
    four kernels of 7.29e8 elements each, under 2^31; torch's in_proj_weight concatenates three."""
    mha = {"type": "multihead_attention", "embed_dim": 27_000, "num_heads": 1}
    assert plan_of(layers(mha, convention="flax")).tensors  # within every limit unexported
    with pytest.raises(LimitExceeded) as info:
        plan_of({**layers(mha, convention="flax"), "export": "torch"})
    assert info.value.loc == ("layers", 0)
    assert "'m.in_proj_weight' has 2187000000 elements" in info.value.message


def test_the_service_writes_the_same_exported_file_and_refuses_with_422(client: TestClient) -> None:
    recipe = {
        **layers({"type": "gru", "input_size": 3, "hidden_size": 4}, convention="keras"),
        "export": "torch",
    }
    response = client.post("/v1/weights", json=recipe)
    assert response.status_code == 200 and response.content == file_bytes(recipe)
    header = json.loads(layout(plan_of(recipe)).header[8:])
    assert json.loads(header["__metadata__"]["tensorseed.recipe"])["export"] == "torch"
    bad = client.post("/v1/weights", json={**layers({"type": "bilinear", "in1_features": 2, "in2_features": 3,
                                                      "out_features": 4}), "export": "flax"})  # fmt: skip
    assert bad.status_code == 422 and "bilinear" in bad.json()["error"]
    assert client.post("/v1/weights", json={**recipe, "export": "jax"}).status_code == 422


def test_stats_of_an_exported_tensor_are_those_of_its_source() -> None:
    recipe = layers({"type": "linear", "in_features": 300, "out_features": 200})
    own = {t["name"]: t for t in plan_stats(plan_of(recipe), ReferenceBackend(), 1 << 12, 4)["tensors"]}
    out = {
        t["name"]: t
        for t in plan_stats(plan_of({**recipe, "export": "flax"}), ReferenceBackend(), 1 << 12, 4)["tensors"]
    }
    assert out["m.kernel"]["expected"] == own["m.weight"]["expected"]
    assert out["m.kernel"]["observed"]["mean"] == pytest.approx(own["m.weight"]["observed"]["mean"], rel=1e-9)
    assert out["m.kernel"]["sha256"] != own["m.weight"]["sha256"]  # same values, other positions


def test_any_byte_range_of_an_exported_file_is_that_slice_of_the_whole_file() -> None:
    recipe = {**layers({"type": "lstm", "input_size": 5, "hidden_size": 6, "init": {"bias_ih_l0": {"scheme": "zeros"}}},
                       {"type": "conv2d", "in_channels": 3, "out_channels": 4, "kernel_size": 3}), "export": "flax"}  # fmt: skip
    recipe["layers"][1]["name"] = "c"
    plan = plan_of(recipe)
    file_layout = layout(plan)
    whole = b"".join(iter_file(plan, ReferenceBackend(), 7))
    rng = np.random.default_rng(0)
    for _ in range(40):
        a, b = sorted(int(v) for v in rng.integers(0, len(whole) + 1, 2))
        got = b"".join(iter_byte_range(plan, file_layout, cpu_backend(), 5, a, b))
        assert got == whole[a:b]


def test_a_range_of_a_huge_exported_kernel_needs_memory_for_the_range_only() -> None:
    # A 2^31-element (8 GiB) torch Linear weight exported to Flax: its kernel is the transpose, so
    # the bytes of one kernel row are one element of every weight row. They are gathered, not
    # generated by materializing the weight.
    recipe = {
        **layers({"type": "linear", "in_features": 2**16, "out_features": 2**15, "bias": False}),
        "export": "flax",
    }
    plan = plan_of(recipe)
    file_layout = layout(plan)
    kernel = plan.tensors[0]
    row = 12345  # kernel row = weight column
    start = file_layout.data_start + 4 * row * 2**15
    tracemalloc.start()
    got = b"".join(iter_byte_range(plan, file_layout, cpu_backend(), 1 << 12, start, start + 4 * 2**15))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 16 * 2**20, f"peak {peak / 2**20:.1f} MiB"
    weight = plan_of(
        layers({"type": "linear", "in_features": 2**16, "out_features": 2**15, "bias": False})
    ).tensors[0]
    column = [ReferenceBackend().fill(weight, o * 2**16 + row, 1) for o in range(0, 2**15, 4099)]
    assert [got[4 * o : 4 * o + 4] for o in range(0, 2**15, 4099)] == column
    assert kernel.shape == (2**16, 2**15)


def test_http_ranges_of_an_exported_recipe_url_equal_slices_of_its_file(client: TestClient) -> None:
    recipe = {
        **layers({"type": "conv2d", "in_channels": 8, "out_channels": 16, "kernel_size": 3}),
        "export": "keras",
    }
    whole = file_bytes(recipe)
    info = client.post("/v1/recipes", json=recipe).json()
    for lo, hi in (
        (0, 7),
        (info["header_size"] - 3, info["header_size"] + 40),
        (len(whole) - 100, len(whole) - 1),
    ):
        response = client.get(info["urls"]["weights"], headers={"Range": f"bytes={lo}-{hi}"})
        assert response.status_code == 206 and response.content == whole[lo : hi + 1]

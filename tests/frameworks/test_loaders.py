"""The loaders against the real Keras and Flax: by path only (never by order), strict (missing,
extra and mis-shaped weights refused before anything is assigned), Flax's dtypes, nnx's names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest
import torch
from flax import linen, nnx

import tensorseed.flax
import tensorseed.keras
from tensorseed.stream.dtypes import DType
from tensorseed.weights import read_file
from tests.frameworks.test_export_layers import assert_close
from tests.support import file_bytes

L = keras.layers
NORMAL = {"scheme": "normal", "std": 1.0}


def bn_recipe(convention: str = "keras", **extra: Any) -> dict[str, Any]:
    names = {"keras": ("gamma", "beta"), "torch": ("weight", "bias"), "flax": ("scale", "bias")}[convention]
    return {"seed": 4, "convention": convention, **extra, "layers": [
        {"type": "batch_norm1d", "name": "bn", "num_features": 5,
         "init": {names[0]: NORMAL, names[1]: {"scheme": "uniform", "a": 10, "b": 11}}}]}  # fmt: skip


def keras_bn() -> Any:
    inp = keras.Input((5,))
    return keras.Model(inp, L.BatchNormalization(name="bn")(inp))


def test_keras_assigns_by_name_so_equal_shapes_cannot_swap() -> None:
    # gamma and beta have the same shape; list-order loading once swapped them silently.
    model = keras_bn()
    tensorseed.keras.load(model, bn_recipe())
    arrays = read_file(file_bytes({**bn_recipe(), "export": "keras"})).arrays
    layer = model.get_layer("bn")
    assert np.array_equal(layer.gamma.value.detach().numpy(), arrays["bn.gamma"])
    assert np.array_equal(layer.beta.value.detach().numpy(), arrays["bn.beta"])
    assert float(layer.beta.value.detach().min()) >= 10


def test_keras_refuses_missing_extra_and_misshaped_weights_and_assigns_nothing() -> None:
    inp = keras.Input((4,))
    model = keras.Model(inp, L.Dense(2, name="head")(L.Dense(3, name="fc")(inp)))
    before = [w.value.detach().clone() for w in model.weights]
    recipe = {"seed": 1, "layers": [
        {"type": "linear", "name": "fc", "in_features": 4, "out_features": 7},  # mis-shaped
        {"type": "linear", "name": "other", "in_features": 7, "out_features": 2}]}  # extra; head missing  # fmt: skip
    with pytest.raises(tensorseed.keras.LoadError) as info:
        tensorseed.keras.load(model, recipe)
    message = str(info.value)
    assert (
        "head.kernel" in message
        and "other.kernel" in message
        and "fc.kernel: file [4, 7], model [4, 3]" in message
    )
    assert all(torch.equal(a, w.value.detach()) for a, w in zip(before, model.weights, strict=True))


def test_keras_recurrent_cell_level_and_nested_layers() -> None:
    inner = keras.Sequential([L.Dense(4, name="fc")], name="enc")
    inp = keras.Input((6, 3))
    model = keras.Model(inp, L.GRU(5, name="gru")(inner(inp)))
    recipe = {"seed": 2, "convention": "keras", "layers": [
        {"type": "linear", "name": "enc.fc", "in_features": 3, "out_features": 4},
        {"type": "gru", "name": "gru", "input_size": 4, "hidden_size": 5}]}  # fmt: skip
    names = tensorseed.keras.weight_names(model)
    assert {"gru.kernel", "gru.recurrent_kernel", "gru.bias", "enc.fc.kernel", "enc.fc.bias"} == set(names)
    assert model.get_layer("gru").weights[0].path == "gru/gru_cell/kernel"
    tensorseed.keras.load(model, recipe)
    arrays = read_file(file_bytes(recipe)).arrays
    assert np.array_equal(
        model.get_layer("gru").cell.recurrent_kernel.value.detach().numpy(), arrays["gru.recurrent_kernel"]
    )


def test_sources_file_path_bytes_and_json_text(tmp_path: Path) -> None:
    recipe = {**bn_recipe("torch"), "export": "keras"}
    path = tmp_path / "bn.safetensors"
    path.write_bytes(file_bytes(recipe))
    for source in (path, str(path), path.read_bytes(), json.dumps(bn_recipe("torch")), bn_recipe("torch")):
        model = keras_bn()
        tensorseed.keras.load(model, source)
        assert float(model.get_layer("bn").beta.value.detach().min()) >= 10
    with pytest.raises(ValueError, match="export 'keras'"):
        tensorseed.keras.load(keras_bn(), file_bytes(bn_recipe("torch")))  # a torch-layout file
    with pytest.raises(ValueError, match="exports to flax"):
        tensorseed.keras.load(keras_bn(), {**bn_recipe("torch"), "export": "flax"})


def test_flax_dtypes_batch_stats_float32_params_as_the_file() -> None:
    variables = tensorseed.flax.linen_variables({**bn_recipe("torch"), "dtype": "bfloat16"})
    assert variables["params"]["bn"]["scale"].dtype == jnp.bfloat16
    assert variables["batch_stats"]["bn"]["mean"].dtype == jnp.float32
    module = linen.BatchNorm(use_running_average=True, param_dtype=jnp.bfloat16)
    template = {c: {"bn": v} for c, v in module.init(jax.random.key(0), jnp.zeros((1, 5))).items()}
    assert jax.tree.map(lambda a: a.dtype, variables) == jax.tree.map(lambda a: a.dtype, template)


def test_the_flax_convention_writes_batch_stats_in_float32() -> None:
    dtypes = read_file(file_bytes({**bn_recipe("flax"), "dtype": "float16"})).dtypes
    assert (dtypes["bn.mean"], dtypes["bn.var"], dtypes["bn.scale"]) == (
        DType.float32,
        DType.float32,
        DType.float16,
    )


def test_flax_refuses_a_template_that_differs() -> None:
    module = linen.Dense(3)
    template = {"params": {"fc": module.init(jax.random.key(0), jnp.zeros((1, 4)))["params"]}}
    recipe = {"seed": 1, "layers": [{"type": "linear", "name": "fc", "in_features": 5, "out_features": 3}]}
    with pytest.raises(tensorseed.flax.LoadError, match=r"params.fc.kernel: file \[5, 3\], model \[4, 3\]"):
        tensorseed.flax.linen_variables(recipe, like=template)
    with pytest.raises(tensorseed.flax.LoadError, match="no variable for the file's tensors"):
        tensorseed.flax.linen_variables({**recipe, "layers": [*recipe["layers"], {"type": "linear", "name": "x",
                                         "in_features": 1, "out_features": 1}]}, like=template)  # fmt: skip


CELLS = {"rnn": nnx.SimpleCell, "lstm": nnx.LSTMCell, "gru": nnx.GRUCell}


@pytest.mark.parametrize("kind", list(CELLS))
def test_nnx_cells_take_their_own_names_and_fused_kernels(kind: str) -> None:
    # torch convention, one bias zeroed so that it exports; torch's outputs are the reference.
    layer = {"type": kind, "name": "cell", "input_size": 3, "hidden_size": 4,
             "init": {"bias_hh_l0": {"scheme": "zeros"}, "bias_ih_l0": NORMAL}}  # fmt: skip
    recipe = {"seed": 8, "layers": [layer]}
    x = np.random.default_rng(1).standard_normal((2, 5, 3)).astype(np.float32)
    torch_module = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](
        3, 4, batch_first=True
    )
    torch_module.load_state_dict({k.removeprefix("cell."): torch.from_numpy(np.array(v)) for k, v in
                                  read_file(file_bytes(recipe)).arrays.items()})  # fmt: skip
    reference = torch_module(torch.from_numpy(x))[0].detach().numpy()

    class Net(nnx.Module):
        def __init__(self) -> None:
            self.cell = nnx.RNN(CELLS[kind](3, 4, rngs=nnx.Rngs(0)))

        def __call__(self, x: Any) -> Any:
            return self.cell(x)

    net = Net()
    tensorseed.flax.load_nnx(net, recipe)
    assert_close(np.asarray(net(x)), reference, f"nnx {kind}")
    state = tensorseed.flax.nnx_state(recipe)
    expected = {"rnn": {"dense_i", "dense_h"}, "lstm": {"ii", "if_", "ig", "io", "hi", "hf", "hg", "ho"},
                "gru": {"dense_i", "dense_h"}}[kind]  # fmt: skip
    assert set(state["cell"]) == expected


def test_nnx_refuses_a_gru_whose_reset_gate_bias_is_not_zero() -> None:
    recipe = {"seed": 1, "convention": "flax", "layers": [
        {"type": "gru", "name": "g", "input_size": 2, "hidden_size": 3, "init": {"hn.bias": NORMAL}}]}  # fmt: skip
    with pytest.raises(tensorseed.flax.LoadError, match=r"hn\.bias is not zero"):
        tensorseed.flax.nnx_state(recipe)

"""Whole models, initialized once by tensorseed and loaded into torch, Keras, Flax linen and Flax
nnx through the export layout and the loaders, compute the same outputs on the same input."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import keras
import numpy as np
import pytest
import torch
from flax import linen, nnx
from safetensors.torch import load as load_torch

import tensorseed.flax
import tensorseed.keras
from tests.frameworks.test_export_layers import assert_close
from tests.support import file_bytes

RNG = np.random.default_rng(3)
NORMAL = {"scheme": "normal", "std": 0.5}

MLP = {"seed": 1, "layers": [
    {"type": "linear", "name": "fc1", "in_features": 16, "out_features": 32},
    {"type": "linear", "name": "fc2", "in_features": 32, "out_features": 8},
]}  # fmt: skip
CNN = {"seed": 2, "layers": [
    {"type": "conv2d", "name": "conv1", "in_channels": 3, "out_channels": 8, "kernel_size": 3},
    {"type": "batch_norm2d", "name": "bn1", "num_features": 8,
     "init": {"running_mean": NORMAL, "running_var": {"scheme": "uniform", "a": 0.5, "b": 2}, "weight": NORMAL}},
    {"type": "conv2d", "name": "conv2", "in_channels": 8, "out_channels": 4, "kernel_size": 3, "bias": False},
    {"type": "linear", "name": "head", "in_features": 4, "out_features": 10},
]}  # fmt: skip
ATTENTION = {"seed": 3, "layers": [
    {"type": "layer_norm", "name": "ln", "normalized_shape": 16, "init": {"weight": NORMAL, "bias": NORMAL}},
    {"type": "multihead_attention", "name": "attn", "embed_dim": 16, "num_heads": 4,
     "init": {"in_proj_bias": NORMAL, "out_proj.bias": NORMAL}},
    {"type": "linear", "name": "ff", "in_features": 16, "out_features": 16},
]}  # fmt: skip


def exported(recipe: dict[str, Any], library: str) -> bytes:
    return file_bytes({**recipe, "export": library})


# ---- torch ----


class TorchMLP(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.fc2 = torch.nn.Linear(16, 32), torch.nn.Linear(32, 8)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(torch.relu(self.fc1(x)))


class TorchCNN(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv1, self.bn1 = torch.nn.Conv2d(3, 8, 3), torch.nn.BatchNorm2d(8)
        self.conv2, self.head = torch.nn.Conv2d(8, 4, 3, bias=False), torch.nn.Linear(4, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv2(torch.relu(self.bn1(self.conv1(x))))
        return self.head(h.mean(dim=(2, 3)))


class TorchAttention(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.ln, self.ff = torch.nn.LayerNorm(16), torch.nn.Linear(16, 16)
        self.attn = torch.nn.MultiheadAttention(16, 4, batch_first=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.ln(x)
        h = x + self.attn(h, h, h, need_weights=False)[0]
        return self.ff(h)


def run_torch(module: torch.nn.Module, recipe: dict[str, Any], x: np.ndarray[Any, Any]) -> Any:
    module.load_state_dict(load_torch(exported(recipe, "torch")), strict=True)
    module.eval()
    with torch.no_grad():
        return module(torch.from_numpy(x)).numpy()


# ---- keras ----


def keras_model(name: str, x: np.ndarray[Any, Any]) -> Any:
    inp = keras.Input(x.shape[1:])
    L = keras.layers
    if name == "mlp":
        out = L.Dense(8, name="fc2")(L.Dense(32, activation="relu", name="fc1")(inp))
    elif name == "cnn":
        h = L.Conv2D(8, 3, name="conv1")(inp)
        h = L.Activation("relu")(L.BatchNormalization(epsilon=1e-5, name="bn1")(h))
        h = L.Conv2D(4, 3, use_bias=False, name="conv2")(h)
        out = L.Dense(10, name="head")(L.GlobalAveragePooling2D()(h))
    else:
        h = L.LayerNormalization(epsilon=1e-5, name="ln")(inp)
        h = L.Add()([inp, L.MultiHeadAttention(4, 4, name="attn")(h, h, h)])
        out = L.Dense(16, name="ff")(h)
    return keras.Model(inp, out)


# ---- flax linen and nnx ----


class LinenMLP(linen.Module):
    @linen.compact
    def __call__(self, x: Any) -> Any:
        return linen.Dense(8, name="fc2")(jax.nn.relu(linen.Dense(32, name="fc1")(x)))


class LinenCNN(linen.Module):
    @linen.compact
    def __call__(self, x: Any) -> Any:
        h = linen.Conv(8, (3, 3), padding="VALID", name="conv1")(x)
        h = jax.nn.relu(linen.BatchNorm(use_running_average=True, epsilon=1e-5, name="bn1")(h))
        h = linen.Conv(4, (3, 3), padding="VALID", use_bias=False, name="conv2")(h)
        return linen.Dense(10, name="head")(h.mean(axis=(1, 2)))


class LinenAttention(linen.Module):
    @linen.compact
    def __call__(self, x: Any) -> Any:
        h = linen.LayerNorm(epsilon=1e-5, name="ln")(x)
        h = x + linen.MultiHeadDotProductAttention(num_heads=4, name="attn")(h, h, h)
        return linen.Dense(16, name="ff")(h)


class NnxMLP(nnx.Module):
    def __init__(self, rngs: nnx.Rngs) -> None:
        self.fc1, self.fc2 = nnx.Linear(16, 32, rngs=rngs), nnx.Linear(32, 8, rngs=rngs)

    def __call__(self, x: Any) -> Any:
        return self.fc2(jax.nn.relu(self.fc1(x)))


class NnxCNN(nnx.Module):
    def __init__(self, rngs: nnx.Rngs) -> None:
        self.conv1 = nnx.Conv(3, 8, (3, 3), padding="VALID", rngs=rngs)
        self.bn1 = nnx.BatchNorm(8, use_running_average=True, epsilon=1e-5, rngs=rngs)
        self.conv2 = nnx.Conv(8, 4, (3, 3), padding="VALID", use_bias=False, rngs=rngs)
        self.head = nnx.Linear(4, 10, rngs=rngs)

    def __call__(self, x: Any) -> Any:
        h = self.conv2(jax.nn.relu(self.bn1(self.conv1(x))))
        return self.head(h.mean(axis=(1, 2)))


class NnxAttention(nnx.Module):
    def __init__(self, rngs: nnx.Rngs) -> None:
        self.ln = nnx.LayerNorm(16, epsilon=1e-5, rngs=rngs)
        self.attn = nnx.MultiHeadAttention(4, 16, 16, decode=False, rngs=rngs)
        self.ff = nnx.Linear(16, 16, rngs=rngs)

    def __call__(self, x: Any) -> Any:
        h = self.ln(x)
        return self.ff(x + self.attn(h, h, h))


MODELS = {
    "mlp": (MLP, RNG.standard_normal((4, 16)), TorchMLP, LinenMLP, NnxMLP),
    "cnn": (CNN, RNG.standard_normal((2, 3, 9, 8)), TorchCNN, LinenCNN, NnxCNN),
    "attention": (ATTENTION, RNG.standard_normal((2, 5, 16)), TorchAttention, LinenAttention, NnxAttention),
}


@pytest.mark.parametrize("name", list(MODELS))
def test_one_initialization_same_outputs_in_torch_keras_flax_and_nnx(name: str) -> None:
    recipe, x64, torch_class, linen_class, nnx_class = MODELS[name]
    x = x64.astype(np.float32)
    xl = np.moveaxis(x, 1, -1) if x.ndim == 4 else x  # channels-last for Keras and Flax
    reference = run_torch(torch_class(), recipe, x)

    model = keras_model(name, xl)
    tensorseed.keras.load(model, exported(recipe, "keras"))
    y_keras = model(xl, training=False).detach().numpy()
    assert_close(y_keras, reference, f"{name}: keras")

    module = linen_class()
    variables = tensorseed.flax.linen_variables(recipe)  # the recipe itself, exported to flax here
    template = module.init(jax.random.key(0), xl)
    assert jax.tree.map(jnp.shape, variables) == jax.tree.map(jnp.shape, template)
    assert_close(np.asarray(module.apply(variables, xl)), reference, f"{name}: flax linen")

    net = nnx_class(nnx.Rngs(0))
    tensorseed.flax.load_nnx(net, exported(recipe, "flax"))
    assert_close(np.asarray(net(xl)), reference, f"{name}: flax nnx")

"""tensorseed.torch: recipes from modules, in-place init equal to the service's file, on every route.

Every "the service's file" below is the body of a real ``POST /v1/weights`` through the app
(TestClient), for the recipe ``recipe_from_module`` / ``init_`` returned.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import torch
from fastapi.testclient import TestClient
from safetensors.torch import load as load_safetensors
from torch import nn

import tensorseed
from tensorseed.torch import ModuleNotCovered, init_, recipe_from_module

transformers = pytest.importorskip("transformers")


def service_file(client: TestClient, recipe: dict[str, Any]) -> dict[str, torch.Tensor]:
    response = client.post("/v1/weights", json=recipe)
    assert response.status_code == 200, response.text
    tensors: dict[str, torch.Tensor] = load_safetensors(response.content)
    return tensors


def raw_bytes(tensor: torch.Tensor) -> torch.Tensor:
    return tensor.detach().contiguous().reshape(-1).view(torch.uint8)


def assert_state_is_file(module: nn.Module, file: dict[str, torch.Tensor]) -> None:
    """Every state_dict entry holds exactly the file's bytes (so -0.0 and 0.0 differ here)."""
    state = module.state_dict()
    assert set(state) == set(file)
    for name, tensor in state.items():
        assert tensor.dtype == file[name].dtype, name
        assert tensor.numel() == file[name].numel(), name
        assert torch.equal(raw_bytes(tensor), raw_bytes(file[name])), name


class TransformerBlock(nn.Module):
    """Attention + MLP with pre-LayerNorm, as people write it."""

    def __init__(self, dim: int = 32, heads: int = 4) -> None:
        super().__init__()
        self.ln_1 = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln_2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


def mlp() -> nn.Module:
    return nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 64), nn.Tanh(),
                         nn.Linear(64, 10))  # fmt: skip


def cnn() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 32, (3, 5), stride=2, padding=(1, 2), groups=2), nn.BatchNorm2d(32), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10),
    )  # fmt: skip


def transformer() -> nn.Module:
    return nn.ModuleDict({
        "embed": nn.Embedding(100, 32, padding_idx=0),
        "blocks": nn.ModuleList([TransformerBlock(), TransformerBlock()]),
        "encoder": nn.TransformerEncoderLayer(32, 4, 64, batch_first=True),
        "head": nn.Linear(32, 100, bias=False),
    })  # fmt: skip


MODELS: dict[str, Callable[[], nn.Module]] = {"mlp": mlp, "cnn": cnn, "transformer": transformer}


@pytest.mark.parametrize("name", list(MODELS))
def test_init_leaves_the_services_file_in_the_model(name: str, client: TestClient) -> None:
    model = MODELS[name]()
    rng = torch.get_rng_state()
    recipe = init_(model, seed=7)
    assert torch.equal(torch.get_rng_state(), rng)  # torch's global generator untouched
    assert recipe == recipe_from_module(model, seed=7)
    file = service_file(client, recipe)
    assert_state_is_file(model, file)
    fresh = MODELS[name]()
    fresh.load_state_dict(file, strict=True)
    assert all(
        torch.equal(a, b)
        for a, b in zip(fresh.state_dict().values(), model.state_dict().values(), strict=True)
    )


def test_the_recipe_names_every_state_dict_key_with_its_layer() -> None:
    recipe = recipe_from_module(cnn(), seed=0)
    assert [(layer["name"], layer["type"]) for layer in recipe["layers"]] == [
        ("0", "conv2d"), ("1", "batch_norm2d"), ("3", "conv2d"), ("4", "batch_norm2d"), ("8", "linear")
    ]  # fmt: skip
    conv = recipe["layers"][2]
    # shape-changing arguments are read from the module; stride and padding play no part
    assert conv == {"name": "3", "type": "conv2d", "in_channels": 16, "out_channels": 32,
                    "kernel_size": [3, 5], "groups": 2}  # fmt: skip
    plan = tensorseed.plan(recipe)
    assert {t.name for t in plan.tensors} == set(cnn().state_dict())
    counter = next(t for t in plan.tensors if t.name == "1.num_batches_tracked")
    assert (counter.shape, counter.dtype.value) == ((), "int64")


def test_bfloat16_module_and_explicit_dtype(client: TestClient) -> None:
    model = mlp().to(torch.bfloat16)
    recipe = init_(model, seed=3)
    assert recipe["dtype"] == "bfloat16"
    assert_state_is_file(model, service_file(client, recipe))
    with pytest.raises(ModuleNotCovered, match="convert the module"):
        init_(mlp(), seed=3, dtype="float16")
    mixed = mlp()
    mixed[0].to(torch.float64)
    with pytest.raises(ModuleNotCovered, match="several float dtypes"):
        recipe_from_module(mixed, seed=0)


class Tied(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.wte = nn.Embedding(50, 16)
        self.body = nn.Linear(16, 16)
        self.lm_head = nn.Linear(16, 50)
        self.lm_head.weight = self.wte.weight  # weight tying; the head keeps its own bias


def test_tied_parameters_become_ties(client: TestClient) -> None:
    model = Tied()
    recipe = init_(model, seed=5)
    assert recipe["ties"] == {"lm_head.weight": "wte.weight"}
    # lm_head's untied bias keeps Linear's default, as a raw tensor with the layer's fans
    assert {t["name"] for t in recipe["tensors"]} == {"lm_head.bias"}
    assert model.lm_head.weight is model.wte.weight
    assert_state_is_file(model, service_file(client, recipe))


def test_meta_module_is_materialized_on_the_named_device_with_ties_kept() -> None:
    with torch.device("meta"):
        model = Tied()
    with pytest.raises(ModuleNotCovered, match="pass device="):
        init_(model, seed=5)
    recipe = init_(model, seed=5, device="cpu")
    assert model.lm_head.weight is model.wte.weight and not model.wte.weight.is_meta
    reference = Tied()
    assert init_(reference, seed=5) == recipe
    for (name, a), b in zip(model.state_dict().items(), reference.state_dict().values(), strict=True):
        assert torch.equal(a, b), name


def test_transient_buffers_after_meta_are_named_in_a_warning() -> None:
    with torch.device("meta"):
        model = nn.Sequential(nn.Linear(4, 4))
    model.register_buffer("cache", torch.empty(3, device="meta"), persistent=False)
    with pytest.warns(UserWarning, match="cache"):
        init_(model, seed=1, device="cpu")


class Custom(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.proj = transformers.pytorch_utils.Conv1D(12, 4)  # transformers' (in, out) Linear
        self.norm = nn.LayerNorm(12)
        self.gate = nn.Parameter(torch.zeros(12))
        self.register_buffer("mask", torch.ones(3, 3))


def test_unknown_modules_are_refused_with_the_way_to_cover_them(client: TestClient) -> None:
    with pytest.raises(ModuleNotCovered) as caught:
        recipe_from_module(Custom(), seed=0)
    message = str(caught.value)
    for name in ("proj.weight", "proj.bias", "gate", "mask"):
        assert name in message
    assert "Conv1D" in message and "overrides=" in message and "default_init=" in message
    # default_init covers parameters, not buffers
    with pytest.raises(ModuleNotCovered, match="mask"):
        recipe_from_module(Custom(), seed=0, default_init={"scheme": "normal", "std": 0.02})
    model = Custom()
    recipe = init_(model, seed=0, default_init={"scheme": "normal", "std": 0.02},
                   overrides={"mask": {"scheme": "ones"}, "proj.bias": {"scheme": "zeros"},
                              "norm.weight": {"scheme": "constant", "value": 0.5}})  # fmt: skip
    assert_state_is_file(model, service_file(client, recipe))
    assert torch.all(model.norm.weight == 0.5) and torch.all(model.proj.bias == 0)
    assert recipe["layers"] == [{"name": "norm", "type": "layer_norm", "normalized_shape": 12,
                                 "init": {"weight": {"scheme": "constant", "value": 0.5}}}]  # fmt: skip
    with pytest.raises(ModuleNotCovered, match=r"'nrom\.weight' matches no tensor"):
        recipe_from_module(Custom(), seed=0, default_init={"scheme": "zeros"},
                           overrides={"mask": {"scheme": "ones"}, "nrom.weight": {"scheme": "ones"}})  # fmt: skip


def test_a_subclass_that_initializes_differently_is_not_taken_for_its_base() -> None:
    class ZeroLinear(nn.Linear):
        def reset_parameters(self) -> None:
            nn.init.zeros_(self.weight)

    class PlainLinear(nn.Linear):
        pass

    with pytest.raises(ModuleNotCovered, match=r"0\.weight"):
        recipe_from_module(nn.Sequential(ZeroLinear(2, 2)), seed=0)
    assert recipe_from_module(nn.Sequential(PlainLinear(2, 2)), seed=0)["layers"][0]["type"] == "linear"


def test_every_route_gives_the_same_bytes() -> None:
    # The Triton kernels run here under TRITON_INTERPRET=1 (tests/conftest.py), on CPU tensors:
    # the kernel logic is checked; a GPU run is scripts/gpu_check.py's.
    pytest.importorskip("triton")
    base = transformer()
    init_(base, seed=11)
    for route in ("triton", "reference"):
        model = transformer()
        init_(model, seed=11, route=route)
        for (name, a), b in zip(model.state_dict().items(), base.state_dict().values(), strict=True):
            assert torch.equal(a, b), (route, name)


def test_a_given_recipe_must_match_the_module() -> None:
    model = mlp()
    recipe = recipe_from_module(model, seed=1)
    assert init_(model, recipe=json.dumps(recipe)) == recipe
    with pytest.raises(ModuleNotCovered, match="in the module but not the recipe"):
        init_(model, recipe={**recipe, "layers": recipe["layers"][:-1]})


# ---- presets on real transformers models ----


def test_gpt2_preset_on_a_transformers_model(client: TestClient) -> None:
    cfg = transformers.GPT2Config(n_layer=2, n_head=2, n_embd=32, vocab_size=64, n_positions=16)
    model = transformers.GPT2LMHeadModel(cfg)
    rng = torch.get_rng_state()
    recipe = init_(model, seed=1, preset="gpt2")
    assert torch.equal(torch.get_rng_state(), rng)
    assert recipe["model"] == {"preset": "gpt2", "config": {"n_layer": 2, "n_head": 2, "n_embd": 32, "vocab_size": 64,
                               "n_positions": 16, "initializer_range": 0.02}}  # fmt: skip
    assert model.lm_head.weight is model.transformer.wte.weight
    file = service_file(client, recipe)
    assert_state_is_file(model, file)
    transformers.GPT2LMHeadModel(cfg).load_state_dict(file, strict=True)


def test_llama_preset_on_a_transformers_model(client: TestClient) -> None:
    cfg = transformers.LlamaConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                                   num_key_value_heads=2, vocab_size=64, intermediate_size=48)  # fmt: skip
    model = transformers.LlamaForCausalLM(cfg).to(torch.bfloat16)
    recipe = init_(model, seed=2, preset="llama", overrides={"lm_head.weight": {"scheme": "zeros"}})
    assert recipe["dtype"] == "bfloat16"
    assert torch.all(model.lm_head.weight == 0)
    assert_state_is_file(model, service_file(client, recipe))


def test_a_preset_that_does_not_fit_the_model_says_where() -> None:
    model = transformers.GPT2LMHeadModel(
        transformers.GPT2Config(n_layer=2, n_head=2, n_embd=32, vocab_size=64)
    )
    with pytest.raises(ModuleNotCovered, match="shapes differ"):
        recipe_from_module(model, seed=0, preset="gpt2", config={"n_layer": 2, "n_head": 2, "n_embd": 16,
                                                                   "vocab_size": 64})  # fmt: skip
    with pytest.raises(ModuleNotCovered, match="in the module but not the recipe"):
        recipe_from_module(model, seed=0, preset="llama", config={"dim": 32, "n_layers": 2, "n_heads": 2})
    with pytest.raises(ValueError, match="did you mean 'gpt2'"):
        recipe_from_module(model, seed=0, preset="gtp2")
    with pytest.raises(ValueError, match="pass config="):
        recipe_from_module(nn.Linear(2, 2), seed=0, preset="gpt2")


def test_tied_llama_without_a_tie_in_the_preset_is_refused() -> None:
    cfg = transformers.LlamaConfig(hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                   vocab_size=32, intermediate_size=24, tie_word_embeddings=True)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = transformers.LlamaForCausalLM(cfg)
    if model.lm_head.weight is not model.model.embed_tokens.weight:
        pytest.skip("this transformers version does not tie at construction")
    with pytest.raises(ModuleNotCovered, match="one tensor in the module"):
        init_(model, seed=0, preset="llama")


def test_cpu_tensors_are_written_in_place_without_a_copy() -> None:
    # The compiled kernel writes into the tensor's own memory: Python-side allocations (numpy
    # and bytes, which tracemalloc sees) stay far below the 16 MiB weight. The reference route,
    # which makes bytes chunk by chunk and copies them in, is the control.
    import tracemalloc

    from tensorseed.stream import kernel

    if not kernel.AVAILABLE:
        pytest.skip("the compiled kernel is not built")
    peaks = {}
    for route in ("kernel", "reference"):
        init_(nn.Sequential(nn.Linear(4, 4)), seed=1, route=route)  # type: ignore[arg-type]  # imports, caches
        model = nn.Sequential(nn.Linear(2048, 2048))
        pointer = model[0].weight.data_ptr()
        tracemalloc.start()
        init_(model, seed=1, route=route)  # type: ignore[arg-type]
        peaks[route] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert model[0].weight.data_ptr() == pointer  # the same storage, filled in place
    assert peaks["kernel"] < 1 << 20 < peaks["reference"], peaks  # measured: 16 KiB vs 6.5 MiB


def test_a_bare_layer_is_covered_by_overrides_and_says_so() -> None:
    with pytest.raises(ModuleNotCovered, match="a bare layer has no layer name"):
        recipe_from_module(nn.Linear(3, 2), seed=0)
    layer = nn.Linear(3, 2)
    recipe = init_(
        layer, seed=0, overrides={"weight": {"scheme": "xavier_uniform"}, "bias": {"scheme": "zeros"}}
    )
    assert [t["name"] for t in recipe["tensors"]] == ["weight", "bias"] and torch.all(layer.bias == 0)

"""rng='torch': the file equals torch's own state_dict after torch.manual_seed + the same modules."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import torch
from safetensors.torch import load as load_torch
from torch import nn

from tensorseed.recipe.models import Recipe
from tests.support import file_bytes, plan_of

SEEDS = [0, 2**32 + 5, 2**64 - 1]


def torch_state(seed: int, build: Callable[[], dict[str, nn.Module]]) -> dict[str, torch.Tensor]:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        modules = build()
    return {f"{name}.{k}": v for name, mod in modules.items() for k, v in mod.state_dict().items()}


def assert_same(ours: dict[str, torch.Tensor], theirs: dict[str, torch.Tensor]) -> None:
    assert sorted(ours) == sorted(theirs)
    for k in theirs:
        assert ours[k].dtype == theirs[k].dtype, k
        assert torch.equal(ours[k], theirs[k]), k


CASES: list[tuple[str, list[dict[str, Any]], Callable[[], dict[str, nn.Module]]]] = [
    (
        "mlp",
        [{"type": "linear", "name": "0", "in_features": 784, "out_features": 256},
         {"type": "linear", "name": "2", "in_features": 256, "out_features": 10}],
        lambda: {"0": nn.Linear(784, 256), "2": nn.Linear(256, 10)},
    ),
    (
        "convs",
        [{"type": "conv1d", "name": "a", "in_channels": 4, "out_channels": 6, "kernel_size": 3},
         {"type": "conv2d", "name": "b", "in_channels": 6, "out_channels": 9, "kernel_size": [3, 2], "groups": 3},
         {"type": "conv3d", "name": "c", "in_channels": 2, "out_channels": 4, "kernel_size": 2, "bias": False}],
        lambda: {"a": nn.Conv1d(4, 6, 3), "b": nn.Conv2d(6, 9, (3, 2), groups=3), "c": nn.Conv3d(2, 4, 2, bias=False)},
    ),
    (
        "embedding",
        [{"type": "embedding", "name": "tok", "num_embeddings": 100, "embedding_dim": 16, "padding_idx": 3},
         {"type": "linear", "name": "out", "in_features": 16, "out_features": 5}],
        lambda: {"tok": nn.Embedding(100, 16, padding_idx=3), "out": nn.Linear(16, 5)},
    ),
    (
        "transposed-bilinear",
        [{"type": "conv_transpose2d", "name": "up", "in_channels": 6, "out_channels": 4, "kernel_size": 3,
          "groups": 2},
         {"type": "bilinear", "name": "bi", "in1_features": 5, "in2_features": 7, "out_features": 3}],
        lambda: {"up": nn.ConvTranspose2d(6, 4, 3, groups=2), "bi": nn.Bilinear(5, 7, 3)},
    ),
    (
        "recurrent",
        [{"type": "lstm", "name": "lstm", "input_size": 10, "hidden_size": 16, "proj_size": 8, "num_layers": 2},
         {"type": "gru", "name": "gru", "input_size": 8, "hidden_size": 12, "num_layers": 2, "bidirectional": True},
         {"type": "rnn", "name": "rnn", "input_size": 3, "hidden_size": 5}],
        lambda: {"lstm": nn.LSTM(10, 16, num_layers=2, proj_size=8),
                 "gru": nn.GRU(8, 12, num_layers=2, bidirectional=True), "rnn": nn.RNN(3, 5)},
    ),
    (
        "attention",
        [{"type": "multihead_attention", "name": "packed", "embed_dim": 16, "num_heads": 4},
         {"type": "multihead_attention", "name": "kv", "embed_dim": 16, "num_heads": 2, "kdim": 8, "vdim": 12,
          "add_bias_kv": True}],
        lambda: {"packed": nn.MultiheadAttention(16, 4),
                 "kv": nn.MultiheadAttention(16, 2, kdim=8, vdim=12, add_bias_kv=True)},
    ),
    (
        "sequential-mix",
        [{"type": "conv2d", "name": "0", "in_channels": 3, "out_channels": 8, "kernel_size": 3},
         {"type": "batch_norm2d", "name": "1", "num_features": 8},
         {"type": "layer_norm", "name": "3", "normalized_shape": [8, 4, 4]},
         {"type": "group_norm", "name": "4", "num_groups": 2, "num_channels": 8},
         {"type": "prelu", "name": "5", "num_parameters": 8},
         {"type": "embedding", "name": "6", "num_embeddings": 30, "embedding_dim": 8, "padding_idx": 0},
         {"type": "linear", "name": "7", "in_features": 8, "out_features": 2}],
        lambda: {"0": nn.Conv2d(3, 8, 3), "1": nn.BatchNorm2d(8), "3": nn.LayerNorm([8, 4, 4]),
                 "4": nn.GroupNorm(2, 8), "5": nn.PReLU(8), "6": nn.Embedding(30, 8, padding_idx=0),
                 "7": nn.Linear(8, 2)},
    ),
]  # fmt: skip


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("name", "layers", "build"), CASES, ids=[c[0] for c in CASES])
def test_layers_equal_torch_state_dict(
    seed: int, name: str, layers: list[dict[str, Any]], build: Any
) -> None:
    ours = load_torch(file_bytes({"seed": seed, "rng": "torch", "layers": layers}))
    assert_same(ours, torch_state(seed, build))


@pytest.mark.parametrize("dtype", ["float64", "bfloat16"])
def test_dtypes_are_the_module_dtype(dtype: str) -> None:
    layers = [{"type": "linear", "name": "fc", "in_features": 33, "out_features": 7}]
    ours = load_torch(file_bytes({"seed": 9, "rng": "torch", "dtype": dtype, "layers": layers}))
    theirs = torch_state(9, lambda: {"fc": nn.Linear(33, 7, dtype=getattr(torch, dtype))})
    assert_same(ours, theirs)


def test_overrides_and_raw_tensors_follow_recipe_order() -> None:
    recipe = {
        "seed": 123,
        "rng": "torch",
        "layers": [
            {"type": "linear", "name": "fc", "in_features": 20, "out_features": 30,
             "init": {"bias": {"scheme": "zeros"}, "weight": {"scheme": "kaiming_normal", "nonlinearity": "relu"}}},
        ],
        "tensors": [
            {"name": "tn", "shape": [40, 5], "init": {"scheme": "trunc_normal", "std": 0.02}},
            {"name": "xu", "shape": [6, 4], "init": {"scheme": "xavier_uniform", "gain": 2.0}},
        ],
    }  # fmt: skip
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(123)
        fc = nn.Linear(20, 30)
        nn.init.kaiming_normal_(fc.weight, nonlinearity="relu")
        nn.init.zeros_(fc.bias)
        tn = nn.init.trunc_normal_(torch.empty(40, 5), std=0.02)
        xu = nn.init.xavier_uniform_(torch.empty(6, 4), gain=2.0)
    theirs = {"fc.weight": fc.weight.detach(), "fc.bias": fc.bias.detach(), "tn": tn, "xu": xu}
    assert_same(load_torch(file_bytes(recipe)), theirs)


def test_chunks_ranges_and_threads_do_not_change_bytes() -> None:
    recipe = {
        "seed": 5,
        "rng": "torch",
        "layers": [
            {"type": "linear", "name": f"l{i}", "in_features": 64, "out_features": 64} for i in range(4)
        ],
    }
    whole = file_bytes(recipe)
    assert file_bytes(recipe, chunk_elements=7) == whole
    before = torch.get_rng_state()
    with ThreadPoolExecutor(4) as pool:
        assert all(b == whole for b in pool.map(lambda _: file_bytes(recipe, chunk_elements=100), range(8)))
    assert torch.equal(torch.get_rng_state(), before)  # the caller's generator is left alone


def test_metadata_records_torch_version_and_cpu_capability() -> None:
    from tensorseed.formats.safetensors import metadata

    meta = metadata(
        plan_of(
            {"seed": 1, "rng": "torch", "tensors": [{"name": "t", "shape": [2], "init": {"scheme": "ones"}}]}
        )
    )
    assert meta["tensorseed.torch_version"] == torch.__version__
    assert meta["tensorseed.torch_cpu_capability"] == torch.backends.cpu.get_cpu_capability()
    portable = metadata(
        plan_of({"seed": 1, "tensors": [{"name": "t", "shape": [2], "init": {"scheme": "ones"}}]})
    )
    assert "tensorseed.torch_version" not in portable


def test_fan_overrides_are_refused_in_torch_mode() -> None:
    from tensorseed.recipe.errors import RecipeError

    with pytest.raises(RecipeError, match="fan_in/fan_out overrides"):
        plan_of({"seed": 1, "rng": "torch", "tensors": [{"name": "t", "shape": [4], "fan_in": 3, "fan_out": 2,
                                                         "init": {"scheme": "kaiming_normal"}}]})  # fmt: skip


def test_steps_are_recorded_lazily_and_replay_identically() -> None:
    from tensorseed.recipe.plan import build_plan

    recipe = {"seed": 5, "rng": "torch", "tensors": [
        {"name": f"t{i}", "shape": [16], "init": {"scheme": "normal"}} for i in range(4)]}  # fmt: skip
    plan = build_plan(Recipe.model_validate(recipe))
    draws = {t.name: t.torch_draw for t in plan.tensors}
    program = draws["t0"].program  # type: ignore[union-attr]
    first = draws["t1"].fill(0, 16)  # type: ignore[union-attr]
    assert len(program._states) == 2  # only as far as asked
    last = draws["t3"].fill(4, 8)  # type: ignore[union-attr]
    assert draws["t1"].fill(0, 16) == first  # replayed from its recorded state
    fresh = build_plan(Recipe.model_validate(recipe))
    assert next(t for t in fresh.tensors if t.name == "t3").torch_draw.fill(4, 8) == last  # type: ignore[union-attr]

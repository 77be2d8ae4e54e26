"""Model presets: whole state dicts that load strictly into the real models, with the published init."""

from __future__ import annotations

import math
from typing import Any

import pytest
import torch
from safetensors.torch import load as load_torch

from tensorseed.recipe.errors import LimitExceeded, RecipeError
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.presets import matches, presets
from tests.support import file_bytes, plan_of

transformers = pytest.importorskip("transformers")


def weights(model: dict[str, Any], dtype: str = "float32", seed: int = 0) -> dict[str, torch.Tensor]:
    return load_torch(file_bytes({"seed": seed, "dtype": dtype, "model": model}, chunk_elements=1 << 20))


def group_std(state: dict[str, torch.Tensor], suffix: str) -> float:
    values = torch.cat([v.double().reshape(-1) for k, v in state.items() if k.endswith(suffix)])
    return float(values.std())


def assert_all(state: dict[str, torch.Tensor], suffix: str, value: float) -> None:
    tensors = [v for k, v in state.items() if k.endswith(suffix)]
    assert tensors and all(torch.all(v == value) for v in tensors), suffix


def test_gpt2_loads_strictly_and_follows_the_paper_init() -> None:
    cfg = {"n_layer": 4, "n_head": 4, "n_embd": 128, "vocab_size": 1000, "n_positions": 64}
    state = weights({"preset": "gpt2", "config": cfg})
    model = transformers.GPT2LMHeadModel(transformers.GPT2Config(**cfg))
    model.load_state_dict(state, strict=True)
    assert torch.equal(state["lm_head.weight"], state["transformer.wte.weight"])  # tied, as transformers does
    assert group_std(state, "wte.weight") == pytest.approx(0.02, rel=0.02)
    assert group_std(state, "c_attn.weight") == pytest.approx(0.02, rel=0.02)
    assert group_std(state, "c_fc.weight") == pytest.approx(0.02, rel=0.02)
    assert group_std(state, "c_proj.weight") == pytest.approx(0.02 / math.sqrt(2 * 4), rel=0.02)
    for suffix in ("c_attn.bias", "c_proj.bias", "c_fc.bias", "ln_1.bias", "ln_2.bias", "ln_f.bias"):
        assert_all(state, suffix, 0.0)
    for suffix in ("ln_1.weight", "ln_2.weight", "ln_f.weight"):
        assert_all(state, suffix, 1.0)


def test_gpt2_small_plan_is_124m_parameters_plus_the_tied_head() -> None:
    plan = plan_of({"seed": 1, "dtype": "bfloat16", "model": {"preset": "gpt2"}})
    untied = sum(t.numel for t in plan.tensors if t.name != "lm_head.weight")
    assert untied == 124_439_808


def test_llama_loads_strictly_with_grouped_kv_heads() -> None:
    cfg = {"dim": 128, "n_layers": 2, "n_heads": 8, "n_kv_heads": 2, "vocab": 500, "ffn_hidden": 344}
    state = weights({"preset": "llama", "config": cfg}, dtype="bfloat16")
    model = transformers.LlamaForCausalLM(
        transformers.LlamaConfig(hidden_size=128, num_hidden_layers=2, num_attention_heads=8,
                                 num_key_value_heads=2, vocab_size=500, intermediate_size=344)
    ).to(torch.bfloat16)  # fmt: skip
    model.load_state_dict(state, strict=True)
    assert state["model.layers.0.self_attn.k_proj.weight"].shape == (32, 128)
    for suffix in ("q_proj.weight", "down_proj.weight", "embed_tokens.weight", "lm_head.weight"):
        assert group_std(state, suffix) == pytest.approx(0.02, rel=0.05)
    for suffix in ("input_layernorm.weight", "post_attention_layernorm.weight", "norm.weight"):
        assert_all(state, suffix, 1.0)


def test_vit_loads_strictly_with_truncated_normal_weights() -> None:
    cfg = {"image_size": 32, "patch_size": 8, "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
           "num_labels": 10}  # fmt: skip
    state = weights({"preset": "vit", "config": cfg})
    model = transformers.ViTForImageClassification(
        transformers.ViTConfig(intermediate_size=256, **{k: v for k, v in cfg.items()})
    )
    model.load_state_dict(state, strict=True)
    assert group_std(state, "q_proj.weight") == pytest.approx(0.02, rel=0.05)
    assert all(v.abs().max() <= 2.0 for k, v in state.items())  # torch/timm bounds are absolute [-2, 2]
    for suffix in ("q_proj.bias", "fc1.bias", "classifier.bias", "projection.bias"):
        assert_all(state, suffix, 0.0)


def test_mlp_loads_into_sequential_with_activation_gains() -> None:
    state = weights({"preset": "mlp", "config": {"sizes": [300, 200, 10], "activation": "tanh"}})
    net = torch.nn.Sequential(torch.nn.Linear(300, 200), torch.nn.Tanh(), torch.nn.Linear(200, 10))
    net.load_state_dict(state, strict=True)
    assert float(state["0.weight"].abs().max()) <= (5 / 3) * math.sqrt(3 / 300)
    assert float(state["0.weight"].abs().max()) > 0.9 * (5 / 3) * math.sqrt(3 / 300)
    assert float(state["2.weight"].abs().max()) <= math.sqrt(3 / 200)
    no_bias = weights({"preset": "mlp", "config": {"sizes": [4, 3], "bias": False}})
    assert sorted(no_bias) == ["0.weight"]


def test_overrides_are_globs_over_names() -> None:
    assert matches("h.*.mlp.c_proj.weight", "transformer.h.3.mlp.c_proj.weight")
    assert not matches("h.*.mlp.c_proj.weight", "transformer.h.3.attn.c_proj.weight")
    cfg = {"n_layer": 2, "n_head": 2, "n_embd": 16, "vocab_size": 50, "n_positions": 8}
    state = weights(
        {
            "preset": "gpt2",
            "config": cfg,
            "overrides": [{"match": "h.*.mlp.c_proj.weight", "init": {"scheme": "zeros"}}],
        }
    )
    assert_all(state, "mlp.c_proj.weight", 0.0)
    assert not torch.all(state["transformer.h.0.attn.c_proj.weight"] == 0)
    base = weights({"preset": "gpt2", "config": cfg})
    assert torch.equal(
        base["transformer.h.1.attn.c_attn.weight"], state["transformer.h.1.attn.c_attn.weight"]
    )


@pytest.mark.parametrize(
    ("model", "needle"),
    [
        ({"preset": "gpt3"}, "unknown preset 'gpt3'"),
        ({"preset": "gpt2", "config": {"n_layers": 2}}, "no config key(s) ['n_layers']"),
        ({"preset": "gpt2", "config": {"n_layer": 0}}, "n_layer must be at least 1"),
        ({"preset": "gpt2", "config": {"n_layer": 2.5}}, "n_layer must be of type integer"),
        ({"preset": "gpt2", "config": {"n_embd": 10, "n_head": 3}}, "divisible by n_head"),
        ({"preset": "mlp", "config": {"sizes": [4]}}, "at least 2 items"),
        ({"preset": "mlp", "config": {"activation": "gelu"}}, "activation must be one of"),
        (
            {"preset": "gpt2", "overrides": [{"match": "nothing.*", "init": {"scheme": "zeros"}}]},
            "matches no tensor",
        ),
    ],
)
def test_bad_preset_configs_are_named(model: dict[str, Any], needle: str) -> None:
    with pytest.raises(RecipeError) as info:
        plan_of({"seed": 1, "model": model})
    assert needle in str(info.value)


def test_huge_configs_are_refused_before_expanding() -> None:
    with pytest.raises(LimitExceeded):
        plan_of({"seed": 1, "model": {"preset": "gpt2", "config": {"n_layer": 10**9}}})
    with pytest.raises(LimitExceeded):
        plan_of({"seed": 1, "model": {"preset": "llama", "config": {"vocab": 10**9}}})


def test_every_preset_plans_with_its_defaults() -> None:
    for name in presets():
        plan = plan_of({"seed": 1, "dtype": "bfloat16", "model": {"preset": name}})
        assert plan.tensors


class _Basic(torch.nn.Module):
    """torchvision.models.resnet.BasicBlock's parameters (torchvision itself cannot be installed
    beside the pinned torch, so its module structure is restated here from its source)."""

    expansion = 1

    def __init__(self, inplanes: int, planes: int, downsample: bool) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(inplanes, planes, 3, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(planes)
        self.conv2 = torch.nn.Conv2d(planes, planes, 3, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(planes)
        if downsample:
            self.downsample = torch.nn.Sequential(
                torch.nn.Conv2d(inplanes, planes, 1, bias=False), torch.nn.BatchNorm2d(planes)
            )


class _Bottleneck(torch.nn.Module):
    expansion = 4

    def __init__(self, inplanes: int, planes: int, downsample: bool) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(planes)
        self.conv2 = torch.nn.Conv2d(planes, planes, 3, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(planes)
        self.conv3 = torch.nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = torch.nn.BatchNorm2d(planes * 4)
        if downsample:
            self.downsample = torch.nn.Sequential(
                torch.nn.Conv2d(inplanes, planes * 4, 1, bias=False), torch.nn.BatchNorm2d(planes * 4)
            )


def _torchvision_resnet(block: Any, layers: list[int], num_classes: int) -> torch.nn.Module:
    model = torch.nn.Module()
    model.conv1 = torch.nn.Conv2d(3, 64, 7, bias=False)
    model.bn1 = torch.nn.BatchNorm2d(64)
    inplanes = 64
    for s, (planes, count) in enumerate(zip([64, 128, 256, 512], layers, strict=True)):
        blocks = []
        for b in range(count):
            down = b == 0 and (s > 0 or inplanes != planes * block.expansion)
            blocks.append(block(inplanes, planes, down))
            inplanes = planes * block.expansion
        setattr(model, f"layer{s + 1}", torch.nn.Sequential(*blocks))
    model.fc = torch.nn.Linear(512 * block.expansion, num_classes)
    return model


@pytest.mark.parametrize(
    ("config", "block", "layers"),
    [({}, _Basic, [2, 2, 2, 2]), ({"block": "bottleneck", "layers": [3, 4, 6, 3], "num_classes": 10}, _Bottleneck,
                                  [3, 4, 6, 3])],
)  # fmt: skip
def test_resnet_matches_torchvision_names_shapes_and_init(
    config: dict[str, Any], block: Any, layers: list[int]
) -> None:
    recipe = {"seed": 4, "dtype": "bfloat16", "model": {"preset": "resnet", "config": config}}
    state = load_torch(file_bytes(recipe, chunk_elements=1 << 20))
    model = _torchvision_resnet(block, layers, config.get("num_classes", 1000))
    model.load_state_dict(state, strict=True)
    assert state["bn1.num_batches_tracked"].dtype == torch.int64
    conv = state["layer3.1.conv2.weight"].double()
    fan_out = conv.shape[0] * 9
    assert float(conv.std()) == pytest.approx(math.sqrt(2 / fan_out), rel=0.03)
    assert_all(state, "bn1.weight", 1.0)
    assert_all(state, "running_var", 1.0)
    assert_all(state, "running_mean", 0.0)
    assert float(state["fc.weight"].double().abs().max()) <= 1 / math.sqrt(state["fc.weight"].shape[1]) * 1.01


def test_resnet_zero_init_residual_zeroes_the_last_norm_of_each_block() -> None:
    recipe = {
        "seed": 4,
        "model": {"preset": "resnet", "config": {"zero_init_residual": True, "layers": [1, 1, 1, 1]}},
    }
    state = load_torch(file_bytes(recipe, chunk_elements=1 << 20))
    assert_all(state, ".bn2.weight", 0.0)
    assert_all(state, ".bn1.weight", 1.0)
    assert_all(state, "downsample.1.weight", 1.0)


def test_planning_work_is_bounded_and_repeated_patterns_cost_once() -> None:
    from tensorseed.recipe.plan import Limits, build_plan

    config = {"n_layer": 20, "n_embd": 8, "n_head": 1, "vocab_size": 8, "n_positions": 8}
    repeated = [{"match": "*", "init": {"scheme": "zeros"}}] * 500
    recipe = Recipe.model_validate(
        {"seed": 1, "model": {"preset": "gpt2", "config": config, "overrides": repeated}}
    )
    build_plan(recipe, Limits(max_plan_work=2000))  # ~245 tensors + one pattern tested on each
    distinct = [{"match": f"*h.{i}.*", "init": {"scheme": "zeros"}} for i in range(20)]
    recipe = Recipe.model_validate(
        {"seed": 1, "model": {"preset": "gpt2", "config": config, "overrides": distinct}}
    )
    with pytest.raises(LimitExceeded, match="max_plan_work"):
        build_plan(recipe, Limits(max_plan_work=2000))


def test_later_overrides_win() -> None:
    from tensorseed.recipe.plan import build_plan

    overrides = [
        {"match": "*.weight", "init": {"scheme": "zeros"}},
        {"match": "*ln_f.weight", "init": {"scheme": "ones"}},
        {"match": "*.weight", "init": {"scheme": "constant", "value": 2.0}},
    ]
    plan = build_plan(
        Recipe.model_validate(
            {"seed": 1, "model": {"preset": "gpt2", "config": {"n_layer": 1}, "overrides": overrides}}
        )
    )
    schemes = {t.name: t.scheme for t in plan.tensors}
    assert (
        schemes["transformer.ln_f.weight"] == "constant"
        and schemes["transformer.h.0.mlp.c_fc.weight"] == "constant"
    )
    assert schemes["transformer.h.0.mlp.c_fc.bias"] == "zeros"  # untouched default

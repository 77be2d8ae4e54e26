"""Torch-exact mode: the recipe as a sequence of steps on torch's global generator.

Steps follow recipe order: every layer (its module's constructor, then its ``init`` overrides
in the module's parameter order), then every raw tensor (``torch.empty`` + the nn.init call).
"""

from __future__ import annotations

from collections.abc import Mapping

import torch

from tensorseed.recipe import models as m
from tensorseed.recipe.errors import RecipeError
from tensorseed.recipe.fans import torch_fans
from tensorseed.recipe.layers import layer_parameters
from tensorseed.recipe.torch_equivalents import TORCH_DTYPES, apply_init, check_torch_scheme, module_builder
from tensorseed.stream.torch_rng import Step, TorchDraw, TorchProgram


def _layer_step(layer: m.Layer, index: int, dtype: torch.dtype) -> Step:
    loc = ("layers", index)
    build = module_builder(layer, loc)
    params = layer_parameters(layer, "torch", loc)
    fans = {p.suffix: p.fans for p in params}
    overrides = dict(layer.init or {})
    for pname, spec in overrides.items():
        check_torch_scheme(spec, fans[pname], (*loc, "init", pname))

    def step() -> dict[str, torch.Tensor]:
        module = build(dtype)
        for pname, tensor in module.named_parameters():
            if pname in overrides:
                apply_init(overrides[pname], tensor, fans[pname], (*loc, "init", pname))
        state = module.state_dict()
        expected = [p.suffix for p in params]
        if sorted(state) != sorted(expected):
            raise RuntimeError(f"torch module state_dict {sorted(state)} != planned {sorted(expected)}")
        return {f"{layer.name}.{k}": v for k, v in state.items()}

    return step


def _tensor_step(spec: m.TensorSpec, index: int, dtype: torch.dtype) -> Step:
    loc = ("tensors", index)
    if spec.fan_in is not None or spec.fan_out is not None:
        raise RecipeError(loc, "fan_in/fan_out overrides have no torch.nn.init equivalent with rng='torch'")
    shape = tuple(spec.shape)
    fans = torch_fans(shape)
    check_torch_scheme(spec.init, fans, (*loc, "init"))

    def step() -> dict[str, torch.Tensor]:
        tensor = torch.empty(shape, dtype=dtype)
        apply_init(spec.init, tensor, fans, (*loc, "init"))
        return {spec.name: tensor}

    return step


def _require_torch_convention(recipe: m.Recipe) -> None:
    """torch's generator only reproduces torch's own modules and nn.init meanings."""
    where: list[tuple[tuple[str | int, ...], str | None]] = [(("convention",), recipe.convention)]
    where += [(("layers", i, "convention"), layer.convention) for i, layer in enumerate(recipe.layers)]
    where += [(("tensors", i, "convention"), t.convention) for i, t in enumerate(recipe.tensors)]
    for loc, convention in where:
        if convention not in (None, "torch"):
            raise RecipeError(
                loc, f"rng='torch' reproduces torch only; convention {convention!r} is not torch"
            )


def torch_draws(recipe: m.Recipe, itemsizes: Mapping[str, int]) -> dict[str, TorchDraw]:
    """The TorchDraw of every planned tensor (``itemsizes``: the portable plan's names and sizes)."""
    _require_torch_convention(recipe)
    dtype = TORCH_DTYPES[recipe.dtype]
    steps: list[Step] = []
    owners: dict[str, int] = {}
    for i, layer in enumerate(recipe.layers):
        steps.append(_layer_step(layer, i, dtype))
        for p in layer_parameters(layer, "torch", ("layers", i)):
            owners[f"{layer.name}.{p.suffix}"] = len(steps) - 1
    for i, t in enumerate(recipe.tensors):
        steps.append(_tensor_step(t, i, dtype))
        owners[t.name] = len(steps) - 1
    program = TorchProgram(recipe.seed_value, steps)
    return {name: TorchDraw(program, owners[name], name, size) for name, size in itemsizes.items()}

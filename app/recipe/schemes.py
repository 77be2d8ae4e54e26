"""The scheme catalogue: one variance-scaling core, named schemes as parameterizations of it.

Each entry turns a validated init spec plus the tensor's fans into a sampler of the portable
stream (``app.stream.samplers``) and states its formula, tier and source for ``GET /v1/schemes``.
Scalars (bound, std) are computed in binary64 with + - * / sqrt in the order written here; the
spec document repeats these formulas.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from app.recipe import models as m
from app.recipe.errors import Loc, RecipeError
from app.recipe.fans import Fans
from app.recipe.gains import gain_squared
from app.stream.samplers import Constant, Normal, Sampler, TruncNormal, Uniform

Tier = Literal["exact", "tolerance"]
FanChoice = Literal["fan_in", "fan_out", "fan_avg"]
Distribution = Literal["uniform", "normal"]


@dataclass(frozen=True)
class Resolved:
    """A scheme applied to one tensor: the sampler, and the gain where the scheme has one."""

    sampler: Sampler
    gain: float | None = None


def variance_scaling(
    scale: float, mode: FanChoice, distribution: Distribution, fans: Fans, scheme: str, loc: Loc
) -> Sampler:
    """variance = scale / fan; uniform: U(-sqrt(3*variance), +sqrt(3*variance)); normal: N(0, variance)."""
    variance = scale / fans.get(mode, scheme, loc)
    if distribution == "uniform":
        bound = math.sqrt(3.0 * variance)
        return Uniform(-bound, bound)
    return Normal(0.0, math.sqrt(variance))


def _kaiming(distribution: Distribution) -> Callable[[Any, Fans, Loc], Resolved]:
    def resolve(spec: m.KaimingUniform | m.KaimingNormal, fans: Fans, loc: Loc) -> Resolved:
        scale = gain_squared(spec.nonlinearity, spec.a)
        sampler = variance_scaling(scale, spec.mode, distribution, fans, spec.scheme, loc)
        return Resolved(sampler, math.sqrt(scale))

    return resolve


def _xavier(distribution: Distribution) -> Callable[[Any, Fans, Loc], Resolved]:
    def resolve(spec: m.XavierUniform | m.XavierNormal, fans: Fans, loc: Loc) -> Resolved:
        scale = spec.gain * spec.gain
        sampler = variance_scaling(scale, "fan_avg", distribution, fans, spec.scheme, loc)
        return Resolved(sampler, spec.gain)

    return resolve


def _fan_in_uniform(spec: m.FanInUniform, fans: Fans, loc: Loc) -> Resolved:
    bound = 1.0 / math.sqrt(fans.get("fan_in", spec.scheme, loc))
    return Resolved(Uniform(-bound, bound))


def _trunc_normal(spec: m.TruncNormalInit, fans: Fans, loc: Loc) -> Resolved:
    sampler = TruncNormal(
        mean=spec.mean,
        std=spec.std,
        alpha=(spec.a - spec.mean) / spec.std,
        beta=(spec.b - spec.mean) / spec.std,
        low=spec.a,
        high=spec.b,
    )
    if not sampler.has_mass:
        raise RecipeError(
            loc,
            f"trunc_normal interval [{spec.a}, {spec.b}] lies so far in the tail of "
            f"N({spec.mean}, {spec.std}^2) that it holds no probability representable in binary64",
        )
    return Resolved(sampler)


@dataclass(frozen=True)
class SchemeInfo:
    """One catalogue entry."""

    name: str
    model: type[m.InitBase]
    formula: str
    distribution: str
    tier: Tier
    source: str
    uses_fans: bool
    resolve: Callable[[Any, Fans, Loc], Resolved]
    notes: str = ""

    def parameters(self) -> list[dict[str, Any]]:
        """Parameters with their defaults, from the model itself (one source of truth)."""
        schema = self.model.model_json_schema()
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        out = []
        for pname, prop in props.items():
            if pname == "scheme":
                continue
            entry: dict[str, Any] = {"name": pname, "required": pname in required}
            for key in ("type", "enum", "default", "minimum", "exclusiveMinimum"):
                if key in prop:
                    entry[key] = prop[key]
            out.append(entry)
        return out


TORCH = "PyTorch torch.nn.init"
_KAIMING_SRC = f"He et al. 2015, Delving Deep into Rectifiers (arXiv:1502.01852); {TORCH}"
_XAVIER_SRC = f"Glorot & Bengio 2010, Understanding the difficulty of training deep FNNs; {TORCH}"

SCHEMES: dict[str, SchemeInfo] = {
    s.name: s
    for s in [
        SchemeInfo("zeros", m.Zeros, "0", "constant", "exact", TORCH, False,
                   lambda spec, fans, loc: Resolved(Constant(0.0))),
        SchemeInfo("ones", m.Ones, "1", "constant", "exact", TORCH, False,
                   lambda spec, fans, loc: Resolved(Constant(1.0))),
        SchemeInfo("constant", m.ConstantInit, "value", "constant", "exact", TORCH, False,
                   lambda spec, fans, loc: Resolved(Constant(spec.value))),
        SchemeInfo("uniform", m.UniformInit, "U(a, b)", "uniform", "exact", TORCH, False,
                   lambda spec, fans, loc: Resolved(Uniform(spec.a, spec.b))),
        SchemeInfo("normal", m.NormalInit, "N(mean, std^2)", "normal", "exact", TORCH, False,
                   lambda spec, fans, loc: Resolved(Normal(spec.mean, spec.std))),
        SchemeInfo("trunc_normal", m.TruncNormalInit,
                   "N(mean, std^2) restricted to [a, b]; a, b absolute values (torch/timm convention)",
                   "truncated_normal", "exact", TORCH, False, _trunc_normal),
        SchemeInfo("xavier_uniform", m.XavierUniform,
                   "U(-bound, bound), bound = sqrt(3 * gain^2 / ((fan_in + fan_out) / 2))",
                   "uniform", "exact", _XAVIER_SRC, True, _xavier("uniform")),
        SchemeInfo("xavier_normal", m.XavierNormal,
                   "N(0, std^2), std = sqrt(gain^2 / ((fan_in + fan_out) / 2))",
                   "normal", "exact", _XAVIER_SRC, True, _xavier("normal"),
                   "untruncated (torch); Keras/JAX glorot_normal is truncated"),
        SchemeInfo("kaiming_uniform", m.KaimingUniform,
                   "U(-bound, bound), bound = sqrt(3 * gain^2 / fan), gain = calculate_gain(nonlinearity, a)",
                   "uniform", "exact", _KAIMING_SRC, True, _kaiming("uniform")),
        SchemeInfo("kaiming_normal", m.KaimingNormal,
                   "N(0, std^2), std = sqrt(gain^2 / fan), gain = calculate_gain(nonlinearity, a)",
                   "normal", "exact", _KAIMING_SRC, True, _kaiming("normal"),
                   "untruncated (torch); Keras/JAX he_normal is truncated"),
        SchemeInfo("fan_in_uniform", m.FanInUniform,
                   "U(-y, y), y = 1 / sqrt(fan_in)", "uniform", "exact",
                   "LeCun et al. 1998, Efficient BackProp (the 'y = 1/sqrt(n)' rule); "
                   "torch's default Linear/Conv bias init", True, _fan_in_uniform),
    ]
}  # fmt: skip


def resolve(spec: m.InitBase, fans: Fans, loc: Loc) -> Resolved:
    """Turn an init spec into a sampler for a tensor with these fans."""
    name = spec.scheme
    return SCHEMES[name].resolve(spec, fans, loc)

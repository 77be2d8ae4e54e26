"""The scheme catalogue: one variance-scaling core, named schemes as parameterizations of it.

Each entry turns a validated init spec plus its target (shape, fans, layout, convention) into a
sampler of the portable stream and states its formula, tier, source and what each library means
by the name, for ``GET /v1/schemes``. Scalars (bound, std, gain) are computed in binary64 with
+ - * / sqrt in the order written here; ``docs/stream-spec.md`` section 8 repeats every formula.

Name clashes are resolved by the *convention* (the init's own, else its layer's, else the
recipe's; torch by default): ``kaiming_normal``/``he_normal``, ``xavier_normal``/``glorot_normal``
and ``lecun_normal`` are untruncated normals in torch and truncated ones in Keras and JAX;
``variance_scaling(distribution="normal")`` is truncated in Keras and untruncated in JAX;
``orthogonal`` makes rows orthonormal in torch and columns in Keras/JAX.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from tensorseed.recipe import models as m
from tensorseed.recipe.errors import LimitExceeded, Loc, RecipeError
from tensorseed.recipe.fans import FanName, Fans, Layout
from tensorseed.recipe.gains import gain_squared
from tensorseed.stream import SPEC_VERSION, fmath
from tensorseed.stream.key import stream_key
from tensorseed.stream.orthogonal import ORTHOGONAL_MAX_ELEMENTS, DeltaOrthogonal, Orthogonal
from tensorseed.stream.samplers import Constant, Normal, Sampler, TruncNormal, Uniform
from tensorseed.stream.structured import Dirac, Eye, GateSlice, Sparse, ZerO, check_feistel_range

Tier = Literal["exact", "tolerance"]
Meaning = Literal["torch", "keras", "jax"]
Distribution = Literal["uniform", "normal", "truncated_normal"]

#: Keras/JAX: std of the unit normal truncated to [-2, 2]; dividing by it restores the target std.
TRUNCATED_STD_CORRECTION = 0.87962566103423978
#: The sub-stream label of sparse's mask: stream of the name "<tensor name>\u0000sparse".
SPARSE_MASK_LABEL = "\u0000sparse"


@dataclass(frozen=True)
class Target:
    """What a scheme is applied to: one tensor of a recipe."""

    name: str
    seed: int
    shape: tuple[int, ...]
    fans: Fans
    layout: Layout = "torch"
    convention: str = "torch"
    #: The stream version (sub-streams such as sparse's mask are keyed under it).
    spec: str = SPEC_VERSION


@dataclass(frozen=True)
class Resolved:
    """A scheme applied to one tensor: the sampler, and the gain where the scheme has one."""

    sampler: Sampler
    gain: float | None = None


def meaning(spec: m.InitBase, target: Target) -> Meaning:
    """Whose meaning a scheme name has: the init's convention, else the target's (flax = jax)."""
    convention = spec.convention or target.convention
    return "jax" if convention in ("jax", "flax") else "keras" if convention == "keras" else "torch"


def truncated_unit_normal(std: float) -> TruncNormal:
    """N(0, std^2) cut at +-2 std: the Keras/JAX truncated normal before any std correction."""
    return TruncNormal(mean=0.0, std=std, alpha=-2.0, beta=2.0, low=-(2.0 * std), high=2.0 * std)


def variance_scaling(
    scale: float, mode: FanName, distribution: Distribution, fans: Fans, scheme: str, loc: Loc
) -> Sampler:
    """variance = scale / fan, then:

    * uniform: U(-sqrt(3 * variance), +sqrt(3 * variance));
    * normal: N(0, variance), untruncated;
    * truncated_normal: N(0, s^2) cut at +-2 s, s = sqrt(variance) / 0.87962566103423978, so that
      the truncated distribution has variance ``variance`` (Keras, JAX).
    """
    variance = scale / fans.get(mode, scheme, loc)
    if distribution == "uniform":
        bound = math.sqrt(3.0 * variance)
        return Uniform(-bound, bound)
    if distribution == "normal":
        return Normal(0.0, math.sqrt(variance))
    return truncated_unit_normal(math.sqrt(variance) / TRUNCATED_STD_CORRECTION)


def _normal_kind(spec: m.InitBase, target: Target) -> Distribution:
    """The named *_normal schemes: untruncated in torch, truncated in Keras and JAX."""
    return "normal" if meaning(spec, target) == "torch" else "truncated_normal"


def _require_dims(spec: m.InitBase, target: Target, loc: Loc, dims: tuple[int, ...], what: str) -> None:
    if len(target.shape) not in dims:
        raise RecipeError(loc, f"{spec.scheme} needs {what}, got a tensor of shape {list(target.shape)}")


# ---- resolvers ----

Resolver = Callable[[Any, Target, Loc], Resolved]

CONVENTION_DEFAULTS: dict[str, dict[Meaning, dict[str, float]]] = {
    "uniform": {
        "torch": {"a": 0.0, "b": 1.0},
        "keras": {"a": -0.05, "b": 0.05},
        "jax": {"a": 0.0, "b": 0.01},
    },
    "normal": {"torch": {"std": 1.0}, "keras": {"std": 0.05}, "jax": {"std": 0.01}},
    "truncated_normal": {"torch": {"std": 1.0}, "keras": {"std": 0.05}, "jax": {"std": 0.01}},
}


def _default(spec: m.InitBase, target: Target, param: str) -> float:
    given: float | None = getattr(spec, param)
    return given if given is not None else CONVENTION_DEFAULTS[spec.scheme][meaning(spec, target)][param]


def _uniform(spec: m.UniformInit, target: Target, loc: Loc) -> Resolved:
    a, b = _default(spec, target, "a"), _default(spec, target, "b")
    if not a <= b:
        raise RecipeError(loc, f"uniform needs a <= b, got a={a}, b={b}")
    return Resolved(Uniform(a, b))


def _normal(spec: m.NormalInit, target: Target, loc: Loc) -> Resolved:
    return Resolved(Normal(spec.mean, _default(spec, target, "std")))


def _checked_trunc(sampler: TruncNormal, what: str, loc: Loc) -> Resolved:
    if not sampler.has_mass:
        raise RecipeError(
            loc,
            f"{what} lies so far in the tail of N({sampler.mean}, {sampler.std}^2) that it holds no "
            "probability representable in binary64",
        )
    return Resolved(sampler)


def _trunc_normal(spec: m.TruncNormalInit, target: Target, loc: Loc) -> Resolved:
    sampler = TruncNormal(
        mean=spec.mean,
        std=spec.std,
        alpha=(spec.a - spec.mean) / spec.std,
        beta=(spec.b - spec.mean) / spec.std,
        low=spec.a,
        high=spec.b,
    )
    return _checked_trunc(sampler, f"trunc_normal interval [{spec.a}, {spec.b}]", loc)


def _truncated_normal(spec: m.TruncatedNormalInit, target: Target, loc: Loc) -> Resolved:
    std = _default(spec, target, "std")
    sampler = TruncNormal(
        mean=spec.mean,
        std=std,
        alpha=spec.a,
        beta=spec.b,
        low=spec.mean + std * spec.a,
        high=spec.mean + std * spec.b,
    )
    return _checked_trunc(sampler, f"truncated_normal interval [{spec.a}, {spec.b}] (std units)", loc)


def _variance_scaling(spec: m.VarianceScaling, target: Target, loc: Loc) -> Resolved:
    kind: Distribution
    if spec.distribution == "uniform":
        kind = "uniform"
    elif spec.distribution == "truncated_normal":
        kind = "truncated_normal"
    elif spec.distribution == "untruncated_normal":
        kind = "normal"
    else:  # "normal": Keras reads it as truncated_normal, JAX (and we, for torch) as untruncated.
        kind = "truncated_normal" if meaning(spec, target) == "keras" else "normal"
    sampler = variance_scaling(spec.scale, spec.mode, kind, target.fans, spec.scheme, loc)
    return Resolved(sampler, math.sqrt(spec.scale))


def _kaiming(uniform: bool) -> Resolver:
    def resolve(spec: m.KaimingUniform | m.KaimingNormal, target: Target, loc: Loc) -> Resolved:
        scale = gain_squared(spec.nonlinearity, spec.a)
        kind: Distribution = "uniform" if uniform else _normal_kind(spec, target)
        sampler = variance_scaling(scale, spec.mode, kind, target.fans, spec.scheme, loc)
        return Resolved(sampler, math.sqrt(scale))

    return resolve


def _xavier(uniform: bool) -> Resolver:
    def resolve(spec: m.XavierUniform | m.XavierNormal, target: Target, loc: Loc) -> Resolved:
        scale = spec.gain * spec.gain
        kind: Distribution = "uniform" if uniform else _normal_kind(spec, target)
        sampler = variance_scaling(scale, "fan_avg", kind, target.fans, spec.scheme, loc)
        return Resolved(sampler, spec.gain)

    return resolve


def _lecun(uniform: bool) -> Resolver:
    def resolve(spec: m.LecunUniform | m.LecunNormal, target: Target, loc: Loc) -> Resolved:
        kind: Distribution = "uniform" if uniform else _normal_kind(spec, target)
        return Resolved(variance_scaling(1.0, "fan_in", kind, target.fans, spec.scheme, loc), 1.0)

    return resolve


def _fan_in_uniform(spec: m.FanInUniform, target: Target, loc: Loc) -> Resolved:
    bound = 1.0 / math.sqrt(target.fans.get("fan_in", spec.scheme, loc))
    return Resolved(Uniform(-bound, bound))


def _orthogonal(spec: m.OrthogonalInit, target: Target, loc: Loc) -> Resolved:
    shape = target.shape
    if len(shape) < 2:
        raise RecipeError(loc, f"orthogonal needs a tensor with at least 2 dimensions, got {list(shape)}")
    if math.prod(shape) > ORTHOGONAL_MAX_ELEMENTS:
        raise LimitExceeded(
            loc, f"orthogonal tensors are computed whole and limited to {ORTHOGONAL_MAX_ELEMENTS} elements"
        )
    axis = spec.column_axis
    if meaning(spec, target) == "torch":
        if axis is not None:
            raise RecipeError(
                (*loc, "column_axis"),
                "column_axis is the JAX/Keras form of orthogonal; torch's orthogonal_ makes the rows "
                "of the (shape[0], rest) matrix orthonormal (set convention to 'jax' or 'keras')",
            )
        return Resolved(Orthogonal(shape, spec.gain, None), spec.gain)
    axis = -1 if axis is None else axis
    if not -len(shape) <= axis < len(shape):
        raise RecipeError((*loc, "column_axis"), f"column_axis {axis} is outside a {len(shape)}-D tensor")
    return Resolved(Orthogonal(shape, spec.gain, axis % len(shape)), spec.gain)


def _sparse(spec: m.SparseInit, target: Target, loc: Loc) -> Resolved:
    _require_dims(spec, target, loc, (2,), "a 2-D tensor (torch sparse_ zeroes entries per column)")
    rows, cols = target.shape
    if not check_feistel_range(rows, cols):
        raise RecipeError(loc, "sparse: too many columns for the mask stream")
    zeros = math.ceil(spec.sparsity * rows)
    mask_key = stream_key(target.seed, target.name + SPARSE_MASK_LABEL, target.spec)
    return Resolved(Sparse(rows, cols, spec.std, zeros, mask_key))


def _eye(spec: m.EyeInit, target: Target, loc: Loc) -> Resolved:
    _require_dims(spec, target, loc, (2,), "a 2-D tensor")
    rows, cols = target.shape
    return Resolved(Eye(rows, cols, spec.gain), spec.gain)


def _irnn(spec: m.IRNNInit, target: Target, loc: Loc) -> Resolved:
    if len(target.shape) != 2 or target.shape[0] != target.shape[1]:
        raise RecipeError(
            loc, f"irnn needs a square recurrent matrix, got {list(target.shape)} (use eye for others)"
        )
    return Resolved(Eye(target.shape[0], target.shape[1], spec.gain), spec.gain)


def _channel_axes(layout: Layout, ndim: int) -> tuple[int, int]:
    """(out_axis, in_axis) of a conv weight in this layout."""
    return (0, 1) if layout == "torch" else (ndim - 1, ndim - 2)


def _dirac(spec: m.DiracInit, target: Target, loc: Loc) -> Resolved:
    _require_dims(spec, target, loc, (3, 4, 5), "a 3-, 4- or 5-D convolution weight")
    shape = target.shape
    out_axis, in_axis = _channel_axes(target.layout, len(shape))
    if shape[out_axis] % spec.groups:
        raise RecipeError(
            (*loc, "groups"),
            f"dirac: out channels ({shape[out_axis]}) must be divisible by groups ({spec.groups})",
        )
    spatial = [shape[a] for a in range(len(shape)) if a not in (out_axis, in_axis)]
    return Resolved(Dirac(shape, out_axis, in_axis, spec.groups, tuple(k // 2 for k in spatial)))


def _delta_orthogonal(spec: m.DeltaOrthogonalInit, target: Target, loc: Loc) -> Resolved:
    _require_dims(spec, target, loc, (3, 4, 5), "a 3-, 4- or 5-D convolution weight")
    shape = target.shape
    out_axis, in_axis = _channel_axes(target.layout, len(shape))
    if shape[in_axis] > shape[out_axis]:
        raise RecipeError(
            loc, f"delta_orthogonal needs in channels ({shape[in_axis]}) <= out channels ({shape[out_axis]})"
        )
    if shape[in_axis] * shape[out_axis] > ORTHOGONAL_MAX_ELEMENTS:
        raise LimitExceeded(
            loc, f"delta_orthogonal matrices are limited to {ORTHOGONAL_MAX_ELEMENTS} elements"
        )
    channels_last = target.layout == "channels_last"
    return Resolved(DeltaOrthogonal(shape, spec.gain, channels_last), spec.gain)


def _zero(spec: m.ZerOInit, target: Target, loc: Loc) -> Resolved:
    _require_dims(spec, target, loc, (2,), "a 2-D weight")
    if target.layout == "torch":
        out_features, in_features = target.shape
    else:
        in_features, out_features = target.shape
    return Resolved(ZerO(out_features, in_features, target.layout != "torch"))


def _lstm_forget_bias(spec: m.LSTMForgetBias, target: Target, loc: Loc) -> Resolved:
    if len(target.shape) != 1 or target.shape[0] % 4:
        raise RecipeError(
            loc, f"lstm_forget_bias needs a 1-D (4 * hidden) LSTM bias, got {list(target.shape)}"
        )
    return Resolved(GateSlice(target.shape[0], spec.value))


def _scaled_residual(spec: m.ScaledResidual, target: Target, loc: Loc) -> Resolved:
    return Resolved(Normal(0.0, spec.std / math.sqrt(float(2 * spec.n_layers))))


def _small_init(spec: m.SmallInit, target: Target, loc: Loc) -> Resolved:
    return Resolved(Normal(0.0, math.sqrt(2.0 / float(5 * spec.dim))))


def _wang_init(spec: m.WangInit, target: Target, loc: Loc) -> Resolved:
    return Resolved(Normal(0.0, 2.0 / float(spec.n_layers) / math.sqrt(float(spec.dim))))


def deepnet_beta(spec: m.DeepNetInit) -> float:
    """DeepNet's beta: (8N)^-1/4 alone; with decoder layers M, 0.87 (N^4 M)^-1/16 or (12M)^-1/4."""
    n = spec.n_layers
    if spec.decoder_layers is None:
        return 1.0 / math.sqrt(math.sqrt(float(8 * n)))
    big_m = spec.decoder_layers
    if spec.block == "decoder":
        return 1.0 / math.sqrt(math.sqrt(float(12 * big_m)))
    return 0.87 / math.sqrt(math.sqrt(math.sqrt(math.sqrt(float(n**4 * big_m)))))


def _deepnet(spec: m.DeepNetInit, target: Target, loc: Loc) -> Resolved:
    beta = deepnet_beta(spec)
    return Resolved(variance_scaling(beta * beta, "fan_avg", "normal", target.fans, spec.scheme, loc), beta)


def t_fixup_gain(spec: m.TFixupInit) -> float:
    """0.67 N^-1/4 in the encoder, (9 M)^-1/4 in the decoder."""
    if spec.block == "encoder":
        return 0.67 / math.sqrt(math.sqrt(float(spec.n_layers)))
    return 1.0 / math.sqrt(math.sqrt(float(9 * spec.n_layers)))


def _t_fixup(spec: m.TFixupInit, target: Target, loc: Loc) -> Resolved:
    gain = t_fixup_gain(spec)
    return Resolved(variance_scaling(gain * gain, "fan_avg", "uniform", target.fans, spec.scheme, loc), gain)


def _t_fixup_embedding(spec: m.TFixupEmbedding, target: Target, loc: Loc) -> Resolved:
    std = 1.0 / math.sqrt(float(spec.dim)) / math.sqrt(math.sqrt(float(9 * spec.n_layers)))
    return Resolved(Normal(0.0, std))


def fixup_scale(spec: m.FixupInit) -> float:
    """2 * L^(-1/(m-1)) = (sqrt(2) * L^(-1/(2m-2)))^2, with the portable exp and log."""
    log_l = float(fmath.log(np.array([float(spec.n_branches)]))[0])
    return 2.0 * fmath.exp(-(log_l / float(spec.m - 1)))


def _fixup(spec: m.FixupInit, target: Target, loc: Loc) -> Resolved:
    scale = fixup_scale(spec)
    return Resolved(
        variance_scaling(scale, spec.mode, "normal", target.fans, spec.scheme, loc), math.sqrt(scale)
    )


def _selu(spec: m.SeluInit, target: Target, loc: Loc) -> Resolved:
    return Resolved(variance_scaling(1.0, "fan_in", "normal", target.fans, spec.scheme, loc), 1.0)


def _mup(spec: m.MupInit, target: Target, loc: Loc) -> Resolved:
    if spec.role == "input":
        return Resolved(Normal(0.0, spec.std))
    ratio = float(spec.base_fan_in) / target.fans.get("fan_in", spec.scheme, loc)
    std = spec.std * math.sqrt(ratio) if spec.role == "hidden" else spec.std * ratio
    return Resolved(Normal(0.0, std))


# ---- the catalogue ----


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
    resolve: Resolver
    notes: str = ""
    aliases: tuple[str, ...] = ()
    libraries: dict[str, str] = field(default_factory=dict)

    def parameters(self) -> list[dict[str, Any]]:
        """Parameters with their defaults, from the model itself (one source of truth)."""
        schema = self.model.model_json_schema()
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        by_convention = CONVENTION_DEFAULTS.get(self.name, {})
        out = []
        for pname, prop in props.items():
            if pname in ("scheme", "convention"):
                continue
            entry: dict[str, Any] = {"name": pname, "required": pname in required}
            options = prop.get("anyOf", [prop])
            types = [o["type"] for o in options if "type" in o and o["type"] != "null"]
            if types:
                entry["type"] = types[0]
            for key in ("enum", "default", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
                for o in (prop, *options):
                    if key in o:
                        entry[key] = o[key]
            if "const" in prop:
                entry["enum"] = [prop["const"]]
            if by_convention and pname in by_convention["torch"]:
                entry["default_by_convention"] = {c: v[pname] for c, v in by_convention.items()}
                entry.pop("default", None)
            out.append(entry)
        return out


TORCH = "PyTorch torch.nn.init"
KERAS = "Keras 3 keras.initializers"
JAX = "JAX jax.nn.initializers (used by Flax)"
_KAIMING_SRC = f"He et al. 2015, Delving Deep into Rectifiers (arXiv:1502.01852); {TORCH}; {KERAS}; {JAX}"
_XAVIER_SRC = (
    f"Glorot & Bengio 2010, Understanding the difficulty of training deep FNNs; {TORCH}; {KERAS}; {JAX}"
)
_LECUN_SRC = (
    f"LeCun et al. 1998, Efficient BackProp; Klambauer et al. 2017 (arXiv:1706.02515); {KERAS}; {JAX}"
)
_TRUNC = "truncated at +-2 std of the unit normal, std divided by 0.87962566103423978"
_CLASH = "the named *_normal schemes: untruncated in torch, truncated (" + _TRUNC + ") in keras and jax"
_VS_NORMAL = (
    "distribution 'normal' means truncated_normal in keras (Keras maps it so) and untruncated in jax "
    "and torch (torch has no variance_scaling; JAX's meaning is used)"
)


def _constant(value: float) -> Resolver:
    return lambda spec, target, loc: Resolved(Constant(value))


ALL = f"{TORCH}; {KERAS}; {JAX}"

SCHEMES: dict[str, SchemeInfo] = {
    s.name: s
    for s in [
        SchemeInfo("zeros", m.Zeros, "0", "constant", "exact", ALL, False, _constant(0.0)),
        SchemeInfo("ones", m.Ones, "1", "constant", "exact", ALL, False, _constant(1.0)),
        SchemeInfo(
            "constant", m.ConstantInit, "value", "constant", "exact", ALL, False,
            lambda spec, target, loc: Resolved(Constant(spec.value)),
        ),
        SchemeInfo(
            "uniform", m.UniformInit, "U(a, b)", "uniform", "exact", ALL, False, _uniform,
            notes="defaults differ by convention (see default_by_convention)",
            libraries={
                "torch": "uniform_(a=0, b=1)",
                "keras": "RandomUniform(minval=-0.05, maxval=0.05)",
                "jax": "uniform(scale=0.01): U[0, scale)",
            },
        ),
        SchemeInfo(
            "normal", m.NormalInit, "N(mean, std^2)", "normal", "exact", ALL, False, _normal,
            notes="std default differs by convention (see default_by_convention)",
            libraries={
                "torch": "normal_(mean=0, std=1)",
                "keras": "RandomNormal(mean=0, stddev=0.05)",
                "jax": "normal(stddev=0.01)",
            },
        ),
        SchemeInfo(
            "trunc_normal", m.TruncNormalInit,
            "N(mean, std^2) restricted to [a, b]; a, b absolute values (torch/timm convention)",
            "truncated_normal", "exact", f"{TORCH} trunc_normal_; timm trunc_normal_", False, _trunc_normal,
            notes="a, b are absolute bounds in every convention: the default [-2, 2] is +-2 std only "
            "when std = 1; for bounds in std units use truncated_normal",
            libraries={"torch": "trunc_normal_(mean=0, std=1, a=-2, b=2): absolute bounds"},
        ),
        SchemeInfo(
            "truncated_normal", m.TruncatedNormalInit,
            "N(mean, std^2) restricted to [mean + a*std, mean + b*std]; a, b in std units",
            "truncated_normal", "exact",
            f"{KERAS} TruncatedNormal; {JAX} truncated_normal; timm trunc_normal_tf_",
            False, _truncated_normal,
            notes="std is the parent normal's (not corrected): the result's std is about 0.88 std for "
            "[-2, 2]; std default differs by convention",
            libraries={
                "keras": "TruncatedNormal(mean=0, stddev=0.05), cut at +-2 stddev",
                "jax": "truncated_normal(stddev=0.01, lower=-2, upper=2)",
                "torch": "timm trunc_normal_tf_(mean=0, std=1, a=-2, b=2)",
            },
        ),
        SchemeInfo(
            "variance_scaling", m.VarianceScaling,
            "variance = scale / fan, fan = fan_in | fan_out | (fan_in + fan_out) / 2 | "
            "sqrt(fan_in * fan_out); "
            "uniform: U(-sqrt(3 variance), +sqrt(3 variance)); untruncated_normal: N(0, variance); "
            "truncated_normal: N(0, s^2) cut at +-2s, s = sqrt(variance) / 0.87962566103423978",
            "uniform | normal | truncated_normal", "exact",
            f"{JAX} variance_scaling; {KERAS} VarianceScaling",
            True, _variance_scaling,
            notes=_VS_NORMAL + "; fan_geo_avg is JAX-only",
            libraries={
                "keras": "VarianceScaling(scale=1, mode='fan_in', distribution='truncated_normal'); "
                "'normal' means truncated",
                "jax": "variance_scaling(scale, mode, distribution); 'normal' means untruncated",
            },
        ),
        SchemeInfo(
            "xavier_uniform", m.XavierUniform,
            "U(-bound, bound), bound = sqrt(3 * gain^2 / ((fan_in + fan_out) / 2))",
            "uniform", "exact", _XAVIER_SRC, True, _xavier(True),
            aliases=("glorot_uniform",),
            libraries={
                "torch": "xavier_uniform_(gain=1)",
                "keras": "GlorotUniform()",
                "jax": "glorot_uniform() = xavier_uniform()",
            },
        ),
        SchemeInfo(
            "xavier_normal", m.XavierNormal,
            "N(0, std^2), std = sqrt(gain^2 / ((fan_in + fan_out) / 2)); keras/jax: truncated at +-2 s, "
            "s = that std / 0.87962566103423978",
            "normal (torch) | truncated_normal (keras, jax)", "exact", _XAVIER_SRC, True, _xavier(False),
            notes=_CLASH,
            aliases=("glorot_normal",),
            libraries={
                "torch": "xavier_normal_(gain=1): untruncated",
                "keras": "GlorotNormal(): truncated",
                "jax": "glorot_normal() = xavier_normal(): truncated",
            },
        ),
        SchemeInfo(
            "kaiming_uniform", m.KaimingUniform,
            "U(-bound, bound), bound = sqrt(3 * gain^2 / fan), gain = calculate_gain(nonlinearity, a)",
            "uniform", "exact", _KAIMING_SRC, True, _kaiming(True),
            aliases=("he_uniform",),
            libraries={
                "torch": "kaiming_uniform_(a=0, mode='fan_in', nonlinearity='leaky_relu')",
                "keras": "HeUniform(): scale 2, fan_in",
                "jax": "he_uniform() = kaiming_uniform()",
            },
        ),
        SchemeInfo(
            "kaiming_normal", m.KaimingNormal,
            "N(0, std^2), std = sqrt(gain^2 / fan), gain = calculate_gain(nonlinearity, a); keras/jax: "
            "truncated at +-2 s, s = that std / 0.87962566103423978",
            "normal (torch) | truncated_normal (keras, jax)", "exact", _KAIMING_SRC, True, _kaiming(False),
            notes=_CLASH,
            aliases=("he_normal",),
            libraries={
                "torch": "kaiming_normal_(a=0, mode='fan_in', nonlinearity='leaky_relu'): untruncated",
                "keras": "HeNormal(): truncated, scale 2, fan_in",
                "jax": "he_normal() = kaiming_normal(): truncated",
            },
        ),
        SchemeInfo(
            "lecun_uniform", m.LecunUniform, "U(-bound, bound), bound = sqrt(3 / fan_in)", "uniform", "exact",
            _LECUN_SRC, True, _lecun(True),
            libraries={"keras": "LecunUniform()", "jax": "lecun_uniform()"},
        ),
        SchemeInfo(
            "lecun_normal", m.LecunNormal,
            "N(0, 1 / fan_in); keras/jax: truncated at +-2 s, s = sqrt(1 / fan_in) / 0.87962566103423978",
            "normal (torch) | truncated_normal (keras, jax)", "exact", _LECUN_SRC, True, _lecun(False),
            notes=_CLASH + "; Flax's default kernel init is lecun_normal (truncated)",
            libraries={
                "keras": "LecunNormal(): truncated",
                "jax": "lecun_normal(): truncated",
                "torch": "no such function; untruncated, as torch advises for SELU",
            },
        ),
        SchemeInfo(
            "fan_in_uniform", m.FanInUniform, "U(-y, y), y = 1 / sqrt(fan_in)", "uniform", "exact",
            "LeCun et al. 1998, Efficient BackProp (the 'y = 1/sqrt(n)' rule); "
            "torch's default Linear/Conv bias init",
            True, _fan_in_uniform,
        ),
        SchemeInfo(
            "orthogonal", m.OrthogonalInit,
            "gain * Q, Q from the QR factorization of a Gaussian matrix times the signs of diag(R); "
            "torch: the (shape[0], rest) matrix, orthonormal rows when shape[0] <= rest (W W^T = gain^2 I), "
            "else columns; keras/jax: the (rest, shape[column_axis]) matrix, orthonormal columns when "
            "rest >= shape[column_axis] (W^T W = gain^2 I), else rows",
            "orthogonal", "tolerance",
            f"Saxe et al. 2014 (arXiv:1312.6120); Mezzadri 2007 (sign fix); {TORCH} orthogonal_; "
            f"{KERAS} Orthogonal; {JAX} orthogonal",
            False, _orthogonal,
            notes="tolerance tier: the QR is LAPACK's, so bytes repeat across runs and processes on one "
            "build and agree elsewhere within the documented bound; torch flattens to rows, keras/jax "
            "to column_axis",
            libraries={
                "torch": "orthogonal_(gain=1): rows of (shape[0], -1)",
                "keras": "Orthogonal(gain=1): columns of (-1, shape[-1])",
                "jax": "orthogonal(scale=1, column_axis=-1)",
            },
        ),
        SchemeInfo(
            "sparse", m.SparseInit,
            "N(0, std^2) with exactly ceil(sparsity * rows) zeros in every column of a 2-D tensor",
            "normal", "exact", f"Martens 2010, Deep learning via Hessian-free optimization; {TORCH} sparse_",
            False, _sparse,
            notes="the zeroed rows of each column come from a seekable permutation drawn from the "
            "tensor's mask stream (spec 6.2), not from a global RNG as in torch",
        ),
        SchemeInfo(
            "eye", m.EyeInit, "gain where row == column, 0 elsewhere (2-D)", "constant", "exact",
            f"{TORCH} eye_; {KERAS} Identity(gain)", False, _eye,
            aliases=("identity",),
            libraries={"torch": "eye_(): gain 1 only", "keras": "Identity(gain=1)"},
        ),
        SchemeInfo(
            "dirac", m.DiracInit,
            "1 at W[g*(out/groups) + d, d, k1//2, k2//2, ...] for d < min(out/groups, in), 0 elsewhere "
            "(channels-last layouts: the same on their out and in axes)",
            "constant", "exact", f"{TORCH} dirac_", False, _dirac,
            notes="centre tap k // 2 (torch); delta_orthogonal uses (k - 1) // 2: they differ for even k",
        ),
        SchemeInfo(
            "delta_orthogonal", m.DeltaOrthogonalInit,
            "gain * an orthogonal channel matrix at the centre tap (k - 1) // 2, 0 elsewhere; in <= out",
            "orthogonal", "tolerance",
            f"Xiao et al. 2018, Dynamical Isometry and a Mean Field Theory of CNNs (arXiv:1806.05393); {JAX}",
            False, _delta_orthogonal,
            notes="JAX kernels are (*k, in, out): the (in, out) matrix gets orthonormal rows; in the torch "
            "layout (out, in, *k) the (out, in) matrix gets orthonormal columns",
        ),
        SchemeInfo(
            "scaled_residual", m.ScaledResidual, "N(0, (std / sqrt(2 * n_layers))^2)", "normal", "exact",
            "Radford et al. 2019 (GPT-2, section 2.3); Shoeybi et al. 2019, Megatron-LM "
            "scaled_init_method_normal",
            False, _scaled_residual,
            notes="for the output projections of attention and MLP blocks (the residual branches)",
        ),
        SchemeInfo(
            "small_init", m.SmallInit, "N(0, 2 / (5 * dim))", "normal", "exact",
            "Nguyen & Salazar 2019, Transformers without Tears (arXiv:1910.05895); GPT-NeoX small_init",
            False, _small_init,
        ),
        SchemeInfo(
            "wang_init", m.WangInit, "N(0, (2 / n_layers / sqrt(dim))^2)", "normal", "exact",
            "Wang & Komatsuzaki 2021 (GPT-J); GPT-NeoX wang_init", False, _wang_init,
            notes="GPT-NeoX applies it to the residual output projections",
        ),
        SchemeInfo(
            "deepnet", m.DeepNetInit,
            "xavier_normal with gain beta: beta = (8 N)^-1/4 (encoder- or decoder-only, N = n_layers); "
            "encoder-decoder (decoder_layers = M): encoder 0.87 (N^4 M)^-1/16, decoder (12 M)^-1/4",
            "normal", "exact",
            "Wang et al. 2022, DeepNet: Scaling Transformers to 1,000 Layers (arXiv:2203.00555)",
            True, _deepnet,
            notes="for ffn, v_proj and out_proj; q_proj and k_proj use xavier_normal with gain 1",
        ),
        SchemeInfo(
            "t_fixup", m.TFixupInit,
            "xavier_uniform with gain 0.67 N^-1/4 (encoder) or (9 M)^-1/4 (decoder); n_layers = N or M",
            "uniform", "exact",
            "Huang et al. 2020, Improving Transformer Optimization Through Better Initialization (ICML)",
            True, _t_fixup,
            notes="for v and output projections of attention and the MLP weights; other weights xavier",
        ),
        SchemeInfo(
            "t_fixup_embedding", m.TFixupEmbedding,
            "N(0, std^2), std = dim^-1/2 * (9 M)^-1/4, M = n_layers (decoder layers)",
            "normal", "exact", "Huang et al. 2020 (T-Fixup), with the authors' fairseq std dim^-1/2",
            False, _t_fixup_embedding,
            notes="for the encoder and decoder input embeddings",
        ),
        SchemeInfo(
            "fixup", m.FixupInit,
            "N(0, std^2), std = sqrt(2 / fan) * L^(-1/(2m-2)), as the variance scale "
            "2 * exp(-(log(L) / (m - 1)))",
            "normal", "exact", "Zhang, Dauphin & Ma 2019, Fixup Initialization (arXiv:1901.09321)",
            True, _fixup,
            notes="inside residual branches; the last layer of each branch and the classifier are zeros; "
            "mode fan_out as in the authors' code; exp and log are the spec's portable ones",
        ),
        SchemeInfo(
            "zero", m.ZerOInit,
            "out <= in: partial identity; out > in: the top-left (out, in) block of H_p / sqrt(p), "
            "H_p Sylvester Hadamard, p = 2^ceil(log2 out)",
            "constant", "exact",
            "Zhao et al. 2022, ZerO Initialization (arXiv:2110.12661), the authors' code",
            False, _zero,
            notes="2-D weights; keras/flax (in, out) kernels hold the transpose",
        ),
        SchemeInfo(
            "irnn", m.IRNNInit, "gain * I (square recurrent weight)", "constant", "exact",
            "Le, Jaitly & Hinton 2015, A Simple Way to Initialize Recurrent Networks of Rectified Linear "
            "Units (arXiv:1504.00941)",
            False, _irnn,
            notes="biases zero",
        ),
        SchemeInfo(
            "selu", m.SeluInit, "N(0, 1 / fan_in), untruncated", "normal", "exact",
            "Klambauer et al. 2017, Self-Normalizing Neural Networks (arXiv:1706.02515); torch's advice "
            "kaiming_normal_(nonlinearity='linear')",
            True, _selu,
            notes="Keras/JAX lecun_normal is the truncated variant",
        ),
        SchemeInfo(
            "zero_init_residual", m.ZeroInitResidual, "0", "constant", "exact",
            "Goyal et al. 2017, Accurate, Large Minibatch SGD (arXiv:1706.02677); torchvision "
            "ResNet(zero_init_residual=True)",
            False, _constant(0.0),
            notes="for the weight (gamma) of the last BatchNorm of each residual branch",
        ),
        SchemeInfo(
            "lstm_forget_bias", m.LSTMForgetBias,
            "value on elements [n/4, n/2) of a (4 * hidden) LSTM bias (the forget gate), 0 elsewhere",
            "constant", "exact", "Gers et al. 2000; Jozefowicz et al. 2015 (ICML); Keras unit_forget_bias",
            False, _lstm_forget_bias,
            notes="torch (i, f, g, o) and Keras (i, f, c, o) both keep the forget gate second; torch adds "
            "bias_ih and bias_hh, so set it on one of them",
        ),
        SchemeInfo(
            "mup", m.MupInit,
            "N(0, std'^2): input std' = std; hidden std' = std * sqrt(base_fan_in / fan_in); "
            "output std' = std * (base_fan_in / fan_in)",
            "normal", "exact", "Yang et al. 2021, Tensor Programs V (arXiv:2203.03466), Table 3; mup package",
            True, _mup,
            notes="variance 1/fan_in (hidden) and 1/fan_in^2 (output) relative to the base shape",
        ),
    ]
}  # fmt: skip

#: Every accepted name -> its catalogue entry's name (aliases included).
CANONICAL: dict[str, str] = {
    name: info.name for info in SCHEMES.values() for name in (info.name, *info.aliases)
}


def resolve(spec: m.InitBase, target: Target, loc: Loc) -> Resolved:
    """Turn an init spec into a sampler for this target tensor."""
    return SCHEMES[CANONICAL[spec.scheme]].resolve(spec, target, loc)

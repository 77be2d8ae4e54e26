"""Hypothesis strategies for random recipes, rendered as JSON text.

Mostly valid recipes (so bytes get compared), with a share of invalid ones (so rejections get
compared too). Most tensors are small; a few go up to a few million elements.
"""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import strategies as st

from tensorseed.recipe.models import TORCH_CLASS_NAMES

U64 = 2**64 - 1
# Every exact scheme of the catalogue, aliases included (the tolerance tier is refused by the ports).
SCHEMES = [
    "zeros", "ones", "constant", "uniform", "normal", "trunc_normal", "truncated_normal",
    "variance_scaling", "xavier_uniform", "glorot_uniform", "xavier_normal", "glorot_normal",
    "kaiming_uniform", "he_uniform", "kaiming_normal", "he_normal", "lecun_uniform", "lecun_normal",
    "fan_in_uniform", "selu", "sparse", "eye", "identity", "irnn", "dirac", "zero", "lstm_forget_bias",
    "zero_init_residual", "scaled_residual", "small_init", "wang_init", "deepnet", "t_fixup",
    "t_fixup_embedding", "fixup", "mup",
]  # fmt: skip
FANLESS_SCHEMES = [
    "zeros", "ones", "constant", "uniform", "normal", "trunc_normal", "truncated_normal",
    "lstm_forget_bias", "zero_init_residual", "scaled_residual", "small_init", "wang_init",
    "t_fixup_embedding",
]  # fmt: skip
CONVENTIONS = ["torch", "keras", "jax", "flax"]
LAYER_TYPES = [
    "linear", "bilinear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    "conv_transpose3d", "embedding", "layer_norm", "rms_norm", "batch_norm1d", "batch_norm2d",
    "batch_norm3d", "group_norm", "rnn", "lstm", "gru", "multihead_attention", "prelu",
]  # fmt: skip
DTYPES = ["float32", "float64", "float16", "bfloat16"]
NONLINEARITIES = [
    "linear",
    "identity",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "selu",
]

# Numbers whose canonical form exercises RFC 8785 / ECMAScript formatting.
SPECIAL_FLOATS = [
    0.0,
    -0.0,
    0.1,
    0.5,
    1.5,
    1e-7,
    1e-6,
    1.2345e-5,
    1e21,
    1e20,
    123456789012345680000.0,
    1e-300,
    5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    65504.0,
    65519.0,
    3.4028234663852886e38,
    3.3895313892515355e38,
    1 / 3,
    2 / 3,
    9007199254740993.0,
    -2.5,
]
SEED_EDGES = [0, 1, 2**32 - 1, 2**32, 2**53, 2**53 + 1, 2**63 - 1, 2**63, U64]
# Truncation intervals (in std units) where tensorseed-stream/2's binary32 sampler changes branch:
# far tails whose Phi underflows binary32 or binary64, one-sided, around 0, touching 0, tiny.
TAIL_INTERVALS = [
    (5, 6), (-6, -5), (8, 30), (-30, -8), (14, 15), (30, 37), (-37, -30), (-1, 6), (-6, 1),
    (0, 3), (-3, 0), (-100, 100), (2.5, 2.5000001), (-1e-7, 1e-7),
]  # fmt: skip
# Magnitudes where v2's per-tensor scalars become subnormal or saturate in binary32 (section 14.1).
EXTREME_STD = [1e-40, 1e-45, 1e-46, 1e38, 1e39, 1e300]

# Names: identifiers, and Unicode text with astral-plane characters (which order differently in
# UTF-16, the canonical order, than in UTF-8 or by code point).
SPECIAL_CHARS = ["é", "😀", "\U00010000", "\U0010fffd", "｡", "\uffff", "\u2028", '"', "\\", "/", "\x80", " "]
name_chars = st.one_of(
    st.sampled_from(SPECIAL_CHARS),
    st.characters(exclude_categories=("Cs", "Cc")),
    st.characters(min_codepoint=0x61, max_codepoint=0x7A),
)
names = st.one_of(
    st.from_regex(r"[a-z][a-z0-9_.]{0,8}", fullmatch=True),
    st.text(name_chars, min_size=1, max_size=10),
)


def floats(lo: float = -10.0, hi: float = 10.0) -> st.SearchStrategy[float | int]:
    """A float field's value: plain floats, JSON integers, and formatting edge cases."""
    return st.one_of(
        st.floats(lo, hi, allow_nan=False, allow_infinity=False),
        st.integers(int(lo), int(hi)),
        st.sampled_from(SPECIAL_FLOATS),
    )


def conventions(nullable: bool = True) -> st.SearchStrategy[str | None]:
    return st.sampled_from([*CONVENTIONS, None] if nullable else CONVENTIONS)


@st.composite
def inits(draw: st.DrawFn, scheme: str | None = None) -> dict[str, Any]:
    scheme = scheme or draw(st.sampled_from(SCHEMES))
    init: dict[str, Any] = {"scheme": scheme}

    def maybe(key: str, value: st.SearchStrategy[Any]) -> None:
        if draw(st.booleans()):
            init[key] = draw(value)

    counts = st.one_of(st.integers(1, 50), st.sampled_from([1, 2**31, 2**53]))
    if scheme == "constant":
        init["value"] = draw(floats())
    elif scheme in ("uniform", "trunc_normal", "truncated_normal"):
        a, b = draw(floats()), draw(floats())
        if draw(st.integers(0, 9)) > 0:  # mostly ordered; sometimes not, to compare rejections
            a, b = min(a, b), max(a, b)
        if scheme != "uniform" and a == b:
            b = a + 1
        if scheme == "truncated_normal":  # bounds in std units
            a, b = a / 3, b / 3
        tails = scheme != "uniform" and draw(st.integers(0, 4)) == 0
        if tails:
            a, b = draw(st.sampled_from(TAIL_INTERVALS))
        if scheme == "uniform" and draw(st.integers(0, 9)) == 0:  # (b - a) near binary32's limit
            a, b = (
                -draw(st.sampled_from([1.7e38, 2**127, 3.4028234663852886e38])),
                draw(floats(1.6e38, 3.5e38)),
            )
        maybe("a", st.just(a))
        maybe("b", st.just(b))
        if tails and scheme == "trunc_normal":  # absolute bounds: the default N(0, 1) keeps them in std units
            init["a"], init["b"] = a, b
        elif scheme != "uniform":
            maybe("mean", floats(-3, 3))
            maybe("std", st.one_of(st.floats(0.01, 5), st.sampled_from([1, 0.5, 1e-3, 0, *EXTREME_STD])))
    elif scheme == "normal":
        maybe("mean", floats())
        maybe("std", st.one_of(st.floats(0, 5), st.sampled_from([0, 1, 1e-3, -1, None, *EXTREME_STD])))
    elif scheme == "variance_scaling":
        maybe("scale", st.one_of(st.floats(0.01, 5), st.sampled_from([1, 2, 0])))
        maybe("mode", st.sampled_from(["fan_in", "fan_out", "fan_avg", "fan_geo_avg"]))
        maybe(
            "distribution", st.sampled_from(["uniform", "normal", "truncated_normal", "untruncated_normal"])
        )
    elif scheme.startswith(("xavier", "glorot")):
        maybe("gain", st.one_of(st.floats(0, 5), st.sampled_from([1, 5 / 3, 2**0.5])))
    elif scheme.startswith(("kaiming", "he_")):
        maybe("a", st.one_of(st.floats(-3, 3), st.sampled_from([0, 5**0.5, 0.01])))
        maybe("mode", st.sampled_from(["fan_in", "fan_out"]))
        maybe("nonlinearity", st.sampled_from(NONLINEARITIES))
    elif scheme == "sparse":
        init["sparsity"] = draw(st.one_of(st.floats(0, 0.999), st.sampled_from([0, 0.5, 0.9, 1])))
        maybe("std", st.one_of(st.floats(0, 5), st.just(0.01)))
    elif scheme in ("eye", "identity", "irnn"):
        maybe("gain", floats())
    elif scheme == "dirac":
        maybe("groups", st.integers(1, 4))
    elif scheme == "lstm_forget_bias":
        maybe("value", floats())
    elif scheme == "scaled_residual":
        init["n_layers"] = draw(counts)
        maybe("std", st.floats(0, 1))
    elif scheme == "small_init":
        init["dim"] = draw(counts)
    elif scheme in ("wang_init", "t_fixup_embedding"):
        init["n_layers"] = draw(counts)
        init["dim"] = draw(counts)
    elif scheme == "deepnet":
        init["n_layers"] = draw(counts)
        maybe("decoder_layers", st.one_of(counts, st.none()))
        maybe("block", st.sampled_from(["encoder", "decoder"]))
    elif scheme == "t_fixup":
        init["n_layers"] = draw(counts)
        maybe("block", st.sampled_from(["encoder", "decoder"]))
    elif scheme == "fixup":
        init["n_branches"] = draw(counts)
        maybe("m", st.integers(2, 64))
        maybe("mode", st.sampled_from(["fan_in", "fan_out"]))
    elif scheme == "mup":
        init["base_fan_in"] = draw(counts)
        maybe("std", st.floats(0, 3))
        maybe("role", st.sampled_from(["input", "hidden", "output"]))
    if draw(st.integers(0, 3)) == 0:
        init["convention"] = draw(conventions())
    return init


# Shapes the position-defined schemes accept (most of the time; the rest compare rejections).
SCHEME_SHAPES = {
    "sparse": st.lists(st.integers(1, 40), min_size=2, max_size=2),
    "eye": st.lists(st.integers(1, 12), min_size=2, max_size=2),
    "identity": st.lists(st.integers(1, 12), min_size=2, max_size=2),
    "zero": st.lists(st.integers(1, 20), min_size=2, max_size=2),
    "irnn": st.integers(1, 9).map(lambda n: [n, n]),
    "dirac": st.lists(st.integers(1, 6), min_size=3, max_size=5),
    "lstm_forget_bias": st.integers(1, 16).map(lambda n: [4 * n]),
}


@st.composite
def shapes(draw: st.DrawFn, scheme: str = "") -> list[int]:
    if scheme in SCHEME_SHAPES and draw(st.integers(0, 9)) > 0:
        return draw(SCHEME_SHAPES[scheme])
    size_class = draw(st.integers(0, 99))
    if size_class < 85:
        return draw(st.lists(st.integers(1, 6), min_size=1, max_size=4))
    if size_class < 98:
        shape = draw(st.lists(st.integers(1, 64), min_size=1, max_size=3))
        while len(shape) > 1 and _numel(shape) > 60_000:
            shape.pop()
        return shape
    # A few million elements: several chunks for every generator.
    numel = draw(st.integers(500_000, 3_000_000))
    rows = draw(st.sampled_from([1, 3, 64, 1000]))
    return [rows, numel // rows] if rows > 1 else [numel]


def _numel(shape: list[int]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


@st.composite
def raw_tensors(draw: st.DrawFn, name: str) -> dict[str, Any]:
    init = draw(inits())
    tensor: dict[str, Any] = {"name": name, "shape": draw(shapes(init["scheme"])), "init": init}
    for key in ("fan_in", "fan_out"):
        if draw(st.integers(0, 5)) == 0:
            tensor[key] = draw(st.one_of(st.none(), st.integers(1, 10**6), st.just(2**53)))
    if draw(st.integers(0, 3)) == 0:
        tensor["convention"] = draw(conventions())
    return tensor


def _kernel(draw: st.DrawFn, dims: int) -> int | list[int]:
    if draw(st.booleans()):
        return draw(st.integers(1, 3))
    length = dims if draw(st.integers(0, 19)) else draw(st.integers(1, 3))
    return draw(st.lists(st.integers(1, 3), min_size=length, max_size=length))


def _maybe_bool(draw: st.DrawFn, layer: dict[str, Any], key: str, true_share: int = 1) -> None:
    choice = draw(st.integers(0, 2 + true_share))
    if choice < 2:
        layer[key] = choice == 1
    elif choice == 2:
        layer[key] = True


@st.composite
def layer_fields(draw: st.DrawFn, kind: str, convention: str) -> dict[str, Any]:
    """The fields of a layer of this type, mostly valid for the convention that will read it."""
    small = st.integers(1, 6)
    layer: dict[str, Any] = {}
    channels_last = convention != "torch"
    if kind == "linear":
        layer |= {"in_features": draw(st.integers(1, 64)), "out_features": draw(st.integers(1, 64))}
        _maybe_bool(draw, layer, "bias")
    elif kind == "bilinear":
        layer |= {"in1_features": draw(small), "in2_features": draw(small), "out_features": draw(small)}
        _maybe_bool(draw, layer, "bias")
    elif kind.startswith("conv"):
        dims = int(kind[-2])
        transposed = "transpose" in kind
        groups = 1 if transposed and channels_last and draw(st.integers(0, 9)) else draw(st.integers(1, 3))
        layer["in_channels"] = groups * draw(st.integers(1, 3))
        layer["out_channels"] = groups * draw(st.integers(1, 3))
        layer["kernel_size"] = _kernel(draw, dims)
        if not transposed and draw(st.integers(0, 3)) == 0:
            layer["depthwise"] = True
            layer["out_channels"] = layer["in_channels"] * draw(st.integers(1, 2))
            if draw(st.booleans()):
                layer["groups"] = layer["in_channels"]
        elif groups > 1 or draw(st.booleans()):
            layer["groups"] = groups
        _maybe_bool(draw, layer, "bias")
    elif kind == "embedding":
        num = draw(st.integers(1, 40))
        layer |= {"num_embeddings": num, "embedding_dim": draw(st.integers(1, 16))}
        choice = draw(st.integers(0, 9))
        if choice < (1 if channels_last else 5):
            layer["padding_idx"] = draw(st.integers(-num, num - 1))
        elif choice == 5:
            layer["padding_idx"] = None
        elif choice == 6 and not channels_last:
            layer["padding_idx"] = draw(st.sampled_from([num, -num - 1]))  # out of range
    elif kind in ("layer_norm", "rms_norm"):
        if draw(st.booleans()):
            layer["normalized_shape"] = draw(small)
        else:
            layer["normalized_shape"] = draw(st.lists(small, min_size=1, max_size=3))
        _maybe_bool(draw, layer, "elementwise_affine", 3)
        if kind == "layer_norm":
            _maybe_bool(draw, layer, "bias")
    elif kind.startswith("batch_norm"):
        layer["num_features"] = draw(small)
        _maybe_bool(draw, layer, "affine")
        _maybe_bool(draw, layer, "track_running_stats", 4 if channels_last else 1)
    elif kind == "group_norm":
        groups = draw(small)
        layer |= {"num_groups": groups, "num_channels": groups * draw(st.integers(1, 3))}
        if draw(st.integers(0, 9)) == 0:
            layer["num_channels"] += 1  # not divisible
        _maybe_bool(draw, layer, "affine")
    elif kind in ("rnn", "lstm", "gru"):
        hidden = draw(small)
        layer |= {"input_size": draw(small), "hidden_size": hidden}
        one = channels_last and draw(st.integers(0, 9)) > 0
        if not one:
            if draw(st.booleans()):
                layer["num_layers"] = draw(st.integers(1, 3))
            _maybe_bool(draw, layer, "bidirectional")
            if kind == "lstm" and draw(st.booleans()):
                layer["proj_size"] = draw(st.integers(0, hidden))
        _maybe_bool(draw, layer, "bias", 6 if convention in ("flax", "jax") else 1)
    elif kind == "multihead_attention":
        heads = draw(st.integers(1, 3))
        layer |= {"embed_dim": heads * draw(st.integers(1, 4)), "num_heads": heads}
        for key in ("kdim", "vdim"):
            if draw(st.integers(0, 2)) == 0:
                layer[key] = draw(st.one_of(small, st.none()))
        _maybe_bool(draw, layer, "bias")
        if not channels_last or draw(st.integers(0, 9)) == 0:
            _maybe_bool(draw, layer, "add_bias_kv")
    elif kind == "prelu":
        if draw(st.booleans()):
            layer["num_parameters"] = (
                1 if convention in ("flax", "jax") and draw(st.integers(0, 9)) else draw(small)
            )
        if draw(st.booleans()):
            layer["init_value"] = draw(floats())
    return layer


def parameters_of(layer: dict[str, Any], convention: str) -> list[Any]:
    """The parameters the reference expands this layer into ([] where it rejects the layer)."""
    from pydantic import TypeAdapter, ValidationError

    from tensorseed.recipe import models as m
    from tensorseed.recipe.errors import RecipeError
    from tensorseed.recipe.layers import layer_parameters

    try:
        validated = TypeAdapter(m.Layer).validate_python(layer)
        return list(layer_parameters(validated, "flax" if convention == "jax" else convention, ()))
    except (ValidationError, RecipeError, ValueError):
        return []


@st.composite
def layers(draw: st.DrawFn, name: str, recipe_convention: str = "torch") -> dict[str, Any]:
    kind = draw(st.sampled_from(LAYER_TYPES))
    layer: dict[str, Any] = {"type": kind, "name": name}
    convention = recipe_convention
    if draw(st.integers(0, 3)) == 0:
        layer["convention"] = draw(conventions())
        convention = layer["convention"] or recipe_convention
    layer |= draw(layer_fields(kind, convention))
    params = parameters_of(layer, convention)
    overrides: dict[str, Any] = {}
    for p in params:
        tolerance = p.default.scheme == "orthogonal"
        # Mostly override the orthogonal (tolerance-tier) defaults: the ports refuse them.
        if draw(st.integers(0, 9)) < (8 if tolerance else 2):
            fanless = p.fans is None or getattr(p.fans, "fan_in", None) is None
            init = draw(
                inits(draw(st.sampled_from(FANLESS_SCHEMES)) if fanless and draw(st.integers(0, 4)) else None)
            )
            if p.dtype is not None:  # int64 buffers take integral constants
                init = draw(
                    st.sampled_from(
                        [{"scheme": "zeros"}, {"scheme": "ones"}, {"scheme": "constant", "value": 3}]
                    )
                )
            overrides[p.suffix] = init
    if overrides:
        layer["init"] = overrides
    elif draw(st.integers(0, 9)) == 0:
        layer["init"] = None
    if draw(st.integers(0, 4)) == 0:  # the torch.nn class name: the same layer, kept as written
        layer["type"] = TORCH_CLASS_NAMES[kind]
    return layer


@st.composite
def seeds(draw: st.DrawFn) -> int | str:
    seed = draw(st.one_of(st.integers(0, U64), st.sampled_from(SEED_EDGES)))
    form = draw(st.integers(0, 3))
    if form == 0:
        return str(seed)
    if form == 1:
        return str(seed).zfill(draw(st.integers(1, 20)))  # leading zeros are allowed in strings
    return seed


@st.composite
def recipes(draw: st.DrawFn) -> dict[str, Any]:
    n_layers = draw(st.integers(0, 3))
    n_tensors = draw(st.integers(0 if n_layers else 1, 3))
    n = n_layers + n_tensors
    all_names = draw(st.lists(names, min_size=n, max_size=n, unique=True))
    recipe: dict[str, Any] = {"seed": draw(seeds())}
    if draw(st.booleans()):
        recipe["dtype"] = draw(st.sampled_from(DTYPES))
    convention = "torch"
    if draw(st.booleans()):
        convention = recipe["convention"] = draw(st.sampled_from(CONVENTIONS))
    if draw(st.integers(0, 19)) == 0:
        recipe["rng"] = "portable"
    if n_layers or draw(st.booleans()):
        recipe["layers"] = [draw(layers(n, convention)) for n in all_names[:n_layers]]
    if n_tensors or draw(st.booleans()):
        recipe["tensors"] = [draw(raw_tensors(n)) for n in all_names[n_layers:]]
    if draw(st.integers(0, 4)) == 0:
        recipe["ties"] = draw(ties(recipe, convention))
    return recipe


@st.composite
def ties(draw: st.DrawFn, recipe: dict[str, Any], convention: str) -> dict[str, str]:
    """Ties to raw tensors and layer parameters, now and then to a name that is not there."""
    targets = [t["name"] for t in recipe.get("tensors", [])]
    for layer in recipe.get("layers", []):
        targets += [
            f"{layer['name']}.{p.suffix}" for p in parameters_of(layer, layer.get("convention") or convention)
        ]
    targets.append(draw(names))
    chosen = draw(st.lists(st.sampled_from(targets), max_size=3, unique=True))
    return {f"{target}\u00b7tie": target for target in chosen}


@st.composite
def json_texts(draw: st.DrawFn, recipe: st.SearchStrategy[dict[str, Any]]) -> str:
    """A recipe as one line of JSON: key order shuffled, ASCII-escaped or raw UTF-8."""
    value = draw(recipe)
    rnd = draw(st.randoms(use_true_random=False))
    return json.dumps(_shuffled(value, rnd), ensure_ascii=draw(st.booleans()))


def _shuffled(value: Any, rnd: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rnd.shuffle(items)
        return {k: _shuffled(v, rnd) for k, v in items}
    if isinstance(value, list):
        return [_shuffled(v, rnd) for v in value]
    return value


# Number literals as JSON text (not via Python floats), so the ports' parsers see forms such as
# 1E2, 0.10, -0, 2.5e-324 or 30 significant digits, and must round them as the reference does.
@st.composite
def number_literals(draw: st.DrawFn) -> str:
    sign = draw(st.sampled_from(["", "-"]))
    int_part = draw(st.one_of(st.just("0"), st.from_regex(r"[1-9][0-9]{0,24}", fullmatch=True)))
    frac = draw(st.one_of(st.just(""), st.from_regex(r"\.[0-9]{1,25}", fullmatch=True)))
    exp = ""
    if draw(st.booleans()):
        exp = draw(st.sampled_from(["e", "E"])) + draw(st.sampled_from(["", "+", "-"]))
        exp += str(draw(st.one_of(st.integers(0, 30), st.integers(280, 345))))
    return sign + int_part + frac + exp

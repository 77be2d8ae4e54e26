"""Hypothesis strategies for random recipes, rendered as JSON text.

Mostly valid recipes (so bytes get compared), with a share of invalid ones (so rejections get
compared too). Most tensors are small; a few go up to a few million elements.
"""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import strategies as st

U64 = 2**64 - 1
SCHEMES = [
    "zeros",
    "ones",
    "constant",
    "uniform",
    "normal",
    "trunc_normal",
    "xavier_uniform",
    "xavier_normal",
    "kaiming_uniform",
    "kaiming_normal",
    "fan_in_uniform",
]
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


@st.composite
def inits(draw: st.DrawFn) -> dict[str, Any]:
    scheme = draw(st.sampled_from(SCHEMES))
    init: dict[str, Any] = {"scheme": scheme}

    def maybe(key: str, value: st.SearchStrategy[Any]) -> None:
        if draw(st.booleans()):
            init[key] = draw(value)

    if scheme == "constant":
        init["value"] = draw(floats())
    elif scheme in ("uniform", "trunc_normal"):
        a, b = draw(floats()), draw(floats())
        if draw(st.integers(0, 9)) > 0:  # mostly ordered; sometimes not, to compare rejections
            a, b = min(a, b), max(a, b)
        if scheme == "trunc_normal" and a == b:
            b = a + 1
        maybe("a", st.just(a))
        maybe("b", st.just(b))
        if scheme == "trunc_normal":
            maybe("mean", floats(-3, 3))
            maybe("std", st.one_of(st.floats(0.01, 5), st.sampled_from([1, 0.5, 1e-3, 0])))
    elif scheme == "normal":
        maybe("mean", floats())
        maybe("std", st.one_of(st.floats(0, 5), st.sampled_from([0, 1, 1e-3, -1])))
    elif scheme.startswith("xavier"):
        maybe("gain", st.one_of(st.floats(0, 5), st.sampled_from([1, 5 / 3, 2**0.5])))
    elif scheme.startswith("kaiming"):
        maybe("a", st.one_of(st.floats(-3, 3), st.sampled_from([0, 5**0.5, 0.01])))
        maybe("mode", st.sampled_from(["fan_in", "fan_out"]))
        maybe("nonlinearity", st.sampled_from(NONLINEARITIES))
    return init


@st.composite
def shapes(draw: st.DrawFn) -> list[int]:
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
    tensor: dict[str, Any] = {"name": name, "shape": draw(shapes()), "init": draw(inits())}
    for key in ("fan_in", "fan_out"):
        if draw(st.integers(0, 5)) == 0:
            tensor[key] = draw(st.one_of(st.none(), st.integers(1, 10**6), st.just(2**53)))
    return tensor


@st.composite
def layers(draw: st.DrawFn, name: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(["linear", "conv1d", "conv2d", "conv3d", "embedding"]))
    layer: dict[str, Any] = {"type": kind, "name": name}
    params = ["weight"]
    if kind == "linear":
        layer["in_features"] = draw(st.integers(1, 64))
        layer["out_features"] = draw(st.integers(1, 64))
    elif kind.startswith("conv"):
        dims = int(kind[4])
        groups = draw(st.integers(1, 4))
        layer["in_channels"] = groups * draw(st.integers(1, 4))
        layer["out_channels"] = groups * draw(st.integers(1, 4))
        if draw(st.booleans()):
            layer["kernel_size"] = draw(st.integers(1, 4))
        else:
            length = dims if draw(st.integers(0, 19)) else draw(st.integers(1, 3))
            layer["kernel_size"] = draw(st.lists(st.integers(1, 4), min_size=length, max_size=length))
        if groups > 1 or draw(st.booleans()):
            layer["groups"] = groups
    else:
        num = draw(st.integers(1, 40))
        layer["num_embeddings"] = num
        layer["embedding_dim"] = draw(st.integers(1, 16))
        choice = draw(st.integers(0, 9))
        if choice < 5:
            layer["padding_idx"] = draw(st.integers(-num, num - 1))
        elif choice == 5:
            layer["padding_idx"] = None
        elif choice == 6:
            layer["padding_idx"] = draw(st.sampled_from([num, -num - 1]))  # out of range
    if kind != "embedding":
        choice = draw(st.integers(0, 3))
        if choice < 2:
            layer["bias"] = choice == 1
        if layer.get("bias", True):
            params.append("bias")
    if draw(st.integers(0, 2)) == 0:
        layer["init"] = {p: draw(inits()) for p in params if draw(st.booleans())}
    elif draw(st.integers(0, 9)) == 0:
        layer["init"] = None
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
    if n_layers or draw(st.booleans()):
        recipe["layers"] = [draw(layers(n)) for n in all_names[:n_layers]]
    if n_tensors or draw(st.booleans()):
        recipe["tensors"] = [draw(raw_tensors(n)) for n in all_names[n_layers:]]
    return recipe


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

"""Hypothesis strategies: small random recipes (cheap to generate in full) and byte ranges that
like to land near the places ranges go wrong: header end, tensor boundaries, mid-element."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

INITS = st.sampled_from(
    [
        {"scheme": "uniform", "a": -2.0, "b": 3.0},
        {"scheme": "normal", "std": 0.5},
        {"scheme": "trunc_normal"},
        {"scheme": "constant", "value": 0.25},
        {"scheme": "xavier_normal"},
        {"scheme": "zeros"},
    ]
)
NAMES = st.text(alphabet="abcxyz._é0", min_size=1, max_size=8)


@st.composite
def recipes(draw: st.DrawFn) -> dict[str, Any]:
    """1 to 4 tensors of 1 to 200 elements in a random dtype, with unique random names."""
    names = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True))
    # Explicit fans: fan-based schemes then work for any shape, 1-D included.
    tensors = [
        {"name": n, "shape": draw(st.lists(st.integers(1, 7), min_size=1, max_size=3)), "init": draw(INITS),
         "fan_in": 3, "fan_out": 5}
        for n in names
    ]  # fmt: skip
    dtype = draw(st.sampled_from(["float32", "float64", "float16", "bfloat16"]))
    return {"seed": draw(st.integers(0, 2**64 - 1)), "dtype": dtype, "tensors": tensors}


def positions(size: int, anchors: list[int]) -> st.SearchStrategy[int]:
    """Byte offsets in [0, size]: uniform, or within 17 bytes of an anchor (a Philox block of
    4 words is 16 bytes, so this reaches both ends of blocks and elements around a boundary)."""
    near = st.tuples(st.sampled_from(anchors), st.integers(-17, 17)).map(lambda p: min(size, max(0, sum(p))))
    return st.one_of(st.integers(0, size), near)

"""The preset expression language evaluates arithmetic over config and nothing else."""

from __future__ import annotations

import math

import pytest

from tensorseed.recipe.expressions import ExpressionError, evaluate, substitute


def test_arithmetic_over_names() -> None:
    names = {"n_layer": 12, "r": 0.02, "sizes": [3, 4, 5]}
    assert evaluate("r / sqrt(2 * n_layer)", names) == 0.02 / math.sqrt(24)
    assert evaluate("sizes[n_layer - 11] * 2", names) == 8
    assert evaluate("'relu' if n_layer > 3 else 'linear'", names) == "relu"
    assert evaluate("len(sizes) - 1", names) == 2
    assert evaluate("['q', 'k'][1]", names) == "k"


def test_substitute_fields_and_values() -> None:
    names = {"i": 3, "d": 8}
    assert substitute({"name": "h.{i}.w", "shape": ["=d", "=3 * d"], "mode": "fan_in"}, names) == {
        "name": "h.3.w",
        "shape": [8, 24],
        "mode": "fan_in",
    }


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "d.__class__",
        "open('x')",
        "[x for x in y]",
        "lambda: 1",
        "d ** 99999",
        "1 / 0",
        "nope",
    ],
)
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ExpressionError):
        evaluate(text, {"d": 1, "y": [1]})

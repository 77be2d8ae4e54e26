"""Recipe bodies validated in batches give exactly what one Recipe.model_validate gives."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.api.body import BATCH, UndecodableBody, decode_json, validate_recipe
from tensorseed.recipe.models import Recipe

GOOD_TENSOR = {"name": "t", "shape": [2], "init": {"scheme": "normal"}}
GOOD_LAYER = {"type": "linear", "name": "l", "in_features": 2, "out_features": 3}


def recipe(n: int, bad_at: set[int], **extra: Any) -> dict[str, Any]:
    tensors = [{**GOOD_TENSOR, "name": f"t{i}", **({"shape": [0]} if i in bad_at else {})} for i in range(n)]
    layers = [
        {**GOOD_LAYER, "name": f"l{i}", **({"in_features": "x"} if i in bad_at else {})} for i in range(n)
    ]
    overrides = [{"match": "*", "init": {"scheme": "zeros" if i not in bad_at else "nope"}} for i in range(n)]
    return {"seed": 1, "tensors": tensors, "layers": layers,
            "model": {"preset": "gpt2", "overrides": overrides}, **extra}  # fmt: skip


def reference_errors(data: Any) -> list[tuple[Any, str]]:
    with pytest.raises(ValidationError) as caught:
        Recipe.model_validate(data)
    return [(tuple(e["loc"]), e["type"]) for e in caught.value.errors()]


def test_a_valid_long_recipe_equals_one_validation() -> None:
    data = recipe(3 * BATCH + 5, set())
    assert validate_recipe(data) == Recipe.model_validate(data)


@pytest.mark.parametrize(
    ("bad", "extra"),
    [
        ({0}, {}),
        ({BATCH + 3, 2 * BATCH}, {}),
        ({1}, {"dtype": "float8", "unknown": 1}),
        (set(), {"seed": -1}),
    ],
)
def test_errors_are_those_of_one_validation_in_the_same_order(bad: set[int], extra: dict[str, Any]) -> None:
    data = recipe(2 * BATCH + 7, bad, **extra)
    expected = reference_errors(data)
    with pytest.raises((RequestValidationError, ValidationError)) as caught:
        validate_recipe(data)
    got = [(tuple(e["loc"]), e["type"]) for e in caught.value.errors()]
    assert got == expected


@pytest.mark.parametrize(
    ("raw", "needle"),
    [(b"\xef\xbb\xbf{}", "byte order mark"), (b"\xff{}", "not UTF-8"), (b"[" * 100_000, "nested too deeply")],
)
def test_undecodable_bodies(raw: bytes, needle: str) -> None:
    with pytest.raises(UndecodableBody, match=needle):
        decode_json(raw)


def test_a_syntax_error_keeps_its_position_for_the_message() -> None:
    with pytest.raises(RequestValidationError) as caught:
        decode_json(json.dumps({"seed": 1}).encode()[:-1])
    assert caught.value.errors()[0]["type"] == "json_invalid" and caught.value.body == '{"seed": 1'

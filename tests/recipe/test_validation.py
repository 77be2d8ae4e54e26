"""Errors people can act on, torch class names as layer types, and recipe-level ties."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tensorseed.recipe.errors import RecipeError
from tensorseed.recipe.models import TORCH_CLASS_NAMES
from tensorseed.recipe.validation import InvalidRecipe, parse_recipe
from tests.support import file_bytes, plan_of


def linear(**fields: Any) -> dict[str, Any]:
    return {
        "seed": 1,
        "layers": [{"type": "linear", "name": "a", "in_features": 2, "out_features": 3, **fields}],
    }


def message(recipe: Any) -> str:
    with pytest.raises(InvalidRecipe) as caught:
        parse_recipe(recipe)
    return str(caught.value)


@pytest.mark.parametrize(
    ("recipe", "expected"),
    [
        (
            {"seed": 1, "layers": [{"type": "lnear", "name": "a"}]},
            "layers.0.type: unknown layer type 'lnear'; did you mean 'linear'?",
        ),
        ({"seed": 1, "layers": [{"type": "layernorm", "name": "a"}]}, "did you mean 'layer_norm'?"),
        ({"seed": 1, "layers": [{"type": "Dense", "name": "a"}]}, "Dense is called 'linear' here"),
        ({"seed": 1, "layers": [{"type": "foo", "name": "a"}]}, "layer types: linear, bilinear, conv1d"),
        ({"seed": 1, "layers": [{"name": "a"}]}, 'layers.0.type: a layer needs a "type"'),
        (
            linear(in_feature=2),
            "layers.0.linear.in_feature: unknown field 'in_feature'; did you mean 'in_features'?",
        ),
        (
            linear(init={"scheme": "normal", "std": 0.1}),
            'init maps each parameter name to its scheme, e.g. {"weight": {"scheme": "normal"',
        ),
        (linear(init={"weight": {"scheme": "normal", "sdt": 1}}), "unknown field 'sdt'; did you mean 'std'?"),
        (
            {"seed": 1, "tensors": [{"name": "t", "shape": [2], "init": {"scheme": "kaiming_normall"}}]},
            "tensors.0.init.scheme: unknown scheme 'kaiming_normall'; did you mean 'kaiming_normal'?",
        ),
        (
            {"seed": 1, "tensors": [{"name": "t", "shape": [2], "init": {"scheme": "normal"}, "sahpe": 1}]},
            "did you mean 'shape'?",
        ),
        ({"seed": 1, "seeed": 2, "tensors": []}, "seeed: unknown field 'seeed'; did you mean 'seed'?"),
        ({"seed": 1, "dtype": "flaot32", "layers": []}, "did you mean 'float32'?"),
        (
            {"seed": 1, "model": {"preset": "gpt2", "confg": {}}},
            "model.confg: unknown field 'confg'; did you mean 'config'?",
        ),
        ({"seed": 1, "zzz": 2}, "a recipe takes: seed, dtype"),
        ('{"seed": 1,\n  "layers": [,]}', "not valid JSON: Expecting value at line 2 column 14"),
    ],
)
def test_messages_say_what_to_write(recipe: Any, expected: str) -> None:
    text = message(recipe)
    assert expected in text
    assert "pydantic.dev" not in text and "Value error" not in text


def test_planning_errors_suggest_too() -> None:
    with pytest.raises(RecipeError, match="did you mean 'weight'"):
        plan_of(linear(init={"wieght": {"scheme": "zeros"}}))
    with pytest.raises(RecipeError, match="did you mean 'gpt2'"):
        plan_of({"seed": 1, "model": {"preset": "gtp2"}})
    with pytest.raises(RecipeError, match="did you mean 'n_layer'"):
        plan_of({"seed": 1, "model": {"preset": "gpt2", "config": {"n_layers": 2}}})


def test_http_bodies_carry_the_same_messages(client: TestClient) -> None:
    body = client.post("/v1/weights", json=linear(in_feature=2)).json()
    assert body["error_type"] == "validation_error"
    assert {"loc": "layers.0.linear.in_feature", "msg": "unknown field 'in_feature'; did you mean 'in_features'?",
            "type": "extra_forbidden"} in body["details"]  # fmt: skip
    syntax = client.post(
        "/v1/weights", content=b'{"seed": 1,\n "x": }', headers={"content-type": "application/json"}
    )
    assert syntax.status_code == 422
    assert syntax.json()["error"] == "request body is not valid JSON: Expecting value at line 2 column 7"
    assert syntax.json()["error_type"] == "invalid_json"


@pytest.mark.parametrize("canonical", list(TORCH_CLASS_NAMES))
def test_torch_class_names_are_the_same_layers(canonical: str) -> None:
    from tensorseed.recipe.layers.catalogue import LAYERS

    example = next(info.example for info in LAYERS if info.name == canonical)
    written = {"seed": 4, "layers": [{"type": TORCH_CLASS_NAMES[canonical], "name": "x", **example}]}
    plain = {"seed": 4, "layers": [{"type": canonical, "name": "x", **example}]}
    aliased, original = plan_of(written), plan_of(plain)
    # the canonical recipe keeps what was written; every tensor's stream and bytes are the same
    assert f'"type":"{TORCH_CLASS_NAMES[canonical]}"' in aliased.canonical_recipe
    assert [(t.name, t.shape, t.key, t.sampler) for t in aliased.tensors] == [
        (t.name, t.shape, t.key, t.sampler) for t in original.tensors
    ]
    header = lambda data: 8 + int.from_bytes(data[:8], "little")  # noqa: E731
    a, b = file_bytes(written), file_bytes(plain)
    assert a[header(a) :] == b[header(b) :]


def test_ties_share_the_target_stream() -> None:
    recipe = {**linear(), "ties": {"b.weight": "a.weight"}}
    plan = plan_of(recipe)
    tied = {t.name: t for t in plan.tensors}
    assert tied["b.weight"].key == tied["a.weight"].key and tied["b.weight"].shape == (3, 2)
    with pytest.raises(RecipeError, match=r"did you mean 'a\.weight'"):
        plan_of({**linear(), "ties": {"b.weight": "a.wieght"}})
    with pytest.raises(RecipeError, match="itself tied"):
        plan_of({**linear(), "ties": {"b": "a.weight", "c": "b"}})
    with pytest.raises(RecipeError, match="duplicate tensor name"):
        plan_of({**linear(), "ties": {"a.bias": "a.weight"}})
    with pytest.raises(RecipeError, match="rng='torch'"):
        plan_of({**linear(), "rng": "torch", "ties": {"b": "a.weight"}})

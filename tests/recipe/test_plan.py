"""Recipe validation and planning: clear errors that name the field; limits before allocation."""

from __future__ import annotations

import time
from typing import Any

import pytest
from pydantic import ValidationError

from tensorseed.recipe.errors import LimitExceeded, RecipeError
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import Limits, build_plan, canonical_recipe
from tests.support import one_tensor, plan_of


def errors_of(recipe: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as info:
        Recipe.model_validate(recipe)
    return str(info.value)


def test_seed_accepts_u64_as_integer_or_decimal_string() -> None:
    a = Recipe.model_validate(one_tensor({"scheme": "zeros"}, [2], seed=2**64 - 1))
    b = Recipe.model_validate(one_tensor({"scheme": "zeros"}, [2], seed="18446744073709551615"))  # type: ignore[arg-type]
    assert a.seed_value == b.seed_value == 2**64 - 1
    assert "seed" in errors_of(one_tensor({"scheme": "zeros"}, [2], seed=2**64))
    assert "seed" in errors_of(one_tensor({"scheme": "zeros"}, [2], seed=-1))
    assert "seed" in errors_of(one_tensor({"scheme": "zeros"}, [2], seed="12a"))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("recipe", "needle"),
    [
        (one_tensor({"scheme": "zeros"}, [0]), "tensors.0.shape.0"),
        (one_tensor({"scheme": "zeros"}, [-3]), "tensors.0.shape.0"),
        (one_tensor({"scheme": "zeros"}, []), "tensors.0.shape"),
        (one_tensor({"scheme": "bogus"}, [2]), "'bogus'"),
        (one_tensor({"scheme": "normal", "sd": 1}, [2]), "sd"),
        (one_tensor({"scheme": "normal", "std": -1.0}, [2]), "tensors.0.init.normal.std"),
        (one_tensor({"scheme": "uniform", "a": 2.0, "b": 1.0}, [2]), "a <= b"),
        (one_tensor({"scheme": "trunc_normal", "a": 1.0, "b": 1.0}, [2]), "a < b"),
        (one_tensor({"scheme": "constant", "value": float("nan")}, [2]), "finite"),
        (one_tensor({"scheme": "constant", "value": float("inf")}, [2]), "finite"),
        (one_tensor({"scheme": "constant", "value": "1"}, [2]), "value"),
        (one_tensor({"scheme": "zeros"}, [2.0]), "tensors.0.shape.0"),
        ({**one_tensor({"scheme": "zeros"}, [2]), "colour": "red"}, "colour"),
        (one_tensor({"scheme": "zeros"}, [2], dtype="int8"), "dtype"),
        ({"seed": 1}, "at least one layer, or at least one tensor"),
        ({"seed": 1, "tensors": [{"name": "", "shape": [1], "init": {"scheme": "zeros"}}]}, "empty"),
        ({"seed": 1, "tensors": [{"name": "a\nb", "shape": [1], "init": {"scheme": "zeros"}}]}, "control"),
        ({"seed": 1, "tensors": [{"name": "__metadata__", "shape": [1], "init": {"scheme": "zeros"}}]}, "reserved"),
        ({"seed": 1, "layers": [{"type": "linear", "name": "x", "in_features": 2}]}, "out_features"),
        ({"seed": 1, "layers": [{"type": "lstm", "name": "x"}]}, "'lstm'"),
        ({"seed": 1, "layers": [{"type": "linear", "name": "x", "in_features": 2, "out_features": 2,
                                 "bias": 1}]}, "bias"),
    ],
)  # fmt: skip
def test_invalid_fields_are_named(recipe: dict[str, Any], needle: str) -> None:
    assert needle in errors_of(recipe)


@pytest.mark.parametrize(
    ("recipe", "needle"),
    [
        (
            {"seed": 1, "tensors": [{"name": "a", "shape": [1], "init": {"scheme": "zeros"}}] * 2},
            "duplicate tensor name 'a'",
        ),
        (
            {
                "seed": 1,
                "layers": [{"type": "linear", "name": "fc", "in_features": 2, "out_features": 2}],
                "tensors": [{"name": "fc.bias", "shape": [2], "init": {"scheme": "zeros"}}],
            },
            "duplicate tensor name 'fc.bias'",
        ),
        (one_tensor({"scheme": "kaiming_uniform"}, [5]), "tensors.0.init: kaiming_uniform needs fan_in"),
        (one_tensor({"scheme": "constant", "value": 1e5}, [2], dtype="float16"), "finite range of float16"),
        (
            one_tensor({"scheme": "trunc_normal", "a": 40.0, "b": 41.0}, [2]),
            "no probability",
        ),
        (
            {"seed": 1, "layers": [{"type": "conv2d", "name": "c", "in_channels": 3, "out_channels": 4,
                                    "kernel_size": 3, "groups": 2}]},
            "layers.0.in_channels: in_channels must be divisible by groups",
        ),
        (
            {"seed": 1, "layers": [{"type": "conv2d", "name": "c", "in_channels": 2, "out_channels": 4,
                                    "kernel_size": [3, 3, 3]}]},
            "layers.0.kernel_size: conv2d needs 2 kernel sizes",
        ),
        (
            {"seed": 1, "layers": [{"type": "linear", "name": "fc", "in_features": 2, "out_features": 2,
                                    "bias": False, "init": {"bias": {"scheme": "zeros"}}}]},
            "no parameter(s) ['bias']",
        ),
        (
            {"seed": 1, "layers": [{"type": "embedding", "name": "e", "num_embeddings": 4, "embedding_dim": 2,
                                    "padding_idx": 4}]},
            "layers.0.padding_idx",
        ),
        (one_tensor({"scheme": "zeros"}, [2**40, 2**40]), "more elements than int64"),
    ],
)  # fmt: skip
def test_plan_errors_are_named(recipe: dict[str, Any], needle: str) -> None:
    with pytest.raises(RecipeError) as info:
        plan_of(recipe)
    assert needle in str(info.value)
    assert not isinstance(info.value, LimitExceeded)


def test_limits_refuse_huge_recipes_before_allocating() -> None:
    recipe = Recipe.model_validate(one_tensor({"scheme": "normal"}, [10**6, 10**6]))
    started = time.perf_counter()
    with pytest.raises(LimitExceeded):
        build_plan(recipe)
    assert time.perf_counter() - started < 1.0  # generous; planning does not touch elements
    many = {
        "seed": 1,
        "tensors": [{"name": f"t{i}", "shape": [4], "init": {"scheme": "zeros"}} for i in range(6)],
    }
    with pytest.raises(LimitExceeded, match="at most 5 tensors"):
        build_plan(Recipe.model_validate(many), Limits(max_tensors=5))
    with pytest.raises(LimitExceeded, match="limit of 20 elements"):
        build_plan(Recipe.model_validate(many), Limits(max_total_elements=20))


def test_fan_overrides_and_torch_fans() -> None:
    plan = plan_of(
        {
            "seed": 1,
            "tensors": [
                {"name": "conv", "shape": [8, 4, 3, 5], "init": {"scheme": "kaiming_normal"}},
                {
                    "name": "vec",
                    "shape": [16],
                    "init": {"scheme": "kaiming_normal"},
                    "fan_in": 9,
                    "fan_out": 2,
                },
            ],
        }
    )
    conv, vec = plan.tensors
    assert (conv.fans.fan_in, conv.fans.fan_out) == (60, 120)
    assert (vec.fans.fan_in, vec.fans.fan_out) == (9, 2)


def test_canonical_recipe_is_rfc8785_of_the_recipe_as_given() -> None:
    recipe = Recipe.model_validate(
        {"tensors": [{"shape": [3], "name": "é", "init": {"scheme": "constant", "value": 1e2}}], "seed": 7}
    )
    assert canonical_recipe(recipe) == (
        '{"seed":"7","spec":"tensorseed-stream/2",'
        '"tensors":[{"init":{"scheme":"constant","value":100},"name":"é","shape":[3]}]}'
    )


def test_canonical_recipe_names_v2_always_and_v1_never() -> None:
    tensors = [{"name": "t", "shape": [3], "init": {"scheme": "ones"}}]
    v2 = canonical_recipe(Recipe.model_validate({"seed": 7, "tensors": tensors}))
    assert v2 == canonical_recipe(
        Recipe.model_validate({"seed": 7, "spec": "tensorseed-stream/2", "tensors": tensors})
    )
    assert (
        v2
        == '{"seed":"7","spec":"tensorseed-stream/2","tensors":[{"init":{"scheme":"ones"},"name":"t","shape":[3]}]}'
    )
    v1 = canonical_recipe(
        Recipe.model_validate({"seed": 7, "spec": "tensorseed-stream/1", "tensors": tensors})
    )
    assert v1 == '{"seed":"7","tensors":[{"init":{"scheme":"ones"},"name":"t","shape":[3]}]}'
    # Read back from a v1 file or token (no spec member), it means v1 again: same canonical text.
    again = Recipe.model_validate_json(v1).read_as("tensorseed-stream/1")
    assert again.spec == "tensorseed-stream/1" and canonical_recipe(again) == v1


@pytest.mark.parametrize("spec", [None, "tensorseed-stream/3", "tensorseed-stream/1 ", 1, ""])
def test_an_unknown_spec_is_refused_naming_the_versions(spec: object) -> None:
    from pydantic import ValidationError as PydanticError

    with pytest.raises(PydanticError, match="'tensorseed-stream/1' or 'tensorseed-stream/2'"):
        Recipe.model_validate(
            {"seed": 1, "spec": spec, "tensors": [{"name": "t", "shape": [1], "init": {"scheme": "ones"}}]}
        )


def test_integers_beyond_json_doubles_are_422_not_500() -> None:
    from pydantic import ValidationError as PydanticError

    for recipe in (
        one_tensor({"scheme": "kaiming_normal"}, [4, 4], fan_in=2**53 + 1),
        {"seed": 1, "layers": [{"type": "linear", "name": "x", "in_features": 2**53 + 1, "out_features": 2}]},
    ):
        with pytest.raises(PydanticError, match="less than or equal to 9007199254740992"):
            Recipe.model_validate(recipe)


@pytest.mark.parametrize(
    ("init", "dtype", "needle"),
    [
        ({"scheme": "normal", "std": 1e6}, "float16", "outside the finite range of float16"),
        ({"scheme": "normal", "mean": 1e308, "std": 1e308}, "float64", "outside the finite range of float64"),
        ({"scheme": "normal", "mean": 3e38, "std": 1e37}, "float32", "outside the finite range of float32"),
        ({"scheme": "uniform", "a": -1.7e308, "b": 1.7e308}, "float64", "overflows binary64"),
    ],
)
def test_parameters_whose_values_overflow_the_dtype_are_refused(
    init: dict[str, Any], dtype: str, needle: str
) -> None:
    """With ``finite_values`` (the service's setting) values that could be infinite are refused
    (422 naming the init); the library, like the spec and the ports, generates them."""
    recipe = Recipe.model_validate(one_tensor(init, [64], dtype=dtype))
    with pytest.raises(RecipeError, match=needle) as caught:
        build_plan(recipe, Limits(finite_values=True))
    assert str(caught.value).startswith("tensors.0.init: ")
    build_plan(recipe)


def test_the_largest_finite_parameters_still_plan() -> None:
    import numpy as np

    from tests.support import values

    x = values(plan_of(one_tensor({"scheme": "normal", "std": 6000.0}, [64], dtype="float16")), "t")
    assert np.isfinite(x).all()
    finite = Limits(finite_values=True)
    build_plan(
        Recipe.model_validate(one_tensor({"scheme": "normal", "std": 6000.0}, [64], dtype="float16")), finite
    )
    build_plan(
        Recipe.model_validate(
            one_tensor({"scheme": "uniform", "a": -1e308, "b": 0.0}, [64], dtype="float64")
        ),
        finite,
    )


def test_float16_overflow_is_infinity_without_warnings() -> None:
    import numpy as np

    from tests.support import values

    x = values(plan_of(one_tensor({"scheme": "normal", "std": 1e6}, [64], dtype="float16")), "t")
    assert np.isinf(x).any()

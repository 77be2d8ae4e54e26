"""GET /v1/specs, /v1/schemes and /v1/layers, calculate_gain against torch, and clear 4xx answers for
every bad combination of scheme, tensor and layer."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pytest
import torch
from fastapi.testclient import TestClient

from app.main import create_app
from tensorseed.recipe.gains import GAIN_FORMULAS, calculate_gain
from tensorseed.recipe.schemes import CANONICAL, SCHEMES


@pytest.fixture(scope="module")
def api() -> Iterator[TestClient]:
    with TestClient(create_app()) as c:
        yield c


def test_specs_lists_the_versions_served_and_the_default(api: TestClient) -> None:
    body = api.get("/v1/specs").json()
    assert body["default"] == "tensorseed-stream/2"
    assert [(v["name"], v["token_prefix"]) for v in body["versions"]] == [
        ("tensorseed-stream/1", "1."),
        ("tensorseed-stream/2", "2."),
    ]
    assert all(v["summary"] for v in body["versions"])
    schemes = api.get("/v1/schemes").json()
    assert schemes["spec_version"] == body["default"]
    assert schemes["spec_versions"] == [v["name"] for v in body["versions"]]


def test_specs_takes_no_input(api: TestClient) -> None:
    # Nothing to parse, nothing to exhaust: query strings are ignored, other methods refused.
    assert api.get("/v1/specs?default=x&" + "a=b&" * 200).json()["default"] == "tensorseed-stream/2"
    assert api.post("/v1/specs", json={"default": "x"}).status_code == 405
    assert api.delete("/v1/specs").status_code == 405


def test_a_recipe_naming_an_unknown_version_gets_a_422_naming_the_versions(api: TestClient) -> None:
    tensors = [{"name": "t", "shape": [2], "init": {"scheme": "ones"}}]
    for spec in ("tensorseed-stream/3", None, 2, "TENSORSEED-STREAM/2"):
        r = api.post("/v1/weights", json={"seed": 1, "spec": spec, "tensors": tensors})
        assert r.status_code == 422, r.text
        assert "tensorseed-stream/1" in r.text and "tensorseed-stream/2" in r.text


def test_every_scheme_lists_parameters_formula_tier_source_and_library_meanings(api: TestClient) -> None:
    body = api.get("/v1/schemes").json()
    entries = {s["name"]: s for s in body["schemes"]}
    assert set(entries) == set(SCHEMES)
    for entry in entries.values():
        assert entry["formula"] and entry["source"] and entry["tier"] in ("exact", "tolerance")
        assert all({"name", "required"} <= set(p) for p in entry["parameters"])
    assert {n for n, e in entries.items() if e["tier"] == "tolerance"} == {"orthogonal", "delta_orthogonal"}
    he = entries["kaiming_normal"]
    assert he["aliases"] == ["he_normal"]
    assert "untruncated" in he["libraries"]["torch"] and "truncated" in he["libraries"]["keras"]
    assert "truncated" in entries["variance_scaling"]["libraries"]["keras"]
    std = next(p for p in entries["normal"]["parameters"] if p["name"] == "std")
    assert std["default_by_convention"] == {"torch": 1.0, "keras": 0.05, "jax": 0.01}
    sparsity = next(p for p in entries["sparse"]["parameters"] if p["name"] == "sparsity")
    assert sparsity["required"] and sparsity["minimum"] == 0.0 and sparsity["exclusiveMaximum"] == 1.0
    assert {g["nonlinearity"] for g in body["gains"]} == set(GAIN_FORMULAS)


def test_every_layer_lists_its_parameters_in_each_convention(api: TestClient) -> None:
    layers = {entry["type"]: entry for entry in api.get("/v1/layers").json()["layers"]}
    assert "num_batches_tracked" in [
        p["name"] for p in layers["batch_norm2d"]["conventions"]["torch"]["parameters"]
    ]
    counter = layers["batch_norm2d"]["conventions"]["torch"]["parameters"][-1]
    assert counter["dtype"] == "int64" and counter["shape"] == []
    assert [p["name"] for p in layers["linear"]["conventions"]["keras"]["parameters"]] == ["kernel", "bias"]
    assert layers["linear"]["conventions"]["flax"]["parameters"][0]["default"] == {
        "scheme": "lecun_normal", "convention": "jax",
    }  # fmt: skip
    assert layers["bilinear"]["conventions"]["keras"]["source"] is None
    for entry in layers.values():
        assert entry["conventions"]["torch"]["parameters"], entry["type"]


@pytest.mark.parametrize("nonlinearity", sorted(set(GAIN_FORMULAS) - {"identity"}))
def test_calculate_gain_matches_torch_for_every_nonlinearity(nonlinearity: str) -> None:
    assert calculate_gain(nonlinearity) == pytest.approx(
        torch.nn.init.calculate_gain(nonlinearity), rel=1e-15
    )
    if nonlinearity == "leaky_relu":
        for slope in (0.0, 0.2, math.sqrt(5)):
            assert calculate_gain("leaky_relu", slope) == pytest.approx(
                torch.nn.init.calculate_gain("leaky_relu", slope), rel=1e-15
            )


def test_every_alias_resolves_to_its_entry() -> None:
    assert CANONICAL["glorot_uniform"] == "xavier_uniform" and CANONICAL["identity"] == "eye"
    assert set(CANONICAL.values()) == set(SCHEMES)


def tensor(init: dict[str, Any], shape: list[int], **extra: Any) -> dict[str, Any]:
    return {"seed": 1, "tensors": [{"name": "t", "shape": shape, "init": init, **extra}]}


def layer(spec: dict[str, Any], **recipe: Any) -> dict[str, Any]:
    return {"seed": 1, **recipe, "layers": [{"name": "m", **spec}]}


BAD: list[tuple[dict[str, Any], int, str]] = [
    (tensor({"scheme": "orthogonal"}, [16]), 422, "at least 2 dimensions"),
    (tensor({"scheme": "orthogonal", "column_axis": 0}, [4, 4]), 422, "column_axis"),
    (tensor({"scheme": "orthogonal", "column_axis": 2, "convention": "jax"}, [4, 4]), 422, "column_axis"),
    (tensor({"scheme": "orthogonal"}, [8192, 4096]), 413, "orthogonal tensors"),
    (tensor({"scheme": "dirac"}, [4, 4]), 422, "3-, 4- or 5-D"),
    (tensor({"scheme": "dirac", "groups": 3}, [4, 4, 3]), 422, "divisible by groups"),
    (tensor({"scheme": "delta_orthogonal"}, [3, 3, 8, 4], convention="jax"), 422, "in channels (8) <= out"),
    (tensor({"scheme": "delta_orthogonal"}, [8, 8]), 422, "3-, 4- or 5-D"),
    (tensor({"scheme": "sparse", "sparsity": 1.0}, [4, 4]), 422, "sparsity"),
    (tensor({"scheme": "sparse", "sparsity": -0.1}, [4, 4]), 422, "sparsity"),
    (tensor({"scheme": "sparse", "sparsity": 0.5}, [4, 4, 4]), 422, "2-D"),
    (tensor({"scheme": "eye"}, [2, 3, 4]), 422, "2-D"),
    (tensor({"scheme": "irnn"}, [3, 4]), 422, "square"),
    (tensor({"scheme": "zero"}, [3]), 422, "2-D"),
    (tensor({"scheme": "lstm_forget_bias"}, [10]), 422, "4 * hidden"),
    (tensor({"scheme": "lecun_normal", "convention": "jax"}, [7]), 422, "fan_in"),
    (tensor({"scheme": "uniform", "a": 0.1, "convention": "keras"}, [3]), 422, "a <= b"),
    (tensor({"scheme": "variance_scaling", "scale": 0.0}, [3, 3]), 422, "scale"),
    (tensor({"scheme": "variance_scaling", "mode": "fan_sum"}, [3, 3]), 422, "mode"),
    (tensor({"scheme": "truncated_normal", "a": 40.0, "b": 41.0}, [3]), 422, "tail"),
    (tensor({"scheme": "he_normal", "convention": "pytorch"}, [3, 3]), 422, "convention"),
    (layer({"type": "conv2d", "in_channels": 4, "out_channels": 8, "kernel_size": 3, "depthwise": True,
            "groups": 2}), 422, "groups = in_channels"),
    (layer({"type": "conv2d", "in_channels": 4, "out_channels": 6, "kernel_size": 3, "depthwise": True}),
     422, "out_channels must be divisible"),
    (layer({"type": "conv_transpose2d", "in_channels": 4, "out_channels": 6, "kernel_size": [3, 3, 3]}),
     422, "2 kernel sizes"),
    (layer({"type": "group_norm", "num_groups": 3, "num_channels": 4}), 422, "num_groups"),
    (layer({"type": "multihead_attention", "embed_dim": 10, "num_heads": 4}), 422, "num_heads"),
    (layer({"type": "lstm", "input_size": 3, "hidden_size": 4, "proj_size": 4}), 422, "proj_size"),
    (layer({"type": "bilinear", "in1_features": 2, "in2_features": 2, "out_features": 2}, convention="keras"),
     422, "Keras has no bilinear"),
    (layer({"type": "lstm", "input_size": 3, "hidden_size": 4, "num_layers": 2}, convention="flax"),
     422, "stacked or bidirectional"),
    (layer({"type": "prelu", "num_parameters": 3}, convention="flax"), 422, "scalar"),
    (layer({"type": "embedding", "num_embeddings": 4, "embedding_dim": 2, "padding_idx": 0},
           convention="keras"), 422, "padding_idx"),
    (layer({"type": "linear", "in_features": 2, "out_features": 2, "init": {"weight": {"scheme": "zeros"}}},
           convention="keras"), 422, "has no parameter(s) ['weight']"),
    (layer({"type": "batch_norm1d", "num_features": 2,
            "init": {"num_batches_tracked": {"scheme": "uniform"}}}), 422, "int64"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("recipe", "status", "needle"), BAD, ids=[f"{i}-{n}" for i, (_, _, n) in enumerate(BAD)]
)
def test_bad_combinations_get_clear_errors(
    api: TestClient, recipe: dict[str, Any], status: int, needle: str
) -> None:
    response = api.post("/v1/stats", json=recipe)
    assert response.status_code == status, response.text
    body = response.json()
    assert needle in body["error"], body["error"]
    assert body["error_type"] in ("validation_error", "invalid_recipe", "limit_exceeded")

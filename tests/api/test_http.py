"""The HTTP contract, in process: endpoints, content types, and a clear 4xx for every bad input."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from safetensors.numpy import load as load_numpy

from app.main import create_app
from app.settings import Settings
from tests.support import file_bytes

BAD = Path(__file__).parent / "bad_recipes"
EXPECTED: dict[str, list[Any]] = json.loads((BAD / "expected.json").read_text())
RECIPE = {
    "seed": 42,
    "layers": [{"type": "linear", "name": "fc1", "in_features": 784, "out_features": 256}],
    "tensors": [{"name": "scale", "shape": [64], "init": {"scheme": "constant", "value": 0.5}}],
}


def test_weights_streams_the_reference_file(client: TestClient) -> None:
    response = client.post("/v1/weights", json=RECIPE)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/octet-stream"
    assert int(response.headers["content-length"]) == len(response.content)
    assert response.content == file_bytes(RECIPE)
    assert load_numpy(response.content)["fc1.weight"].shape == (256, 784)


def test_stats_and_weights_agree(client: TestClient) -> None:
    stats = client.post("/v1/stats?bins=5", json=RECIPE).json()
    assert [t["name"] for t in stats["tensors"]] == ["fc1.bias", "fc1.weight", "scale"]
    assert all(len(t["histogram"]["counts"]) == 5 for t in stats["tensors"])
    assert stats["seed"] == "42"


def test_schemes_catalogue_lists_every_scheme_with_formula_and_tier(client: TestClient) -> None:
    body = client.get("/v1/schemes").json()
    names = {s["name"] for s in body["schemes"]}
    assert {"zeros", "ones", "constant", "uniform", "normal", "trunc_normal", "xavier_uniform",
            "xavier_normal", "kaiming_uniform", "kaiming_normal", "fan_in_uniform"} <= names  # fmt: skip
    kaiming = next(s for s in body["schemes"] if s["name"] == "kaiming_uniform")
    assert kaiming["tier"] == "exact" and "sqrt" in kaiming["formula"]
    assert {p["name"]: p.get("default") for p in kaiming["parameters"]} == {
        "a": 0.0, "mode": "fan_in", "nonlinearity": "leaky_relu",
    }  # fmt: skip
    layers = {entry["type"]: entry["conventions"] for entry in client.get("/v1/layers").json()["layers"]}
    assert [p["name"] for p in layers["linear"]["torch"]["parameters"]] == ["weight", "bias"]
    assert [p["name"] for p in layers["linear"]["keras"]["parameters"]] == ["kernel", "bias"]
    assert [p["name"] for p in layers["embedding"]["torch"]["parameters"]] == ["weight"]


def test_health_and_metrics(client: TestClient) -> None:
    assert client.get("/v2/health/live").json() == {"status": "live"}
    assert client.get("/v2/health/ready").status_code == 200
    client.post("/v1/weights", json=RECIPE)
    text = client.get("/metrics").text
    assert 'tensorseed_requests_total{route="generate_weights",status="200"} 1.0' in text
    assert "tensorseed_generated_bytes" in text


def test_not_ready_outside_the_lifespan() -> None:
    app = create_app(Settings())
    assert TestClient(app).get("/v2/health/ready").status_code == 503  # lifespan not started


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_every_bad_recipe_gets_a_clear_4xx(client: TestClient, filename: str) -> None:
    status, needle = EXPECTED[filename]
    body = (BAD / filename).read_bytes()
    started = time.perf_counter()
    response = client.post("/v1/weights", content=body, headers={"content-type": "application/json"})
    assert time.perf_counter() - started < 5
    assert response.status_code == status, response.text
    error = response.json()
    assert set(error) >= {"error", "error_type"}
    assert needle in error["error"]
    # The same recipe is refused the same way by /v1/stats, and the service keeps serving.
    assert (
        client.post("/v1/stats", content=body, headers={"content-type": "application/json"}).status_code
        == status
    )
    assert client.get("/v2/health/live").status_code == 200


def test_generated_adversarial_bodies(client: TestClient) -> None:
    deep = b"[" * 200_000 + b"]" * 200_000  # 400 kB of nesting
    response = client.post("/v1/weights", content=deep, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500 and "error" in response.json()
    huge = b'{"seed": 1, "pad": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = client.post("/v1/weights", content=huge, headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error_type"] == "body_too_large"
    many = {
        "seed": 1,
        "tensors": [{"name": f"t{i}", "shape": [1], "init": {"scheme": "zeros"}} for i in range(10_001)],
    }
    response = client.post("/v1/weights", json=many)
    assert response.status_code == 413 and "10000 tensors" in response.json()["error"]
    assert client.post("/v1/stats?bins=0", json=RECIPE).status_code == 422
    assert client.post("/v1/stats?bins=100000", json=RECIPE).status_code == 422


def test_over_capacity_answers_429_with_retry_after() -> None:
    app = create_app(Settings(max_active_jobs=1, max_queued_jobs=0, retry_after_seconds=3))
    with TestClient(app) as c:
        engine = app.state.engine
        engine.slots._admitted = 1  # one job holds the only slot
        response = c.post("/v1/weights", json=RECIPE)
        assert response.status_code == 429
        assert response.headers["retry-after"] == "3"
        assert response.json()["error_type"] == "over_capacity"
        engine.slots._admitted = 0
        assert c.post("/v1/weights", json=RECIPE).status_code == 200
        assert engine.slots.admitted == 0  # the finished stream gave its slot back

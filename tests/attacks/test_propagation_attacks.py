"""Adversarial propagation and picture requests: each gets a clear 4xx or a bounded answer, never a 500,
a hang, or a blocked event loop."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import running_server

ONES = {"weight": {"scheme": "ones"}, "bias": {"scheme": "zeros"}}


def test_a_signal_that_overflows_float64_is_reported_not_crashed(client: TestClient) -> None:
    """All-ones weights, linear activation, 400 layers of 64: the signal passes 1e308 at layer ~170."""
    body = {"seed": 1, "width": 64, "depth": 400, "batch": 4, "activation": "linear", "init": ONES}
    r = client.post("/v1/propagation", params={"bins": 4}, json=body)
    assert r.status_code == 200, r.text
    data = r.json()
    last = data["layers"][-1]
    assert last["activation"]["std"] is None and last["activation"]["finite"] is False
    assert last["activation"]["histogram"] is None and last["expected"]["activation_std"] is None
    assert data["verdict"]["forward"]["state"] == "exploding"
    for kind in ("std", "histograms"):
        picture = client.post("/v1/propagation/plot", params={"kind": kind}, json=body)
        assert picture.status_code == 200 and b"<svg" in picture.content[:1000]


@pytest.mark.parametrize(
    "body",
    [
        {"widths": [8] * 100_001},  # depth over the limit, refused before anything is built
        {"width": 2**40, "depth": 1},  # one layer's weights
        {"width": 8, "depth": 1, "layer": "conv3d", "input_size": [2**20, 2**20, 2**20]},
        {"width": 8, "depth": 1, "layer": "conv2d", "input_size": [8, 8], "kernel_size": [2**20, 2**20]},
        {"width": 4096, "depth": 1000, "batch": 1},  # work over the multiply-add budget
    ],
)
def test_work_and_memory_are_refused_up_front(client: TestClient, body: dict[str, object]) -> None:
    r = client.post("/v1/propagation", json={"seed": 1, **body})
    assert r.status_code == 413, r.text
    assert r.json()["error_type"] in ("limit_exceeded", "body_too_large")


def test_the_compare_budget_counts_every_scheme(client: TestClient) -> None:
    """Each scheme alone fits; sixteen of them do not."""
    one = {"seed": 1, "width": 2048, "depth": 32, "batch": 32}
    schemes = [{"label": f"s{i}", "init": {"weight": {"scheme": "lecun_normal"}}} for i in range(16)]
    r = client.post("/v1/propagation/compare", json={**one, "schemes": schemes})
    assert r.status_code == 413 and "multiply-adds" in r.json()["error"]


def test_health_answers_while_a_propagation_runs() -> None:
    """The forward and backward passes run on a worker thread: the event loop stays free.

    The server's budget is raised so the request takes seconds even on a fast machine (about
    26 GFLOP); health is asked over and over while it runs, and must be answered each time."""
    heavy = {"seed": 1, "widths": [2048] * 5, "batch": 1024}
    env = {
        "TENSORSEED_PROPAGATION_MAX_MACS": str(2**35),
        "TENSORSEED_PROPAGATION_MAX_ACTIVATION_ELEMENTS": str(2**24),
    }
    with running_server(env) as server:
        done: dict[str, int] = {}

        def post() -> None:
            done["status"] = httpx.post(f"{server.url}/v1/propagation", json=heavy, timeout=300).status_code

        worker = threading.Thread(target=post)
        worker.start()
        answered_while_running = 0
        try:
            time.sleep(0.5)  # the request is in and its work has started
            while worker.is_alive():
                status = httpx.get(f"{server.url}/v2/health/live", timeout=5).status_code
                assert status == 200
                if worker.is_alive():
                    answered_while_running += 1
                time.sleep(0.05)
        finally:
            worker.join(timeout=300)
        assert done.get("status") == 200
        assert answered_while_running >= 3, (
            "the propagation ended before health was asked: the test proves nothing"
        )

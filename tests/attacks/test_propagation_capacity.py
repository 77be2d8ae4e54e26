"""Propagation and picture requests against a real server: off the event loop, admitted as heavy jobs.

* Megabyte bodies of every long list a network body has (and the stats picture's recipe), sent
  together while a prober asks /v2/health/live every 20 ms: each gets its status, never a 5xx,
  and no health answer takes 200 ms or more.
* More propagation and picture requests at once than the heavy memory pool holds: the rest get
  429 with Retry-After, and the server's peak RSS grows by less than the pool + 100 MiB (each of
  these requests holds about 70 MiB, so the four light slots they used to run under would hold
  about 280 MiB).
* With API keys and a cap of one job per client: a client running a propagation gets 429 for
  its next request (any route), another client's download is served meanwhile, and a client
  that disconnects releases its job (the passes stop at their next layer).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.attacks.support import (
    CostlyCase,
    Reply,
    assert_costly_bodies_answered_while_health_stays_fast,
    concurrently,
    host_port,
    metric,
    post_json,
    request_bytes,
    status_kib,
    wait_until,
)
from tests.conftest import Server, running_server

pytestmark = pytest.mark.server

MIB = 1024 * 1024
HE = {"weight": {"scheme": "kaiming_normal", "nonlinearity": "relu"}}


def _long(template: dict[str, Any], key: str, item: Any, budget: int = MIB - 300) -> bytes:
    """``template`` with ``key`` a list of ``item`` (or, for a dict field, ``item`` entries)
    about 1 MiB long."""

    def build(count: int) -> bytes:
        body = dict(template)
        if isinstance(template.get(key), dict):
            body[key] = {f"p{i}": item for i in range(count)}
        else:
            body[key] = [item] * count
        return json.dumps(body).encode()

    count = 10_000
    count = count * budget // len(build(count))
    while len(raw := build(count)) > budget:
        count -= 1 + (len(raw) - budget) // len(json.dumps(item))
    assert MIB - 32768 < len(raw) <= MIB, len(raw)
    return raw


NET = {"seed": 1, "width": 8, "depth": 2, "batch": 4}
#: (name, path, body, expected status, needle in the answer)
CASES: list[CostlyCase] = [
    ("1 MiB of widths", "/v1/propagation", _long(NET, "widths", 8), 413, "exceeds the limit of 1000"),
    ("1 MiB of schemes", "/v1/propagation/compare",
     _long(NET, "schemes", {"label": "a", "init": HE}), 413, "schemes per comparison"),
    ("1 MiB of init entries", "/v1/propagation",
     _long({**NET, "init": {}}, "init", {"scheme": "zeros"}), 422, "at most 8 parameters"),
    ("1 MiB of scheme init entries", "/v1/propagation/compare",
     json.dumps({**NET, "schemes": [{"label": "a", "init": json.loads(
         _long({"init": {}}, "init", {"scheme": "zeros"}, MIB - 400))["init"]}]}).encode(),
     422, "at most 8 parameters"),
    ("1 MiB band", "/v1/propagation/plot", _long(NET, "band", 0.5), 422, "at most 2 items"),
    ("1 MiB input_size", "/v1/propagation/compare/plot",
     _long({**NET, "layer": "conv1d"}, "input_size", 1), 422, "at most 3 items"),
    ("1 MiB kernel_size", "/v1/propagation",
     _long({**NET, "layer": "conv1d", "input_size": [8]}, "kernel_size", 3), 422, "at most 3 items"),
    ("1 MiB of nesting", "/v1/propagation/plot", b"[" * (MIB // 2) + b"]" * (MIB // 2), 400,
     "not valid JSON"),
    ("a 10000-digit seed", "/v1/propagation", b'{"seed": ' + b"7" * 10_000 + b', "width": 8, "depth": 1}',
     400, "4300 digits"),
    ("1 MiB of tensors to draw", "/v1/stats/plot",
     _long({"seed": 1}, "tensors", {"name": "t", "shape": [1], "init": {"scheme": "zeros"}}), 422,
     "duplicate tensor name"),
]  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    # Every request comes from 127.0.0.1: no per-client cap here (tested below, with keys).
    with running_server({"TENSORSEED_MAX_JOBS_PER_CLIENT": "0", "TENSORSEED_MAX_QUEUED_JOBS": "32"}) as s:
        yield s


def test_costly_network_bodies_get_their_status_and_health_stays_under_200_ms(server: Server) -> None:
    assert_costly_bodies_answered_while_health_stays_fast(server.url, CASES)
    assert metric(server.url, "tensorseed_requests_total", 'route="propagate_signal",status="500"') == 0


# ---- memory: more requests than the heavy pool holds ----

#: 512 x 64 units x 128 layers: 4 M activation elements (the default limit) kept as float64 twice,
#: about 70 MiB at the peak, 83 MiB declared; few multiply-adds (0.27 G), so it runs in a second.
DEEP = {"seed": 3, "width": 64, "depth": 127, "batch": 512, "init": HE}
LIGHT_SHARE = 4 * 17 * MIB  # max_active_jobs x one light job's bytes with 1 MiB chunks
HEAVY_POOL = 100 * MIB
RSS_BOUND_MIB = HEAVY_POOL / MIB + 100


def test_more_propagations_than_the_heavy_pool_holds_get_429_and_memory_stays_bounded() -> None:
    env = {
        "TENSORSEED_CHUNK_BYTES": str(MIB),
        "TENSORSEED_MEMORY_BUDGET_BYTES": str(LIGHT_SHARE + HEAVY_POOL),
        "TENSORSEED_MAX_JOBS_PER_CLIENT": "0",
        "TENSORSEED_MAX_QUEUED_HEAVY_JOBS": "8",
    }
    with running_server(env) as server:
        before = status_kib(server.pid, "VmRSS")
        small_plot = {"seed": 1, "width": 32, "depth": 400, "batch": 8}
        calls = [(post_json, server.url, "/v1/propagation", DEEP) for _ in range(8)]
        schemes = [{"label": "a", "init": HE}, {"label": "b", "init": {"weight": {"scheme": "lecun_normal"}}}]
        compared = {k: v for k, v in DEEP.items() if k != "init"}
        calls += [(post_json, server.url, "/v1/propagation/compare", {**compared, "schemes": schemes})]
        calls += [(post_json, server.url, "/v1/propagation/plot?format=png&kind=histograms", small_plot)
                  for _ in range(3)]  # fmt: skip
        replies = concurrently(*calls)
        growth = (status_kib(server.pid, "VmHWM") - before) / 1024
        statuses = [r.status for r in replies if isinstance(r, Reply)]
        assert growth < RSS_BOUND_MIB, f"peak RSS grew by {growth:.0f} MiB; statuses {statuses}"
        assert len(statuses) == len(calls) and set(statuses) <= {200, 429}, replies
        assert statuses.count(200) >= 1 and statuses.count(429) >= 1, statuses
        for r in replies:
            if r.status == 429:
                assert int(r.headers["retry-after"]) >= 1 and b"over_capacity" in r.body
        assert metric(server.url, "tensorseed_heavy_jobs_admitted") == 0


# ---- per-client cap, other clients, disconnects ----

KEYS = ("alpha-key-0123456789abcdef", "bravo-key-0123456789abcdef")
#: About 26 GFLOP (forward and backward): seconds of work even on a fast machine.
SLOW = {"seed": 1, "widths": [2048] * 5, "batch": 1024}
SMALL_FILE = {"seed": 1, "tensors": [{"name": "s", "shape": [4], "init": {"scheme": "ones"}}]}


def _start(url: str, path: str, body: dict[str, Any], key: str) -> socket.socket:
    sock = socket.create_connection(host_port(url))
    sock.sendall(request_bytes("POST", path, json.dumps(body).encode(), {"Authorization": f"Bearer {key}"}))
    return sock


def test_per_client_cap_other_clients_and_disconnects() -> None:
    env = {
        "TENSORSEED_API_KEYS": ",".join(KEYS),
        "TENSORSEED_MAX_JOBS_PER_CLIENT": "1",
        "TENSORSEED_PROPAGATION_MAX_MACS": str(2**35),
        "TENSORSEED_PROPAGATION_MAX_ACTIVATION_ELEMENTS": str(2**24),
    }
    with running_server(env) as server:
        alpha, bravo = ({"Authorization": f"Bearer {k}"} for k in KEYS)
        held = _start(server.url, "/v1/propagation", SLOW, KEYS[0])
        try:
            wait_until(
                lambda: metric(server.url, "tensorseed_heavy_jobs_admitted") == 1, 60, "the job started"
            )
            for path, body in (("/v1/propagation", {**SLOW, "batch": 1}), ("/v1/weights", SMALL_FILE)):
                second = httpx.post(f"{server.url}{path}", json=body, headers=alpha, timeout=30)
                assert second.status_code == 429 and "per-client" in second.json()["error"], second.text
                assert int(second.headers["retry-after"]) >= 1
            other = httpx.post(f"{server.url}/v1/weights", json=SMALL_FILE, headers=bravo, timeout=30)
            assert other.status_code == 200
            still_running = metric(server.url, "tensorseed_heavy_jobs_admitted") == 1
            assert still_running, "the propagation ended before the checks: the test proves nothing"
        finally:
            held.close()  # alpha leaves: its job is cancelled and released
        wait_until(lambda: metric(server.url, "tensorseed_heavy_jobs_admitted") == 0, 60, "the job released")
        cut = 'reason="disconnect",route="propagate_signal"'
        assert metric(server.url, "tensorseed_responses_cut_total", cut) == 1
        assert metric(server.url, "tensorseed_requests_total", 'route="propagate_signal",status="500"') == 0
        again = httpx.post(f"{server.url}/v1/propagation", json={**SLOW, "widths": [64] * 3, "batch": 8},
                           headers=alpha, timeout=60)  # fmt: skip
        assert again.status_code == 200, again.text

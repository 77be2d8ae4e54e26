"""Orthogonal and torch-exact floods stay inside the memory budget; abandoned work stops.

The server runs with a 512 MiB budget (272 MiB of it the light jobs' share), a 64 MiB matrix
cache and room to queue: the heavy pool is 240 MiB. Stated bound: peak RSS grows by less than
the heavy pool + the cache + 160 MiB of allocator and interpreter slack (464 MiB) during each
flood, where unbounded the issue measured 2.97 GiB.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from tests.attacks.support import (
    Reply,
    concurrently,
    host_port,
    metric,
    post_json,
    request_bytes,
    send,
    status_kib,
    wait_until,
)
from tests.conftest import Server, running_server

pytestmark = pytest.mark.server

MIB = 1024 * 1024
BUDGET = 512 * MIB
CACHE = 64 * MIB
HEAVY_POOL = BUDGET - 4 * 68 * MIB
RSS_BOUND_MIB = (HEAVY_POOL + CACHE) / MIB + 160


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    env = {
        "TENSORSEED_MEMORY_BUDGET_BYTES": str(BUDGET),
        "TENSORSEED_ORTHOGONAL_CACHE_BYTES": str(CACHE),
        "TENSORSEED_MAX_JOBS_PER_CLIENT": "0",
        "TENSORSEED_MAX_QUEUED_HEAVY_JOBS": "8",
    }
    with running_server(env) as s:
        yield s


def orthogonal(n: int, seed: int, count: int = 1) -> dict[str, object]:
    return {"seed": seed, "tensors": [{"name": f"q{i}", "shape": [n, n], "init": {"scheme": "orthogonal"}}
                                      for i in range(count)]}  # fmt: skip


def token_of(server: Server, recipe: dict[str, object]) -> tuple[str, dict[str, object]]:
    info = httpx.post(f"{server.url}/v1/recipes", json=recipe, timeout=60).json()
    return info["urls"]["weights"], info


def growth_mib(server: Server, before_kib: int) -> float:
    return (status_kib(server.pid, "VmHWM") - before_kib) / 1024


def test_orthogonal_flood_stays_in_the_budget(server: Server) -> None:
    before = status_kib(server.pid, "VmRSS")
    # Eight [1024, 1024] statistics at once (48 MiB of QR working memory each, declared).
    replies = concurrently(
        *[(post_json, server.url, "/v1/stats?bins=4", orthogonal(1024, s)) for s in range(8)]
    )
    statuses = [r.status for r in replies if isinstance(r, Reply)]
    assert len(statuses) == 8 and set(statuses) <= {200, 429}, replies
    assert 200 in statuses
    for r in replies:
        if r.status == 429:
            assert int(r.headers["retry-after"]) >= 1
    assert growth_mib(server, before) < RSS_BOUND_MIB


def test_one_job_that_could_never_fit_is_413(server: Server) -> None:
    # 16.7 M elements: 768 MiB of QR working memory, more than the whole heavy pool.
    reply = post_json(server.url, "/v1/stats", orthogonal(4096, 1))
    assert reply.status == 413 and "TENSORSEED_MEMORY_BUDGET_BYTES" in reply.body.decode()


def test_torch_exact_range_of_a_huge_tensor_is_refused_at_once(server: Server) -> None:
    """The issue's 16-byte Range on one [268435456] torch-exact tensor: 6.4 s and +2 GiB before."""
    before = status_kib(server.pid, "VmRSS")
    url, _ = token_of(server, {"seed": 1, "rng": "torch", "tensors": [
        {"name": "t", "shape": [268435456], "init": {"scheme": "normal"}}]})  # fmt: skip
    reply = send(server.url, request_bytes("GET", url, headers={"Range": "bytes=1000-1015"}))
    assert reply.status == 413 and "job_too_large" in reply.body.decode()
    assert growth_mib(server, before) < 50


def test_torch_exact_range_flood_stays_in_the_budget(server: Server) -> None:
    before = status_kib(server.pid, "VmRSS")
    url, info = token_of(server, {"seed": 2, "rng": "torch", "tensors": [
        {"name": "t", "shape": [4 * 1024 * 1024], "init": {"scheme": "trunc_normal"}}]})  # fmt: skip
    start = info["header_size"]
    raw = request_bytes("GET", url, headers={"Range": f"bytes={start}-{start + 15}"})
    replies = concurrently(*[(send, server.url, raw) for _ in range(8)])
    statuses = [r.status for r in replies if isinstance(r, Reply)]
    assert len(statuses) == 8 and set(statuses) <= {206, 429} and 206 in statuses, replies
    bodies = {r.body for r in replies if r.status == 206}
    assert len(bodies) == 1 and len(bodies.pop()) == 16  # every replay gives the same bytes
    assert growth_mib(server, before) < RSS_BOUND_MIB


def test_ranges_cycling_over_three_orthogonal_tensors_do_not_thrash(server: Server) -> None:
    url, info = token_of(server, orthogonal(512, 77, count=3))
    computed = metric(server.url, "tensorseed_orthogonal_matrices_computed")
    tensors = info["tensors"]
    assert isinstance(tensors, list)
    for _ in range(3):
        for t in tensors:
            reply = send(
                server.url,
                request_bytes("GET", url, headers={"Range": f"bytes={t['begin']}-{t['begin'] + 7}"}),
            )
            assert reply.status == 206
    assert metric(server.url, "tensorseed_orthogonal_matrices_computed") - computed == 3


def test_work_for_clients_that_left_stops(server: Server) -> None:
    """Statistics whose clients disconnect: a factorization already running finishes (LAPACK cannot
    be interrupted), nothing else is computed (the issue saw four keep computing for 92 s)."""
    computed = metric(server.url, "tensorseed_orthogonal_matrices_computed")
    socks = []
    for seed in range(100, 104):
        sock = socket.create_connection(host_port(server.url))
        sock.sendall(request_bytes("POST", "/v1/stats", json.dumps(orthogonal(1536, seed)).encode()))
        socks.append(sock)
    wait_until(lambda: metric(server.url, "tensorseed_heavy_jobs_admitted") >= 1, 30, "a heavy job started")
    for sock in socks:
        sock.close()
    wait_until(lambda: metric(server.url, "tensorseed_heavy_jobs_admitted") == 0, 60, "abandoned jobs ending")
    assert metric(server.url, "tensorseed_orthogonal_matrices_computed") - computed <= 1
    assert metric(server.url, "tensorseed_requests_total", 'route="compute_stats",status="500"') == 0
    # One was admitted (the others got 429, unread): it is cut, labelled apart from server errors.
    assert (
        metric(server.url, "tensorseed_responses_cut_total", 'reason="disconnect",route="compute_stats"') >= 1
    )

"""Slow and idle clients: stalled downloads release their slots; per-client caps.

Two clients start 1 GiB downloads and stop reading: with two running slots and no queue the
server is full (429). After the stall timeout (2 s here) their responses are cut and the slots
come back. Separately, with API keys, one client's held downloads never block another client.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.attacks.support import host_port, metric, request_bytes, wait_until
from tests.conftest import Server, running_server

pytestmark = pytest.mark.server

BIG = {"seed": 1, "tensors": [{"name": "big", "shape": [256, 1024, 1024], "init": {"scheme": "ones"}}]}
SMALL = {"seed": 1, "tensors": [{"name": "s", "shape": [4], "init": {"scheme": "ones"}}]}
KEYS = ("alpha-key-0123456789abcdef", "bravo-key-0123456789abcdef")


def start_and_stop_reading(url: str, headers: dict[str, str] | None = None) -> socket.socket:
    """A download whose client reads its first bytes, then nothing more."""
    sock = socket.create_connection(host_port(url))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    sock.sendall(request_bytes("POST", "/v1/weights", json.dumps(BIG).encode(), headers))
    assert b"200 OK" in sock.recv(4096)
    return sock


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    env = {
        "TENSORSEED_STALL_TIMEOUT": "2",
        "TENSORSEED_MAX_ACTIVE_JOBS": "2",
        "TENSORSEED_MAX_QUEUED_JOBS": "0",
        "TENSORSEED_MAX_JOBS_PER_CLIENT": "0",
    }
    with running_server(env) as s:
        yield s


def test_stalled_downloads_release_their_slots(server: Server) -> None:
    held = [start_and_stop_reading(server.url) for _ in range(2)]
    try:
        busy = httpx.post(f"{server.url}/v1/weights", json=SMALL, timeout=30)
        assert busy.status_code == 429 and int(busy.headers["retry-after"]) >= 1
        started = time.monotonic()
        wait_until(lambda: metric(server.url, "tensorseed_stalled_responses") == 2, 60, "both stalls cut")
        assert time.monotonic() - started < 30
        assert httpx.post(f"{server.url}/v1/weights", json=SMALL, timeout=30).status_code == 200
        assert metric(server.url, "tensorseed_jobs_admitted") == 0
        cut = metric(server.url, "tensorseed_responses_cut_total", 'reason="stall",route="generate_weights"')
        assert cut == 2
        assert metric(server.url, "tensorseed_requests_total", 'route="generate_weights",status="499"') == 2
    finally:
        for sock in held:
            sock.close()


def test_one_clients_downloads_never_block_another_client() -> None:
    env = {
        "TENSORSEED_API_KEYS": ",".join(KEYS),
        "TENSORSEED_MAX_JOBS_PER_CLIENT": "1",
        "TENSORSEED_STALL_TIMEOUT": "60",
    }
    with running_server(env) as server:
        alpha, bravo = ({"Authorization": f"Bearer {k}"} for k in KEYS)
        held = start_and_stop_reading(server.url, alpha)
        try:
            second = httpx.post(f"{server.url}/v1/weights", json=SMALL, headers=alpha, timeout=30)
            assert second.status_code == 429 and "per-client" in second.json()["error"]
            assert (
                httpx.post(f"{server.url}/v1/weights", json=SMALL, headers=bravo, timeout=30).status_code
                == 200
            )
        finally:
            held.close()

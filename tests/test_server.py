"""Graceful shutdown: SIGTERM lets in-flight streams finish, refuses new work, and is bounded."""

from __future__ import annotations

import signal
import time

import httpx
import numpy as np
import pytest
from safetensors.numpy import load

from app.server import build_server
from app.settings import Settings
from tests.server_process import ServerProcess, running_server

# 50 M float32 elements: a 200 MB file, far more than the socket buffers between client and server
# hold, so the server is still generating when the signal arrives.
ELEMENTS = 50_000_000
BIG_RECIPE = {
    "seed": 7,
    "dtype": "float32",
    "tensors": [{"name": "big", "shape": [ELEMENTS], "init": {"scheme": "constant", "value": 0.5}}],
}
FIRST_READ = 1 << 20
REFUSAL_DEADLINE_S = 20.0


def test_build_server_passes_the_shutdown_timeout_to_uvicorn() -> None:
    server = build_server(Settings(shutdown_timeout=17), host="127.0.0.1", port=8123)
    assert server.config.timeout_graceful_shutdown == 17
    assert (server.config.host, server.config.port) == ("127.0.0.1", 8123)


def test_shutdown_signal_turns_readiness_off_before_the_drain() -> None:
    """uvicorn runs the lifespan shutdown only after the drain; readiness must not wait for it."""
    server = build_server(Settings())
    server.app.state.ready = True
    server.handle_exit(signal.SIGTERM, None)
    assert server.app.state.ready is False
    assert server.should_exit


def _statuses_until_refused(server: ServerProcess) -> list[int]:
    """Status codes of fresh readiness requests after SIGTERM, until connections are refused."""
    statuses: list[int] = []
    deadline = time.monotonic() + REFUSAL_DEADLINE_S
    while time.monotonic() < deadline:
        try:
            with httpx.Client(timeout=5) as fresh:
                statuses.append(fresh.get(f"{server.base_url}/v2/health/ready").status_code)
        except httpx.ConnectError:
            return statuses
        except httpx.TransportError:
            statuses.append(-1)  # accepted just before the listener closed, then dropped unanswered
        time.sleep(0.01)
    raise AssertionError(f"new connections still accepted {REFUSAL_DEADLINE_S} s after SIGTERM: {statuses}")


@pytest.mark.server
def test_sigterm_mid_stream_completes_the_stream_and_refuses_new_requests() -> None:
    with running_server({"TENSORSEED_SHUTDOWN_TIMEOUT": "120"}) as server, httpx.Client(timeout=60) as client:
        with client.stream("POST", f"{server.base_url}/v1/weights", json=BIG_RECIPE) as response:
            assert response.status_code == 200
            expected = int(response.headers["content-length"])
            chunks = response.iter_bytes()
            body = bytearray()
            while len(body) < FIRST_READ:
                body += next(chunks)

            server.terminate()
            after_sigterm = _statuses_until_refused(server)
            assert 200 not in after_sigterm, after_sigterm

            for chunk in chunks:
                body += chunk
        assert server.process.wait(timeout=60) in (0, -signal.SIGTERM)

    assert len(body) == expected
    tensors = load(bytes(body))
    assert tensors["big"].shape == (ELEMENTS,)
    assert np.all(tensors["big"] == np.float32(0.5))
    assert "Waiting for connections to close" in server.output()


@pytest.mark.server
def test_shutdown_timeout_cuts_a_stalled_stream_so_the_process_exits() -> None:
    """A client that stops reading cannot hold a pod past its grace period: the server gives up."""
    with (
        running_server({"TENSORSEED_SHUTDOWN_TIMEOUT": "1"}) as server,
        httpx.Client(timeout=60) as client,
        client.stream("POST", f"{server.base_url}/v1/weights", json=BIG_RECIPE) as response,
    ):
        expected = int(response.headers["content-length"])
        chunks = response.iter_bytes()
        received = len(next(chunks))
        server.terminate()
        # Not reading: only the timeout can end the drain.
        assert server.process.wait(timeout=60) in (0, -signal.SIGTERM)
        with pytest.raises(httpx.RemoteProtocolError):
            for chunk in chunks:
                received += len(chunk)
    assert received < expected
    assert "timeout graceful shutdown exceeded" in server.output()

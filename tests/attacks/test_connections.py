"""Slow-loris, idle floods, oversized heads and slow bodies against a real server.

Settings here: 2 s to send a request head or a body, at most 64 connections (hard cap 80).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from tests.attacks.support import HEALTH_BOUND_S, host_port, probing, read_reply, request_bytes, send
from tests.conftest import Server, running_server

pytestmark = pytest.mark.server

HEADER_TIMEOUT_S = 2.0
MAX_CONNECTIONS = 64


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    env = {
        "TENSORSEED_HEADER_TIMEOUT": str(HEADER_TIMEOUT_S),
        "TENSORSEED_BODY_TIMEOUT": "2",
        "TENSORSEED_MAX_CONNECTIONS": str(MAX_CONNECTIONS),
        "TENSORSEED_KEEP_ALIVE_TIMEOUT": "30",
        "TENSORSEED_MAX_HEADER_BYTES": "8192",
    }
    with running_server(env) as s:
        yield s


def open_sockets(url: str, n: int, first_bytes: bytes) -> list[socket.socket]:
    socks = []
    for _ in range(n):
        sock = socket.create_connection(host_port(url), timeout=10)
        if first_bytes:
            sock.sendall(first_bytes)
        socks.append(sock)
    return socks


def closed_by_server(sock: socket.socket) -> bool:
    """The server closed it (EOF, possibly after a 408) within the socket's timeout."""
    try:
        data = sock.recv(65536)
        while data and b"408" in data[:20] and (more := sock.recv(65536)):
            data = more
        return True
    except (TimeoutError, ConnectionResetError):
        return False


def test_slow_loris_cannot_stop_health_and_is_timed_out(server: Server) -> None:
    # 300 connections that send half a request line and stop: far past the connection limit.
    with probing(server.url) as prober:
        loris = open_sockets(server.url, 300, b"GET /v2/hea")
        time.sleep(0.5)
        for _ in range(5):  # fresh connections, as a kubelet probe makes them
            reply = send(server.url, request_bytes("GET", "/v2/health/ready"), timeout=5)
            assert reply.status == 200
    assert prober.worst() < HEALTH_BOUND_S, f"slowest health answer {prober.worst() * 1000:.0f} ms"
    deadline = time.monotonic() + HEADER_TIMEOUT_S + 10
    for sock in loris:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        assert closed_by_server(sock), "a half-sent request head outlived the header timeout"
        sock.close()


def test_beyond_the_connection_limit_new_work_gets_503_and_health_is_answered(server: Server) -> None:
    # Idle kept-alive connections (each served one request) fill the limit.
    idle = open_sockets(server.url, MAX_CONNECTIONS, b"")
    try:
        for sock in idle:
            sock.sendall(request_bytes("GET", "/v2/health/live"))
            assert read_reply(sock).status == 200
        refused = send(server.url, request_bytes("GET", "/v1/schemes"), timeout=5)
        assert refused.status == 503 and int(refused.headers["retry-after"]) >= 1
        assert refused.headers["connection"] == "close"
        assert send(server.url, request_bytes("GET", "/v2/health/live"), timeout=5).status == 200
    finally:
        for sock in idle:
            sock.close()
    time.sleep(0.5)
    assert send(server.url, request_bytes("GET", "/v1/schemes"), timeout=5).status == 200


def test_oversized_request_head_is_431(server: Server) -> None:
    raw = b"GET /v2/health/live HTTP/1.1\r\nHost: t\r\nX-Pad: " + b"a" * 20_000 + b"\r\n\r\n"
    reply = send(server.url, raw, timeout=10)
    assert reply.status == 431


def test_a_body_trickled_too_slowly_is_408(server: Server) -> None:
    with socket.create_connection(host_port(server.url), timeout=10) as sock:
        sock.sendall(
            b"POST /v1/stats HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        reply = read_reply(sock)
    assert reply.status == 408 and b"body_timeout" in reply.body

"""Hostile headers, tokens and bodies against a real server: each gets its 4xx, never a 5xx."""

from __future__ import annotations

import base64
import json
import socket
import time
import zlib
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.attacks.support import host_port, metric, read_reply, request_bytes, send
from tests.conftest import Server, running_server

pytestmark = pytest.mark.server

RECIPE: dict[str, Any] = {
    "seed": 3,
    "layers": [{"type": "linear", "name": "fc", "in_features": 64, "out_features": 32}],
    "tensors": [{"name": "scale", "shape": [16], "init": {"scheme": "constant", "value": 0.5}}],
}


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running_server({"TENSORSEED_MAX_JOBS_PER_CLIENT": "0"}) as s:
        yield s


@pytest.fixture(scope="module")
def info(server: Server) -> dict[str, Any]:
    response = httpx.post(f"{server.url}/v1/recipes", json=RECIPE, timeout=30)
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def get_range(server: Server, url: str, spec: str) -> Any:
    return send(server.url, request_bytes("GET", url, headers={"Range": spec}))


@pytest.mark.parametrize(
    ("spec", "statuses"),
    [
        ("bytes=" + "9" * 5000 + "-", {416}),  # beyond int()'s 4300-digit limit: was a 500
        ("bytes=0-" + "9" * 5000, {206}),
        ("bytes=" + "0" * 5000 + "8-15", {206}),  # leading zeros
        ("bytes=-" + "9" * 5000, {206}),
        ("bytes=" + ",".join(["0-"] * 32), {206}),  # 32 overlapping copies of the file
        ("bytes=" + ",".join(f"{i * 200}-{i * 200}" for i in range(32)), {200, 206}),  # many tiny ranges
        ("bytes=" + ",".join(["0-0"] * 33), {416}),  # too many
        ("bytes=" + "1" * 60_000 + "-", {416, 431}),  # as long as a head may be
    ],
)
def test_range_headers_never_fail_or_outgrow_the_file(
    server: Server, info: dict[str, Any], spec: str, statuses: set[int]
) -> None:
    reply = get_range(server, info["urls"]["weights"], spec)
    assert reply.status in statuses, reply.body[:200]
    assert len(reply.body) <= info["size"]


def test_a_non_canonical_token_redirects_to_the_canonical_url(server: Server, info: dict[str, Any]) -> None:
    # The same recipe, written with whitespace and another key order: another token.
    text = json.dumps(dict(reversed(list(RECIPE.items()))), indent=2)
    token = "2." + base64.urlsafe_b64encode(zlib.compress(text.encode(), 1)).rstrip(b"=").decode()
    assert token != info["token"]
    for suffix, query in (("/weights.safetensors", ""), ("/stats", "?bins=3"), ("", "")):
        reply = send(server.url, request_bytes("GET", f"/v1/recipes/{token}{suffix}{query}"))
        assert reply.status == 308
        assert reply.headers["location"] == f"/v1/recipes/{info['token']}{suffix}{query}"
    with httpx.Client(base_url=server.url, follow_redirects=True, timeout=30) as client:
        assert client.get(f"/v1/recipes/{token}/weights.safetensors").headers["etag"] == info["etag"]


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        (b"\xef\xbb\xbf" + json.dumps(RECIPE).encode(), 400, "byte order mark"),  # stream spec 9.5
        (json.dumps(RECIPE).encode("utf-16"), 400, "not UTF-8"),
        (b"[" * 100_000, 400, "not valid JSON"),
        (json.dumps({"seed": 1, "dtype": "float64", "tensors": [{"name": "t", "shape": [4],
         "init": {"scheme": "uniform", "a": -1.7e308, "b": 1.7e308}}]}).encode(), 422, "tensors.0.init"),
        (json.dumps({"seed": 1, "dtype": "float64", "tensors": [{"name": "t", "shape": [4],
         "init": {"scheme": "normal", "mean": 1e308, "std": 1e308}}]}).encode(), 422, "tensors.0.init"),
        (json.dumps({"seed": 1, "model": {"preset": "gpt2", "overrides": [{"match": "*" * 40,
         "init": {"scheme": "zeros"}}]}}).encode(), 422, "wildcards"),
        (json.dumps({"seed": 1, "tensors": [{"name": f"t{i}", "shape": [4], "init": {"scheme": "zeros"}}
         for i in range(200)]}).encode(), 200, ""),
    ],
)  # fmt: skip
def test_bodies(server: Server, body: bytes, status: int, needle: str) -> None:
    reply = send(server.url, request_bytes("POST", "/v1/stats?bins=1", body))
    assert reply.status == status, reply.body[:300]
    assert needle in reply.body.decode(errors="replace")


def test_an_init_naming_thousands_of_parameters_gets_a_short_error(server: Server) -> None:
    """A layer's ``init`` is a map with no entry limit but the body's; the 422 names a few of the
    unknown parameters and counts the rest (it used to echo every name: 600 KB for this body)."""
    init = {f"{i:x}": {"scheme": "zeros"} for i in range(40_000)}
    layer = {"type": "linear", "name": "fc", "in_features": 4, "out_features": 4, "init": init}
    body = json.dumps({"seed": 1, "layers": [layer]}, separators=(",", ":")).encode()
    assert len(body) > 1_000_000
    reply = send(server.url, request_bytes("POST", "/v1/stats?bins=1", body))
    assert reply.status == 422, reply.body[:300]
    assert "and 39990 more" in reply.body.decode() and len(reply.body) < 4096


def test_a_chunked_body_over_the_limit_is_413(server: Server) -> None:
    with socket.create_connection(host_port(server.url), timeout=30) as sock:
        sock.sendall(b"POST /v1/weights HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"x" * 65536
        try:
            for _ in range(40):  # 2.5 MiB, never announced
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        reply = read_reply(sock)
    assert reply.status == 413


def test_responses_carry_nosniff_and_no_server_banner(server: Server, info: dict[str, Any]) -> None:
    for reply in (
        send(server.url, request_bytes("GET", "/v2/health/live")),
        send(server.url, request_bytes("GET", info["urls"]["weights"], headers={"Range": "bytes=0-7"})),
        send(server.url, request_bytes("POST", "/v1/weights", b"{")),
    ):
        assert reply.headers.get("x-content-type-options") == "nosniff"
        assert "server" not in reply.headers


def test_clients_that_leave_are_not_counted_as_server_errors(server: Server) -> None:
    big = {"seed": 1, "tensors": [{"name": "b", "shape": [64, 1024, 1024], "init": {"scheme": "normal"}}]}
    with socket.create_connection(host_port(server.url)) as sock:
        sock.sendall(request_bytes("POST", "/v1/weights", json.dumps(big).encode()))
        assert sock.recv(65536)
    # ... and one that leaves while its body is still being sent.
    with socket.create_connection(host_port(server.url)) as sock:
        sock.sendall(b"POST /v1/stats HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n{")

    def errors() -> float:
        return sum(
            metric(server.url, "tensorseed_requests_total", f'route="{r}",status="500"')
            for r in ("generate_weights", "compute_stats", "unmatched")
        )

    for _ in range(50):
        if metric(server.url, "tensorseed_requests_total", 'route="generate_weights",status="499"') >= 1:
            break
        time.sleep(0.1)
    assert metric(server.url, "tensorseed_requests_total", 'route="generate_weights",status="499"') >= 1
    assert errors() == 0

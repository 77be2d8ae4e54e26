"""A client that disconnects mid-stream stops its generation (a real uvicorn server on loopback)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tensorseed.stream import kernel

ROOT = Path(__file__).resolve().parents[2]
CHUNK_BYTES = 64 * 1024
TENSOR_ELEMENTS = 256 * 1024 * 1024  # 1 GiB of float32: 16384 chunks


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server() -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TENSORSEED_CHUNK_BYTES": str(CHUNK_BYTES),
        "TENSORSEED_DEVICES": "cpu",
        "TENSORSEED_CHUNKS_IN_FLIGHT": "2",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/v2/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("server did not start")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


def metric(base: str, name: str) -> float:
    text = httpx.get(f"{base}/metrics", timeout=5).text
    match = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    assert match, f"{name} missing from /metrics"
    return float(match.group(1))


def settled(base: str, name: str) -> float:
    """The metric once it stops changing (read every 0.5 s, at most 15 s)."""
    value = metric(base, name)
    for _ in range(30):
        time.sleep(0.5)
        again = metric(base, name)
        if again == value:
            return value
        value = again
    pytest.fail(f"{name} kept changing: generation did not stop")


@pytest.mark.server
def test_disconnect_mid_stream_stops_generation(server: str) -> None:
    body = json.dumps({"seed": 1, "tensors": [{"name": "w", "shape": [TENSOR_ELEMENTS],
                                               "init": {"scheme": "normal"}}]}).encode()  # fmt: skip
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        sock.sendall(
            b"POST /v1/weights HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        received = 0
        while received < 2 * 1024 * 1024:
            data = sock.recv(1 << 16)
            assert data, "server closed the stream early"
            received += len(data)
        assert metric(server, "tensorseed_jobs_admitted") == 1
    # The socket is closed with unread data: the server's next writes fail and it must stop.
    generated = settled(server, "tensorseed_generated_chunks")
    total = TENSOR_ELEMENTS * 4 // CHUNK_BYTES
    # What was sent fits in the socket buffers plus the chunks in flight: far from the whole file.
    assert 2 * 1024 * 1024 // CHUNK_BYTES <= generated < total // 4
    assert metric(server, "tensorseed_jobs_admitted") == 0
    text = httpx.get(f"{server}/metrics", timeout=5).text
    backend = "cpu-kernel" if kernel.AVAILABLE else "reference"  # tests/stream/test_kernel.py guards
    assert f'tensorseed_device_backend{{backend="{backend}",device="cpu"}} 1.0' in text

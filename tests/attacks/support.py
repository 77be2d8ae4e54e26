"""What the attack tests share: raw HTTP over sockets, a health prober, process memory, metrics.

Attacks go through plain sockets with prebuilt bytes, so the test process does little Python
work while they run (its own GIL never delays the health prober's measurements much).
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

#: The issue's bound: health answers within this while the worst bodies are being handled.
HEALTH_BOUND_S = 0.200


def host_port(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").split(":")
    return host, int(port)


def request_bytes(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: test"]
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if body or method == "POST":
        all_headers["Content-Length"] = str(len(body))
    lines += [f"{k}: {v}" for k, v in all_headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def read_reply(sock: socket.socket, limit: int = 1 << 30) -> Reply:
    """One HTTP/1.1 response with Content-Length (what this service sends), body read whole."""
    data = b""
    while b"\r\n\r\n" not in data:
        more = sock.recv(65536)
        if not more:
            raise ConnectionError(f"closed before a whole response head: {data[:200]!r}")
        data += more
    head, _, rest = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in header_lines)}
    length = int(headers.get("content-length", "0"))
    assert length <= limit, f"body of {length} bytes"
    body = bytearray(rest)
    while len(body) < length:
        more = sock.recv(min(1 << 20, length - len(body)))
        if not more:
            break
        body += more
    return Reply(int(status_line.split()[1]), headers, bytes(body))


def send(url: str, raw: bytes, timeout: float = 120.0) -> Reply:
    """Send one raw request on a fresh connection and read the reply."""
    with socket.create_connection(host_port(url), timeout=timeout) as sock:
        sock.sendall(raw)
        return read_reply(sock)


def post_json(url: str, path: str, body: Any, timeout: float = 120.0) -> Reply:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return send(url, request_bytes("POST", path, raw), timeout)


@dataclass
class Prober:
    """Asks /v2/health/live every ``interval`` seconds on one kept-alive connection (a fresh one
    after any failure) and records each latency; failures count as infinite."""

    url: str
    interval: float = 0.02
    latencies: list[float] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        sock: socket.socket | None = None
        raw = request_bytes("GET", "/v2/health/live")
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                if sock is None:
                    sock = socket.create_connection(host_port(self.url), timeout=5)
                sock.sendall(raw)
                reply = read_reply(sock)
                ok = reply.status == 200
            except OSError:
                ok = False
                if sock is not None:
                    sock.close()
                sock = None
            self.latencies.append(time.perf_counter() - started if ok else float("inf"))
            self._stop.wait(self.interval)
        if sock is not None:
            sock.close()

    def worst(self) -> float:
        return max(self.latencies)


_PROBE_SCRIPT = """
import json, sys, threading
from tests.attacks.support import Prober
prober = Prober(sys.argv[1])
thread = threading.Thread(target=prober.run, daemon=True)
thread.start()
sys.stdin.read()  # until the test closes our standard input
prober._stop.set()
thread.join(10)
print(json.dumps(prober.latencies))
"""


@contextmanager
def probing(url: str) -> Iterator[Prober]:
    """A Prober in its own process: the test's threads sending attacks share this process's GIL,
    and would otherwise delay the prober's own measurements."""
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parents[2])
    child = subprocess.Popen(
        [sys.executable, "-c", _PROBE_SCRIPT, url], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        cwd=root, text=True, env={**__import__("os").environ, "PYTHONPATH": root},
    )  # fmt: skip
    prober = Prober(url)
    try:
        time.sleep(0.5)  # let it connect before the attack starts
        yield prober
    finally:
        out, _ = child.communicate("", timeout=30)
        prober.latencies = [float(x) for x in json.loads(out)]
    assert len(prober.latencies) >= 5, "the prober hardly ran"


def concurrently(*calls: Any) -> list[Any]:
    """Run (function, *args) tuples on threads; their results (or exceptions) in order."""
    results: list[Any] = [None] * len(calls)

    def run(i: int, fn: Any, args: tuple[Any, ...]) -> None:
        try:
            results[i] = fn(*args)
        except Exception as exc:  # reported by the caller
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, c[0], c[1:])) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    return results


#: A costly body: (what it is, path, body, the status it must get, a word its reply must hold or "").
CostlyCase = tuple[str, str, Any, int, str]


def assert_costly_bodies_answered_while_health_stays_fast(url: str, cases: list[CostlyCase]) -> None:
    """Send each body three times at once while a prober asks for health: every reply has its
    status (and word), and no health answer takes HEALTH_BOUND_S or longer."""
    tripled = [c for c in cases for _ in range(3)]
    with probing(url) as prober:
        replies = concurrently(*[(post_json, url, path, body) for _, path, body, _, _ in tripled])
    for (name, _, _, status, needle), reply in zip(tripled, replies, strict=True):
        assert isinstance(reply, Reply), f"{name}: {reply!r}"
        assert reply.status == status, f"{name}: {reply.status} {reply.body[:300]!r}"
        if needle:
            assert needle in reply.body.decode(), f"{name}: {reply.body[:300]!r}"
    assert prober.worst() < HEALTH_BOUND_S, f"slowest health answer {prober.worst() * 1000:.0f} ms"


def status_kib(pid: int, field_name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    raise KeyError(field_name)


def metric(url: str, name: str, labels: str = "") -> float:
    """A sample of /metrics (0 when absent), e.g. metric(url, "tensorseed_requests_total",
    'route="compute_stats",status="499"')."""
    text = httpx.get(f"{url}/metrics", timeout=10).text
    pattern = (
        rf"^{re.escape(name)}" + (rf"\{{{re.escape(labels)}\}}" if labels else r"(?:\{\})?") + r" (\S+)$"
    )
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def wait_until(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout} s"
        time.sleep(0.1)

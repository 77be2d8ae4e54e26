"""`tensorseed pull`: parallel ranges, retries, resume, verification; against scripted servers
that misbehave at the socket level (so the client's real data path meets every fault), and
against a real server with a download killed halfway."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

import tensorseed.client.pull as pull_module
from app.main import create_app
from app.settings import Settings
from tensorseed.cli import _local_check
from tensorseed.client.pull import PullError, PullOptions, pull, retry_delay
from tensorseed.client.state import PullState
from tests.conftest import Server, running_server
from tests.server_process import free_port
from tests.support import file_bytes

ROOT = Path(__file__).resolve().parents[2]

RECIPE: dict[str, Any] = {
    "seed": 11,
    "dtype": "float32",
    "layers": [{"type": "linear", "name": "fc", "in_features": 60, "out_features": 50}],
    "tensors": [{"name": "t", "shape": [33, 100], "init": {"scheme": "normal"}}],
}
TEXT = json.dumps(RECIPE)
FORWARDED = ("range", "if-range", "content-type", "if-none-match")
NOT_COPIED = ("content-length", "content-encoding", "transfer-encoding", "date", "server", "connection")


class _Handler(BaseHTTPRequestHandler):
    """One client connection (keep-alive: several requests) to a scripted server."""

    protocol_version = "HTTP/1.1"
    server: _ScriptedServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        scripted = self.server.scripted
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        target = urlsplit(self.path)  # absolute-form when the client talks to a proxy
        weights = target.path.endswith("/weights.safetensors")
        fault = scripted.record(self, weights)
        if fault == "drop":  # closed before any response
            self.close_connection = True
            return
        if fault in ("503", "429"):
            busy = b'{"error": "busy", "error_type": "x"}'
            self._respond(
                int(fault), {"Retry-After": scripted.retry_after, "Content-Type": "application/json"}, busy
            )
            return
        headers = {k.lower(): v for k, v in self.headers.items() if k.lower() in FORWARDED}
        if fault == "ignore-range":
            headers.pop("range")
        path = target.path + (f"?{target.query}" if target.query else "")
        up = self.server.app.request(self.command, path, headers=headers, content=body)
        out = {k: v for k, v in up.headers.items() if k not in NOT_COPIED}
        content = up.content
        if fault == "corrupt":
            content = content[:-1] + bytes([content[-1] ^ 1])
        if fault == "wrong-range":  # the right length, other bytes
            first, rest = out["content-range"].removeprefix("bytes ").split("-", 1)
            last, size = rest.split("/")
            out["content-range"] = f"bytes {int(first) + 1}-{int(last) + 1}/{size}"
        cut = len(content) // 2 if fault in ("short", "reset", "stall") else len(content)
        self._respond(up.status_code, out, content[:cut], length=len(content))
        if fault == "short":  # FIN after half the body
            self.close_connection = True
        elif fault == "reset":  # RST after half the body
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif fault == "stall":  # silence until the client gives up (or the test ends)
            scripted.closing.wait(30)
            self.close_connection = True

    def _respond(self, status: int, headers: dict[str, str], body: bytes, length: int | None = None) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()


class _ScriptedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, scripted: ScriptedServers, name: str, app: TestClient, tls: ssl.SSLContext | None
    ) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.scripted, self.name, self.app = scripted, name, app
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)

    @property
    def url(self) -> str:
        scheme = "https" if isinstance(self.socket, ssl.SSLSocket) else "http"
        return f"{scheme}://127.0.0.1:{self.server_address[1]}"


class ScriptedServers:
    """Real HTTP/1.1 servers on loopback ports (one per name) in front of in-process apps, with
    faults scripted at the socket level, so that they hit the client's real data path.

    Each fault applies to the next weights request, whichever server gets it: "drop" (the
    connection closes before any response), "503" / "429" (busy, with Retry-After), "short"
    (half the body, then the connection closes), "reset" (half the body, then a TCP reset),
    "stall" (half the body, then silence), "corrupt" (one byte flipped), "ignore-range" (200 and
    the whole file), "wrong-range" (206 with other bytes than asked for).
    """

    def __init__(
        self, clients: dict[str, TestClient], faults: list[str] = (), retry_after: str = "0",  # type: ignore[assignment]
        tls: ssl.SSLContext | None = None,
    ) -> None:  # fmt: skip
        self.faults = deque(faults)
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.closing = threading.Event()
        #: (server name, method, Range header, request target, connection id) of every request
        self.log: list[tuple[str, str, str, str, int]] = []
        self.servers = {name: _ScriptedServer(self, name, app, tls) for name, app in clients.items()}
        for server in self.servers.values():
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def url(self, name: str) -> str:
        return self.servers[name].url

    def record(self, handler: _Handler, weights: bool) -> str | None:
        with self.lock:
            self.log.append(
                (
                    handler.server.name,
                    handler.command,
                    handler.headers.get("Range", ""),
                    handler.path,
                    id(handler),
                )
            )
            return self.faults.popleft() if weights and self.faults else None

    def close(self) -> None:
        self.closing.set()
        for server in self.servers.values():
            server.shutdown()
            server.server_close()


@pytest.fixture(scope="module")
def app_clients() -> Iterator[dict[str, TestClient]]:
    with TestClient(create_app(Settings())) as a, TestClient(create_app(Settings())) as b:
        yield {"a": a, "b": b}


@pytest.fixture
def scripted(app_clients: dict[str, TestClient]) -> Iterator[Any]:
    """``scripted(faults, **kw)`` starts ScriptedServers in front of the apps; all stop after the test."""
    started: list[ScriptedServers] = []

    def start(faults: list[str] = (), **kw: Any) -> ScriptedServers:  # type: ignore[assignment]
        started.append(ScriptedServers(app_clients, faults, **kw))
        return started[-1]

    yield start
    for servers in started:
        servers.close()


def options(at: ScriptedServers, /, **kw: Any) -> PullOptions:
    defaults: dict[str, Any] = {
        "servers": (at.url("a"),), "connections": 1, "piece_bytes": 4096, "backoff_base": 0.0,
        "retries": 3, "timeout": 10.0,
    }  # fmt: skip
    return PullOptions(**{**defaults, **kw})


def test_parallel_pull_over_two_replicas_equals_the_file(tmp_path: Path, scripted: Any) -> None:
    servers = scripted()
    out = tmp_path / "m.safetensors"
    result = pull(TEXT, out, options(servers, servers=(servers.url("a"), servers.url("b")), connections=2))
    assert out.read_bytes() == file_bytes(RECIPE)
    assert result["fetched"] == result["size"] == out.stat().st_size
    assert result["verified"] == "3 tensors sha256-verified (server)"
    assert (
        not (tmp_path / "m.safetensors.part").exists() and not (tmp_path / "m.safetensors.part.json").exists()
    )
    ranged = [(name, rng, conn) for name, _, rng, _, conn in servers.log if rng]
    assert {name for name, _, _ in ranged} == {"a", "b"}, "both replicas served ranges"
    assert len(ranged) == -(-result["size"] // 4096)
    assert len({conn for _, _, conn in ranged}) == 2, "each connection is kept alive for its pieces"


@pytest.mark.parametrize(
    "faults",
    [["drop"], ["503", "503"], ["429"], ["short"], ["reset"], ["drop", "short", "503", "reset"]],
)
def test_failed_ranges_are_retried(tmp_path: Path, scripted: Any, faults: list[str]) -> None:
    out = tmp_path / "m.safetensors"
    servers = scripted(faults)
    pull(TEXT, out, options(servers, verify="local"), local_check=_local_check)
    assert not servers.faults, "every scripted fault happened"
    assert out.read_bytes() == file_bytes(RECIPE)


def test_a_stalled_body_times_out_and_is_retried(tmp_path: Path, scripted: Any) -> None:
    out = tmp_path / "m.safetensors"
    servers = scripted(["stall"])
    pull(TEXT, out, options(servers, timeout=1.0))
    assert not servers.faults
    assert out.read_bytes() == file_bytes(RECIPE)


def test_a_body_failing_after_some_reads_resumes_where_it_stopped(
    tmp_path: Path, scripted: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A body that stops mid-piece is progress (no failure counted), and the next request asks
    only for the rest of the piece."""
    monkeypatch.setattr(pull_module, "BODY_READ_BYTES", 1024)
    servers = scripted(["stall"])
    out = tmp_path / "m.safetensors"
    pull(TEXT, out, options(servers, piece_bytes=1 << 20, retries=0, timeout=1.0))
    assert out.read_bytes() == file_bytes(RECIPE)
    ranges = [rng for _, _, rng, _, _ in servers.log if rng]
    assert len(ranges) == 2 and ranges[0].startswith("bytes=0-")
    resumed_at = int(ranges[1].removeprefix("bytes=").split("-")[0])
    assert 0 < resumed_at <= out.stat().st_size // 2


def test_retry_after_is_honoured(tmp_path: Path, scripted: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[tuple[int, float | None]] = []

    def no_wait(failures: int, retry_after: float | None, base: float, cap: float) -> float:
        waits.append((failures, retry_after))
        return 0.0

    monkeypatch.setattr(pull_module, "retry_delay", no_wait)
    pull(TEXT, tmp_path / "m.safetensors", options(scripted(["429", "503"], retry_after="7")))
    assert waits == [(1, 7.0), (2, 7.0)]


def test_retry_delay_backs_off_but_never_before_retry_after() -> None:
    assert retry_delay(1, 7.0, base=0.5, cap=30.0) == 7.0
    assert 1.0 <= retry_delay(3, None, base=0.5, cap=30.0) <= 2.0
    assert 15.0 <= retry_delay(20, None, base=0.5, cap=30.0) <= 30.0
    assert retry_delay(20, 45.0, base=0.5, cap=30.0) == 45.0


def test_a_range_failing_too_often_stops_with_state_kept(tmp_path: Path, scripted: Any) -> None:
    out = tmp_path / "m.safetensors"
    faults = [""] * 3 + ["drop"] * 10  # three good pieces, then a server that hangs up
    with pytest.raises(PullError, match="failed 4 times in a row"):
        pull(TEXT, out, options(scripted(faults)))
    state = PullState.load(tmp_path / "m.safetensors.part.json")
    assert state is not None and state.done.total == 3 * 4096
    result = pull(TEXT, out, options(scripted()))
    assert result["resumed_from"] == 3 * 4096 and result["fetched"] == result["size"] - 3 * 4096
    assert out.read_bytes() == file_bytes(RECIPE)


def test_a_replica_refusing_connections_stops_the_download(tmp_path: Path, scripted: Any) -> None:
    servers = scripted()
    dead = f"http://127.0.0.1:{free_port()}"
    out = tmp_path / "m.safetensors"
    with pytest.raises(PullError, match=r"failed 2 times in a row \(last: ConnectionRefusedError"):
        pull(TEXT, out, options(servers, servers=(servers.url("a"), dead), connections=2, retries=1))
    result = pull(TEXT, out, options(servers))  # what the live replica wrote is kept
    assert result["fetched"] == result["size"] - result["resumed_from"]
    assert out.read_bytes() == file_bytes(RECIPE)


def test_a_corrupted_tensor_fails_verification_and_only_it_is_fetched_again(
    tmp_path: Path, scripted: Any, app_clients: dict[str, TestClient]
) -> None:
    out = tmp_path / "m.safetensors"
    opts = options(scripted(["corrupt"]), piece_bytes=1 << 20)  # one piece: the whole file
    with pytest.raises(PullError, match="verification failed for 't'"):
        pull(TEXT, out, opts)
    assert not out.exists()
    info = app_clients["a"].post("/v1/recipes", json=RECIPE).json()
    t = next(x for x in info["tensors"] if x["name"] == "t")
    result = pull(TEXT, out, options(scripted()))
    assert result["fetched"] == t["end"] - t["begin"]
    assert out.read_bytes() == file_bytes(RECIPE)


def test_a_server_ignoring_if_range_stops_the_download(tmp_path: Path, scripted: Any) -> None:
    with pytest.raises(PullError, match="ignored the range"):
        pull(TEXT, tmp_path / "m.safetensors", options(scripted(["", "ignore-range"])))
    state = PullState.load(tmp_path / "m.safetensors.part.json")
    assert state is not None and state.done.total == 4096, "nothing of the 200 body was written"


def test_a_wrong_content_range_stops_the_download(tmp_path: Path, scripted: Any) -> None:
    with pytest.raises(PullError, match=r"asked for bytes 4096-8191/\d+, got 'bytes 4097-8192/"):
        pull(TEXT, tmp_path / "m.safetensors", options(scripted(["", "wrong-range"])))


def test_https_and_a_proxy_from_the_environment(
    tmp_path: Path, app_clients: dict[str, TestClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """TLS (verified against $SSL_CERT_FILE, as httpx does) on the data connections; and a plain
    HTTP proxy from $HTTP_PROXY that both the control and the data requests go through."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    secure = ScriptedServers(app_clients, ["short"], tls=tls)
    try:
        out = tmp_path / "tls.safetensors"
        pull(TEXT, out, options(secure, connections=2))
        assert out.read_bytes() == file_bytes(RECIPE) and not secure.faults
    finally:
        secure.close()
    monkeypatch.delenv("SSL_CERT_FILE")
    plain, untrusted = ScriptedServers(app_clients), ScriptedServers(app_clients, tls=tls)
    try:  # the control requests go to the first server; the second connection meets the certificate
        opts = options(plain, servers=(plain.url("a"), untrusted.url("a")), connections=2, retries=1)
        with pytest.raises(PullError, match=r"failed 2 times in a row .*CERTIFICATE_VERIFY_FAILED"):
            pull(TEXT, tmp_path / "x.safetensors", opts)
    finally:
        plain.close()
        untrusted.close()

    proxy = ScriptedServers(app_clients, ["reset"])
    try:
        monkeypatch.setenv("HTTP_PROXY", proxy.url("a"))
        out = tmp_path / "proxied.safetensors"
        pull(TEXT, out, options(proxy, servers=("http://tensorseed.invalid:8000",)))
        assert out.read_bytes() == file_bytes(RECIPE) and not proxy.faults
        targets = [target for _, _, _, target, _ in proxy.log]
        assert all(t.startswith("http://tensorseed.invalid:8000/v1/recipes") for t in targets), targets
        assert any(rng for _, _, rng, _, _ in proxy.log)
    finally:
        proxy.close()


def test_a_refused_recipe_is_exit_code_2(tmp_path: Path, scripted: Any) -> None:
    with pytest.raises(PullError, match="refused the recipe: 422 validation_error") as info:
        pull('{"seed": 1}', tmp_path / "m.safetensors", options(scripted()))
    assert info.value.code == 2


def test_local_verification_refuses_another_spec() -> None:
    with pytest.raises(PullError, match="cannot verify locally"):
        _local_check(
            {"canonical_recipe": json.dumps(RECIPE), "etag": '"0"', "spec_version": "tensorseed-stream/9"}
        )


# ---- against a real server, through the command line ----

BIG: dict[str, Any] = {"seed": 2, "tensors": [{"name": "ones", "shape": [12, 1024, 1024], "init": {"scheme": "ones"}},
                                               {"name": "u", "shape": [1000, 333], "init": {"scheme": "uniform"}}]}  # fmt: skip


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running_server() as s:
        yield s


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "tensorseed.cli", "pull", *args]


def one_shot_sha256(server: Server, recipe: dict[str, Any]) -> str:
    digest = hashlib.sha256()
    with httpx.stream("POST", f"{server.url}/v1/weights", json=recipe, timeout=60) as response:
        for chunk in response.iter_bytes():
            digest.update(chunk)
    return digest.hexdigest()


@pytest.mark.server
def test_a_pull_killed_halfway_resumes_to_the_same_bytes(tmp_path: Path, server: Server) -> None:
    recipe = tmp_path / "big.json"
    recipe.write_text(json.dumps(BIG))
    out = tmp_path / "big.safetensors"
    state_path = tmp_path / "big.safetensors.part.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    slow = subprocess.Popen(
        cli(str(recipe), "--server", server.url, "-c", "3", "--limit-rate", "8M", "-q"),
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:  # wait until a checkpoint records a few MiB, then kill without warning
            state = PullState.load(state_path)
            if state is not None and state.done.total >= 6 << 20:
                break
            assert slow.poll() is None and time.monotonic() < deadline, "the slow pull ended early"
            time.sleep(0.05)
    finally:
        slow.send_signal(signal.SIGKILL)
        slow.wait()
    assert not out.exists()
    state = PullState.load(state_path)
    assert state is not None and 0 < state.done.total < state.size
    # A first state file tells the second run what it has; a different ETag is refused.
    resumed = subprocess.run(
        cli(str(recipe), "--server", server.url, "-c", "4", "--json", "--verify", "server"),
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    result = json.loads(resumed.stdout)
    assert (
        result["resumed_from"] >= state.done.total
        and result["fetched"] == result["size"] - result["resumed_from"]
    )
    assert "resuming:" in resumed.stderr and "100%" in resumed.stderr
    assert hashlib.sha256(out.read_bytes()).hexdigest() == one_shot_sha256(server, BIG)
    assert not state_path.exists()


@pytest.mark.server
def test_resume_against_a_different_etag_is_refused(tmp_path: Path, server: Server) -> None:
    recipe = tmp_path / "r.json"
    recipe.write_text(TEXT)
    (tmp_path / "r.safetensors.part").write_bytes(b"\0" * 100)
    PullState('"not-this-file"', 100, "1.x").save(tmp_path / "r.safetensors.part.json")
    result = subprocess.run(
        cli(str(recipe), "--server", server.url), cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1
    assert "refusing to resume" in result.stderr and '"not-this-file"' in result.stderr
    assert (tmp_path / "r.safetensors.part").read_bytes() == b"\0" * 100

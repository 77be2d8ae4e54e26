"""`tensorseed pull`: parallel ranges, retries, resume, verification; in process with scripted
faults, and against a real server with a download killed halfway."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.cli import _local_check
from app.client.pull import PullError, PullOptions, pull
from app.client.state import PullState
from app.main import create_app
from app.settings import Settings
from tests.conftest import Server, running_server
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


class ScriptedServers(httpx.BaseTransport):
    """httpx transport in front of in-process apps (one per host), with scripted faults.

    Each fault applies to the next weights request: "connect" (no connection), "503" (busy),
    "short" (the body stops halfway), "corrupt" (one byte flipped), "ignore-range" (200, whole).
    """

    def __init__(self, clients: dict[str, TestClient], faults: list[str] = ()) -> None:  # type: ignore[assignment]
        self.clients = clients
        self.faults = deque(faults)
        self.lock = threading.Lock()
        self.log: list[tuple[str, str, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        path = request.url.path
        weights = path.endswith("/weights.safetensors")
        with self.lock:
            self.log.append((request.url.host, request.method, request.headers.get("range", "")))
            fault = self.faults.popleft() if weights and self.faults else None
        if fault == "connect":
            raise httpx.ConnectError("connection refused", request=request)
        if fault == "503":
            return httpx.Response(
                503, headers={"Retry-After": "0"}, json={"error": "busy", "error_type": "x"}
            )
        headers = {k: v for k, v in request.headers.items() if k in FORWARDED}
        if fault == "ignore-range":
            headers.pop("range")
        up = self.clients[request.url.host].request(
            request.method, path, params=request.url.params, headers=headers, content=request.content
        )
        out_headers = {k: v for k, v in up.headers.items() if k not in ("content-length", "content-encoding")}
        content = up.content
        if fault == "short":
            content = content[: len(content) // 2]
        if fault == "corrupt":
            content = content[:-1] + bytes([content[-1] ^ 1])
        return httpx.Response(up.status_code, headers=out_headers, content=content)


@pytest.fixture(scope="module")
def app_clients() -> Iterator[dict[str, TestClient]]:
    with TestClient(create_app(Settings())) as a, TestClient(create_app(Settings())) as b:
        yield {"a": a, "b": b}


def options(transport: ScriptedServers, **kw: Any) -> PullOptions:
    defaults: dict[str, Any] = {
        "servers": ("http://a",), "connections": 1, "piece_bytes": 4096, "transport": transport,
        "backoff_base": 0.0, "retries": 3,
    }  # fmt: skip
    return PullOptions(**{**defaults, **kw})


def test_parallel_pull_over_two_replicas_equals_the_file(
    tmp_path: Path, app_clients: dict[str, TestClient]
) -> None:
    servers = ScriptedServers(app_clients)
    out = tmp_path / "m.safetensors"
    result = pull(TEXT, out, options(servers, servers=("http://a", "http://b"), connections=2))
    assert out.read_bytes() == file_bytes(RECIPE)
    assert result["fetched"] == result["size"] == out.stat().st_size
    assert result["verified"] == "3 tensors sha256-verified (server)"
    assert (
        not (tmp_path / "m.safetensors.part").exists() and not (tmp_path / "m.safetensors.part.json").exists()
    )
    hosts = {host for host, method, rng in servers.log if rng}
    assert hosts == {"a", "b"}, "both replicas served ranges"
    ranges = [rng for _, _, rng in servers.log if rng]
    assert len(ranges) == -(-result["size"] // 4096)


@pytest.mark.parametrize("faults", [["connect"], ["503", "503"], ["short"], ["connect", "short", "503"]])
def test_failed_ranges_are_retried(
    tmp_path: Path, app_clients: dict[str, TestClient], faults: list[str]
) -> None:
    out = tmp_path / "m.safetensors"
    servers = ScriptedServers(app_clients, faults)
    pull(TEXT, out, options(servers, verify="local"), local_check=_local_check)
    assert not servers.faults, "every scripted fault happened"
    assert out.read_bytes() == file_bytes(RECIPE)


def test_a_range_failing_too_often_stops_with_state_kept(
    tmp_path: Path, app_clients: dict[str, TestClient]
) -> None:
    out = tmp_path / "m.safetensors"
    faults = [""] * 3 + ["connect"] * 10  # three good pieces, then a dead server
    with pytest.raises(PullError, match="failed 4 times in a row"):
        pull(TEXT, out, options(ScriptedServers(app_clients, faults)))
    state = PullState.load(tmp_path / "m.safetensors.part.json")
    assert state is not None and state.done.total == 3 * 4096
    result = pull(TEXT, out, options(ScriptedServers(app_clients)))
    assert result["resumed_from"] == 3 * 4096 and result["fetched"] == result["size"] - 3 * 4096
    assert out.read_bytes() == file_bytes(RECIPE)


def test_a_corrupted_tensor_fails_verification_and_only_it_is_fetched_again(
    tmp_path: Path, app_clients: dict[str, TestClient]
) -> None:
    out = tmp_path / "m.safetensors"
    opts = options(
        ScriptedServers(app_clients, ["corrupt"]), piece_bytes=1 << 20
    )  # one piece: the whole file
    with pytest.raises(PullError, match="verification failed for 't'"):
        pull(TEXT, out, opts)
    assert not out.exists()
    info = app_clients["a"].post("/v1/recipes", json=RECIPE).json()
    t = next(x for x in info["tensors"] if x["name"] == "t")
    result = pull(TEXT, out, options(ScriptedServers(app_clients)))
    assert result["fetched"] == t["end"] - t["begin"]
    assert out.read_bytes() == file_bytes(RECIPE)


def test_a_server_ignoring_if_range_stops_the_download(
    tmp_path: Path, app_clients: dict[str, TestClient]
) -> None:
    with pytest.raises(PullError, match="ignored the range"):
        pull(TEXT, tmp_path / "m.safetensors", options(ScriptedServers(app_clients, ["ignore-range"])))


def test_a_refused_recipe_is_exit_code_2(tmp_path: Path, app_clients: dict[str, TestClient]) -> None:
    with pytest.raises(PullError, match="refused the recipe: 422 validation_error") as info:
        pull('{"seed": 1}', tmp_path / "m.safetensors", options(ScriptedServers(app_clients)))
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
    return [sys.executable, "-m", "app.cli", "pull", *args]


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


def test_pull_reads_response_bodies_in_large_pieces(
    tmp_path: Path, app_clients: dict[str, TestClient]
) -> None:
    """The measured fix for N connections being slower than one (scripts/bench_pull.py): if
    httpcore renames the attribute, this fails instead of the speed silently regressing."""
    import httpcore

    from app.client.pull import BODY_READ_BYTES

    pull(TEXT, tmp_path / "m.safetensors", options(ScriptedServers(app_clients)))
    assert httpcore._sync.http11.HTTP11Connection.READ_NUM_BYTES >= BODY_READ_BYTES

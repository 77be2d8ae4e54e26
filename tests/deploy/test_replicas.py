"""Many stateless replicas behind a real load balancer: nginx on loopback, three replicas.

The replicas are ``tensorseed serve`` processes (in ``make test``) or containers of the built
image run as the Kubernetes pod would run them (``make image-check``), configured from the
rendered ConfigMap either way. Through nginx, ``tensorseed pull`` downloads one file over several
connections while a replica is killed mid-stream, and while every replica is restarted in turn;
the file must equal a one-shot download, and no client may see an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from tests.deploy.containers import Container, built_image, pod_run_options
from tests.deploy.manifest_checks import environment, render_overlay
from tests.deploy.replicas import Nginx, ProcessReplica, Replica, busy
from tests.server_process import REPO

T = TypeVar("T")
K8S = REPO / "k8s"
REPLICAS = 3
# 4 linear layers of 8192 x 8192 float32: 1 GiB, so that each of pull's ranges (64 MiB, its
# largest) is much more than what the server generates ahead and the sockets between it and the
# client hold: a replica stays busy generating for most of a range, and killing it then cuts
# the response mid-body.
RECIPE: dict[str, Any] = {
    "seed": 17,
    "dtype": "float32",
    "layers": [
        {"name": f"fc{i}", "type": "linear", "in_features": 8192, "out_features": 8192} for i in range(4)
    ],
}
# What the ETag test compares across replicas: small, since every replica regenerates its stats.
SMALL: dict[str, Any] = {
    "seed": 5,
    "dtype": "bfloat16",
    "layers": [{"name": "fc", "type": "linear", "in_features": 512, "out_features": 300}],
}
CONNECTIONS = 4
# Slow enough that the download spans the kill and the restarts; fast enough to keep the test short.
RATE = "96M"
PULL_DEADLINE_S = 240.0
CUT = "upstream prematurely closed connection while reading upstream"
# How a server that drained and exited on SIGTERM ends: uvicorn exits 0 or re-raises the signal
# (a process's -15, a container's 128 + 15); a SIGKILL after the grace period would be -9 or 137.
DRAINED = {0, -signal.SIGTERM, 128 + signal.SIGTERM}


@dataclass
class ReplicaSet:
    replicas: list[Replica]
    nginx: Nginx

    def ensure_running(self) -> None:
        stopped = [r for r in self.replicas if not r.running()]
        with ThreadPoolExecutor(len(stopped) or 1) as pool:
            list(pool.map(lambda r: r.start(), stopped))


def _config_map() -> dict[str, str]:
    """The variables the cpu overlay's pods start with; processes take the same (but host, port)."""
    env = environment(render_overlay(K8S, "cpu"))
    return {k: v for k, v in env.items() if k not in ("TENSORSEED_HOST", "TENSORSEED_PORT")}


@pytest.fixture(
    scope="module",
    params=["processes", pytest.param("containers", marks=pytest.mark.image)],
)
def replica_set(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ReplicaSet]:
    folder = tmp_path_factory.mktemp(f"replicas-{request.param}")
    replicas: list[Replica]
    if request.param == "containers":
        image = built_image()
        options, container_port = pod_run_options(render_overlay(K8S, "cpu"))
        replicas = [Container(image, options, container_port) for _ in range(REPLICAS)]
    else:
        replicas = [ProcessReplica(folder, _config_map()) for _ in range(REPLICAS)]
    nginx = Nginx(folder / "nginx", [r.port for r in replicas])
    cluster = ReplicaSet(replicas, nginx)
    try:
        cluster.ensure_running()
        nginx.start()
        yield cluster
    finally:
        nginx.stop()
        for replica in replicas:
            replica.remove()


def one_shot_sha256(base_url: str) -> str:
    digest = hashlib.sha256()
    with httpx.stream("POST", f"{base_url}/v1/weights", json=RECIPE, timeout=120) as response:
        assert response.status_code == 200, response.read()
        for chunk in response.iter_bytes():
            digest.update(chunk)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def start_pull(
    folder: Path, server: str, name: str, verify: str = "server"
) -> tuple[subprocess.Popen[str], Path]:
    recipe = folder / f"{name}.json"
    recipe.write_text(json.dumps(RECIPE))
    out = folder / f"{name}.safetensors"
    command = [
        sys.executable, "-m", "tensorseed.cli", "pull", str(recipe), "-o", str(out), "--server", server,
        "-c", str(CONNECTIONS), "--limit-rate", RATE, "--verify", verify, "--quiet", "--json",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=folder, env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    return process, out


def stop(pull: subprocess.Popen[str]) -> None:
    """Kill the pull if it still runs, and close its pipes."""
    if pull.poll() is None:
        pull.kill()
    pull.communicate()


def finish(pull: subprocess.Popen[str]) -> dict[str, Any]:
    try:
        stdout, stderr = pull.communicate(timeout=PULL_DEADLINE_S)
    finally:
        stop(pull)
    assert pull.returncode == 0, stderr
    result: dict[str, Any] = json.loads(stdout)
    return result


def wait_for(find: Callable[[], T | None], seconds: float, what: str) -> T:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = find()
        if found is not None and found is not False:
            return found
        time.sleep(0.02)
    raise AssertionError(f"{what}: not within {seconds} s")


def test_etags_and_304s_agree_across_replicas(replica_set: ReplicaSet) -> None:
    replica_set.ensure_running()
    bases = [r.base_url for r in replica_set.replicas] + [replica_set.nginx.base_url]
    infos = []
    for base in bases:
        response = httpx.post(f"{base}/v1/recipes", json=SMALL, timeout=30)
        assert response.status_code == 200, response.text
        infos.append(response.json())
    assert len({(i["token"], i["etag"], i["size"]) for i in infos}) == 1, "replicas describe different files"
    info = infos[0]
    weights, stats = info["urls"]["weights"], info["urls"]["stats"] + "?bins=4"
    heads = set()
    stats_etags = set()
    for base in bases:
        part = httpx.get(
            base + weights, headers={"Range": "bytes=0-65535", "If-Range": info["etag"]}, timeout=30
        )
        assert part.status_code == 206 and part.headers["etag"] == info["etag"], base
        heads.add(part.content)
        not_modified = httpx.get(base + weights, headers={"If-None-Match": info["etag"]}, timeout=30)
        assert not_modified.status_code == 304 and not_modified.headers["etag"] == info["etag"], base
        assert not_modified.content == b""
        statistics = httpx.get(base + stats, timeout=60)
        assert statistics.status_code == 200, statistics.text
        stats_etags.add(statistics.headers["etag"])
        again = httpx.get(base + stats, headers={"If-None-Match": statistics.headers["etag"]}, timeout=30)
        assert again.status_code == 304, base
    assert len(heads) == 1 and len(stats_etags) == 1


def test_pull_through_nginx_survives_a_replica_killed_mid_download(
    replica_set: ReplicaSet, tmp_path: Path
) -> None:
    replica_set.ensure_running()
    nginx = replica_set.nginx
    expected = one_shot_sha256(nginx.base_url)
    pull, out = start_pull(tmp_path, nginx.base_url, "killed")
    victim: Replica | None = None
    try:
        # Kill a replica while it generates for the pull (the pull's ranges are then half sent).
        # Whether a response was really cut is read from nginx's error log: a job can end
        # between the look and the kill, and then the next busy replica is killed, up to three times.
        for _ in range(3):

            def serving() -> Replica | None:
                assert pull.poll() is None, "the pull ended before a replica could be killed"
                return next((r for r in replica_set.replicas if busy(r)), None)

            candidate = wait_for(serving, 30, "a replica serving the pull")
            candidate.kill()
            candidate.wait(timeout=60)
            killed_at = time.time()
            marker = f'upstream: "http://127.0.0.1:{candidate.port}/'
            try:
                wait_for(
                    lambda: any(CUT in line and marker in line for line in nginx.error_log().splitlines()),  # noqa: B023
                    5,
                    "a response cut by the kill",
                )
            except AssertionError:
                candidate.start()
                continue
            victim = candidate
            break
        assert victim is not None, "three kills landed between two responses: no download was cut"
        result = finish(pull)
    finally:
        stop(pull)
    assert result["size"] == out.stat().st_size and result["verified"].endswith("sha256-verified (server)")
    assert file_sha256(out) == expected
    # The others served the rest: every range asked for after the kill came from one of them.
    survivors = {f"127.0.0.1:{r.port}" for r in replica_set.replicas if r is not victim}
    later = [
        e for e in nginx.access_log()
        if e["status"] == "206" and float(e["msec"]) - float(e["request_time"]) > killed_at
    ]  # fmt: skip
    assert later and {e["upstream_addr"].split(", ")[-1] for e in later} <= survivors


def test_a_rolling_restart_loses_no_download(replica_set: ReplicaSet, tmp_path: Path) -> None:
    """SIGTERM each replica in turn while it serves, start it again once it has drained, and
    keep pulling meanwhile. Every pull must end with the right bytes, and nginx must have sent
    every response whole: a drain that cut a stream would show there even where pull's retries
    would hide it."""
    replica_set.ensure_running()
    nginx = replica_set.nginx
    expected = one_shot_sha256(nginx.base_url)
    seen = len(nginx.access_log())
    exit_codes: list[int] = []
    sigterms: list[tuple[str, float]] = []  # (replica address, when), in Unix time as nginx logs
    failure: list[BaseException] = []

    def roll() -> None:
        try:
            for replica in replica_set.replicas:
                deadline = time.monotonic() + 30
                while not busy(replica) and time.monotonic() < deadline:
                    time.sleep(0.02)
                sigterms.append((f"127.0.0.1:{replica.port}", time.time()))
                replica.terminate()
                exit_codes.append(replica.wait(timeout=120))
                replica.start()
        except BaseException as exc:  # reported by the test's thread
            failure.append(exc)

    roller = threading.Thread(target=roll, name="rolling-restart")
    pulls = 0
    while pulls == 0 or roller.is_alive():
        pull, out = start_pull(tmp_path, nginx.base_url, f"rolling-{pulls}", verify="none")
        if pulls == 0:
            roller.start()
        result = finish(pull)
        assert file_sha256(out) == expected and result["size"] == out.stat().st_size
        out.unlink()
        pulls += 1
    roller.join()
    assert not failure, failure
    assert all(code in DRAINED for code in exit_codes), (
        f"a replica did not drain and exit by itself: {exit_codes}"
    )
    log = nginx.access_log()[seen:]
    bad = [e for e in log if e["status"] not in ("200", "206") or e["request_completion"] != "OK"]
    assert not bad, (
        f"a client saw an error or a cut response during the restart: {bad}\n"
        f"SIGTERMs: {sigterms}\nnginx's errors:\n{nginx.error_log()[-6000:]}"
    )
    # Responses that a replica was sending when it got SIGTERM, and finished.
    drained = [
        e for e in log for address, at in sigterms
        if e["upstream_addr"].split(", ")[-1] == address
        and float(e["msec"]) - float(e["request_time"]) < at < float(e["msec"])
    ]  # fmt: skip
    assert drained, "no SIGTERM arrived while its replica was sending: nothing was drained"

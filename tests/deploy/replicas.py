"""Several replicas of the service behind a real nginx on loopback.

A replica is a ``tensorseed serve`` process or a container of the built image
(tests/deploy/containers.py): each is started, stopped with SIGTERM (the drain), killed with
SIGKILL and started again on the same port. nginx runs the committed ``nginx/tensorseed.conf``
with only the addresses changed, inside a main configuration that keeps nginx's files in a
temporary folder and logs, per request, the status the client got and the replica that served it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx
import pytest

from tests.server_process import REPO, ServerProcess, free_port, serve_command, serve_environment, wait_ready

NGINX_SITE = REPO / "nginx" / "tensorseed.conf"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
#: Set to 1 to let the replica tests skip where nginx is not installed (CI installs it).
ALLOW_NO_NGINX = "TENSORSEED_ALLOW_NO_NGINX"
#: Per request: the client's status, the replica(s) nginx tried and their statuses, whether the
#: response was sent whole ("OK"), the method, the range asked for, and when it ended (Unix time)
#: and how long it took.
ACCESS_FIELDS = (
    "status", "upstream_addr", "upstream_status", "request_completion", "request_method", "http_range",
    "msec", "request_time",
)  # fmt: skip


class Replica(Protocol):
    """What the tests do to one replica, process or container alike."""

    port: int

    @property
    def base_url(self) -> str: ...

    def start(self) -> None: ...

    def terminate(self) -> None: ...

    def kill(self) -> None: ...

    def wait(self, timeout: float) -> int: ...

    def running(self) -> bool: ...

    def logs(self) -> str: ...

    def remove(self) -> None: ...


@dataclass
class ProcessReplica:
    """``tensorseed serve`` on a fixed loopback port; every start is a new process on that port."""

    folder: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    server: ServerProcess | None = None
    starts: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.starts += 1
        log = self.folder / f"replica-{self.port}-{self.starts}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                serve_command(self.port), cwd=REPO, env=serve_environment(self.env),
                stdout=sink, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.server = ServerProcess(process, self.port, log)
        if not wait_ready(self.server):
            raise RuntimeError(f"replica on port {self.port} did not start:\n{self.server.output()}")

    def _process(self) -> subprocess.Popen[bytes]:
        assert self.server is not None, "not started"
        return self.server.process

    def terminate(self) -> None:
        self._process().send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self._process().send_signal(signal.SIGKILL)

    def wait(self, timeout: float) -> int:
        return self._process().wait(timeout=timeout)

    def running(self) -> bool:
        return self.server is not None and self.server.process.poll() is None

    def logs(self) -> str:
        return "" if self.server is None else self.server.output()

    def remove(self) -> None:
        if self.running():
            self.kill()
            self.wait(30)


def nginx_binary() -> str:
    """nginx's path; fails (or skips, with TENSORSEED_ALLOW_NO_NGINX=1) where it is missing."""
    for candidate in NGINX_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    message = "nginx is not installed (Debian: apt-get install nginx; `make test` installs it as root)"
    if os.environ.get(ALLOW_NO_NGINX) == "1":
        pytest.skip(f"{message}; {ALLOW_NO_NGINX}=1")
    pytest.fail(f"{message}; set {ALLOW_NO_NGINX}=1 to skip the replica tests")


def site_config(listen_port: int, upstream_ports: list[int]) -> str:
    """nginx/tensorseed.conf with its listen address and its replicas' addresses replaced."""
    text = NGINX_SITE.read_text()
    servers = re.findall(r"^( +)server 127\.0\.0\.1:\d+ (.*);$", text, flags=re.M)
    listens = re.findall(r"^ +listen 127\.0\.0\.1:\d+;$", text, flags=re.M)
    assert len(servers) == 3 and len(listens) == 1, "nginx/tensorseed.conf changed shape: update the tests"
    indent, parameters = servers[0]
    upstreams = "\n".join(f"{indent}server 127.0.0.1:{port} {parameters};" for port in upstream_ports)
    text = re.sub(r"^ +server 127\.0\.0\.1:\d+ .*;\n", "", text, flags=re.M)
    text = re.sub(
        r"^(upstream tensorseed \{\n(?: +#.*\n)*)", lambda m: m.group(1) + upstreams + "\n", text, flags=re.M
    )
    return re.sub(r"listen 127\.0\.0\.1:\d+;", f"listen 127.0.0.1:{listen_port};", text)


@dataclass
class Nginx:
    """A real nginx in front of ``upstream_ports``, its files and logs in ``folder``."""

    folder: Path
    upstream_ports: list[int]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        binary = nginx_binary()
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "tensorseed.conf").write_text(site_config(self.port, self.upstream_ports))
        temp = {name: self.folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
        # As root nginx would hand its workers to an unprivileged user that cannot read this
        # folder; the workers keep the caller's user instead (root needs it said explicitly).
        user = "user root;\n" if os.geteuid() == 0 else ""
        (self.folder / "nginx.conf").write_text(
            f"{user}worker_processes 1;\ndaemon off;\npid {self.folder}/nginx.pid;\n"
            f"error_log {self.folder}/error.log warn;\n"
            "events { worker_connections 512; }\n"
            "http {\n"
            f"    log_format replicas '{'|'.join('$' + name for name in ACCESS_FIELDS)}';\n"
            f"    access_log {self.folder}/access.log replicas;\n"
            + "".join(f"    {name}_temp_path {path};\n" for name, path in temp.items())
            + f"    include {self.folder}/tensorseed.conf;\n"
            "}\n"
        )
        with (self.folder / "stderr.log").open("wb") as sink:
            self.process = subprocess.Popen(
                [binary, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")],
                stdout=sink, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.folder / 'stderr.log').read_text()}")
            try:
                if httpx.get(f"{self.base_url}/v2/health/ready", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise TimeoutError("nginx did not answer in 20 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # nginx's graceful stop
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def error_log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def access_log(self) -> list[dict[str, str]]:
        """One entry per request: the client's status, the replica(s) tried and their statuses."""
        path = self.folder / "access.log"
        lines = path.read_text().splitlines() if path.exists() else []
        return [dict(zip(ACCESS_FIELDS, line.split("|"), strict=True)) for line in lines]


def metric(base_url: str, name: str) -> float:
    """A label-less metric from a replica's /metrics."""
    text = httpx.get(f"{base_url}/metrics", timeout=5).text
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, flags=re.M)
    assert match is not None, f"{name} not in /metrics"
    return float(match.group(1))


def busy(replica: Replica) -> bool:
    """Whether the replica is generating for a client now (a running or queued job)."""
    try:
        return replica.running() and metric(replica.base_url, "tensorseed_jobs_admitted") >= 1
    except httpx.TransportError:
        return False

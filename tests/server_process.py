"""A real ``tensorseed serve`` process on a free loopback port, for tests that need a live server.

In-process test clients cannot show what signals, sockets and uvicorn's drain do; these tests
start the same command the container runs, with settings passed as TENSORSEED_* variables.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
STARTUP_DEADLINE_S = 60.0


@dataclass
class ServerProcess:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    #: The log's text, kept once the process has ended and its temporary folder is gone.
    final_output: str | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        if self.final_output is not None:
            return self.final_output
        return self.log.read_text(errors="replace")

    def terminate(self) -> None:
        """What Kubernetes and ``docker stop`` send first."""
        self.process.send_signal(signal.SIGTERM)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve_command(port: int) -> list[str]:
    """``tensorseed serve`` on a loopback port, from this checkout (what the image's entrypoint runs)."""
    return [sys.executable, "-m", "tensorseed.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]


def serve_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}


def wait_ready(server: ServerProcess) -> bool:
    """True once /v2/health/ready answers 200; False if the process died (e.g. port taken)."""
    deadline = time.monotonic() + STARTUP_DEADLINE_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        try:
            if httpx.get(f"{server.base_url}/v2/health/ready", timeout=2).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"server not ready after {STARTUP_DEADLINE_S} s:\n{server.output()}")


@contextmanager
def running_server(env: dict[str, str] | None = None) -> Iterator[ServerProcess]:
    """Start ``python -m tensorseed.cli serve`` (what the image's entrypoint runs) and stop it after."""
    full_env = serve_environment(env)
    with tempfile.TemporaryDirectory() as tmp:
        for attempt in range(3):  # another process may grab the free port before the server binds
            port = free_port()
            log = Path(tmp) / f"server-{attempt}.log"
            with log.open("wb") as sink:
                process = subprocess.Popen(
                    serve_command(port), cwd=REPO, env=full_env, stdout=sink, stderr=subprocess.STDOUT
                )
            server = ServerProcess(process, port, log)
            try:
                if wait_ready(server):
                    yield server
                    return
            finally:
                if process.poll() is None:
                    process.kill()
                process.wait(timeout=30)
                server.final_output = server.output()
        raise RuntimeError(f"server failed to start three times:\n{server.output()}")

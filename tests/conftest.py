"""Fixtures: an in-process client, and real uvicorn servers on free loopback ports.

Triton decides when it is first imported whether @triton.jit functions (its own ``tl`` helpers
included) are interpreted on CPU or compiled for a GPU. The suite runs without a GPU, so the
Triton kernels are always interpreted here; tests/stream/test_triton_ptx.py compiles for a GPU
target in a separate process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests import server_process

os.environ.setdefault("TRITON_INTERPRET", "1")


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as c:
        yield c


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


@contextmanager
def running_server(env: dict[str, str] | None = None) -> Iterator[Server]:
    """A real ``tensorseed serve`` process on a free loopback port (tests/server_process.py);
    yields its URL and pid, and stops it afterwards."""
    with server_process.running_server(env) as process:
        yield Server(process.base_url, process.process.pid)

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conformance.ports import BatchPort, port_commands


@pytest.fixture(scope="session")
def commands() -> dict[str, list[str]]:
    """How to run each port's CLI (builds ports/c if needed; needs node on PATH)."""
    return port_commands()


@pytest.fixture(scope="session")
def batch_ports(commands: dict[str, list[str]]) -> Iterator[dict[str, BatchPort]]:
    """One long-lived --batch process per port, shared by the whole session."""
    ports = {name: BatchPort(name, cmd) for name, cmd in commands.items()}
    yield ports
    for port in ports.values():
        port.close()

"""The engine: device choice, bytes equal to the reference file, generate-ahead bounds, capacity."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.settings import Settings
from tensorseed.engine.backend import KernelBackend, ReferenceBackend
from tensorseed.engine.capacity import OverCapacity
from tensorseed.engine.devices import resolve_devices
from tensorseed.engine.service import Engine, Job
from tensorseed.formats.safetensors import file_pieces, iter_file
from tensorseed.recipe.plan import TensorPlan
from tests.kernel_required import require_kernel
from tests.support import plan_of

RECIPE: dict[str, Any] = {
    "seed": 5,
    "dtype": "bfloat16",
    "layers": [{"name": "fc", "type": "linear", "in_features": 300, "out_features": 200}],
    "tensors": [{"name": "n", "shape": [999], "init": {"scheme": "normal"}}],
}


class RecordingBackend:
    """Reference bytes, and a log of which pieces were generated (and a gate to hold them)."""

    name = "recording"

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.gate = threading.Event()
        self.gate.set()

    def fill(self, tensor: TensorPlan, start: int, count: int) -> bytes:
        self.gate.wait(5)
        self.calls.append((tensor.name, start))
        return ReferenceBackend().fill(tensor, start, count)


def settings(**kw: Any) -> Settings:
    return Settings(chunk_bytes=4096, **kw)


def whole_file(engine: Engine, recipe: dict[str, Any], job: Job) -> AsyncIterator[bytes]:
    """The file's bytes as the service streams them: the header and every chunk, generated ahead."""
    plan = plan_of(recipe)
    return engine.stream_pieces(file_pieces(plan, engine.chunk_elements(plan.dtype.itemsize)), job)


async def collect(engine: Engine, recipe: dict[str, Any]) -> bytes:
    job = await engine.admit()
    return b"".join([c async for c in whole_file(engine, recipe, job)])


def test_default_cpu_device_uses_the_compiled_kernel() -> None:
    require_kernel()
    engine = Engine(Settings(devices="cpu"))
    assert isinstance(engine.backend, KernelBackend)
    assert [d.name for d in engine.devices] == ["cpu"]
    engine.close()


def test_device_settings() -> None:
    assert resolve_devices("cpu", cpu_kernel="reference")[0].backend.name == "reference"
    auto = [d.name for d in resolve_devices("auto")]
    assert auto == ["cpu"] or all(name.startswith("cuda:") for name in auto)
    with pytest.raises(ValueError, match="not available"):
        resolve_devices("cuda:99")
    with pytest.raises(ValueError, match="unknown device"):
        resolve_devices("tpu:0")


def test_streamed_file_equals_the_reference_file() -> None:
    require_kernel()
    want = b"".join(iter_file(plan_of(RECIPE), ReferenceBackend(), 4096 // 2))
    for in_flight in (1, 3):
        engine = Engine(settings(devices="cpu", chunks_in_flight=in_flight))
        assert asyncio.run(collect(engine, RECIPE)) == want
        assert engine.generated_chunks == 30 + 1 + 1  # fc.weight: 60000 elements in 2048s; fc.bias; n
        engine.close()


def test_generates_at_most_chunks_in_flight_ahead_and_stops_when_closed() -> None:
    backend = RecordingBackend()
    engine = Engine(settings(chunks_in_flight=2), backend=backend)

    async def scenario() -> None:
        job = await engine.admit()
        stream = whole_file(engine, RECIPE, job)
        await stream.__anext__()  # header
        await stream.__anext__()  # chunk 0
        await asyncio.sleep(0.2)
        assert len(backend.calls) == 3  # chunk 0 sent, chunks 1 and 2 generated ahead, no more
        backend.gate.clear()  # hold the worker: chunk 3 starts and waits, chunk 4 stays queued
        await stream.__anext__()
        await stream.aclose()  # the client went away
        backend.gate.set()
        await asyncio.sleep(0.2)
        assert len(backend.calls) <= 4
        assert engine.slots.admitted == 0 and job.device.active_jobs == 0

    asyncio.run(scenario())
    engine.close()


def test_jobs_are_bounded_per_device_and_the_queue_answers_over_capacity() -> None:
    engine = Engine(settings(max_active_jobs=1, max_queued_jobs=1), backend=ReferenceBackend())

    async def scenario() -> None:
        first = await engine.admit()
        waiting = asyncio.create_task(engine.admit())
        await asyncio.sleep(0.05)
        assert not waiting.done()  # one running job per device: the second waits in the queue
        with pytest.raises(OverCapacity) as exc:
            await engine.admit()
        assert exc.value.retry_after == engine.settings.retry_after_seconds
        first.release()
        second = await asyncio.wait_for(waiting, 1)
        assert second.device.active_jobs == 1
        second.release()

    asyncio.run(scenario())
    engine.close()

"""The engine a server talks to: plan limits, devices, chunking, job slots.

A response body is a sequence of literal bytes and independent pieces (tensor, start, count),
composed by a sink (``tensorseed.formats``). The engine submits up to ``chunks_in_flight``
pieces to the job's device worker ahead of the one being sent, so chunk k+1 is generated while
chunk k travels to the client, and never more than that many are held per request (memory stays
proportional to a chunk, not to the file). The engine knows nothing of file formats: data flows
recipe -> plan -> engine -> sink, and nothing here imports a sink.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Protocol, TypeVar

from tensorseed.engine.backend import Backend
from tensorseed.engine.capacity import JobSlots
from tensorseed.engine.chunks import Piece, fill_piece
from tensorseed.engine.devices import Device, resolve_devices
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import Limits, Plan, build_plan

T = TypeVar("T")


class EngineSettings(Protocol):
    """What the engine reads from its configuration (the service's Settings has these fields)."""

    @property
    def chunk_bytes(self) -> int: ...
    @property
    def max_tensor_elements(self) -> int: ...
    @property
    def max_total_elements(self) -> int: ...
    @property
    def max_tensors(self) -> int: ...
    @property
    def max_active_jobs(self) -> int: ...
    @property
    def max_queued_jobs(self) -> int: ...
    @property
    def devices(self) -> str: ...
    @property
    def threads(self) -> int: ...
    @property
    def cpu_kernel(self) -> str: ...
    @property
    def chunks_in_flight(self) -> int: ...
    @property
    def retry_after_seconds(self) -> int: ...


class Job:
    """A held job slot on one device; ``release`` is idempotent so every exit path may call it."""

    def __init__(self, slots: JobSlots, device: Device) -> None:
        self._slots = slots
        self.device = device
        self._held = True

    def release(self) -> None:
        if self._held:
            self._held = False
            self.device.active_jobs -= 1
            self._slots.release()


class Engine:
    """Owns the devices and the limits; every generation goes through it."""

    def __init__(self, settings: EngineSettings, backend: Backend | None = None) -> None:
        self.settings = settings
        if backend is not None:  # an explicit backend (tests): one CPU device that uses it
            self.devices = [Device("cpu", backend, "given")]
        else:
            self.devices = resolve_devices(settings.devices, settings.threads, settings.cpu_kernel)
        self.backend: Backend = self.devices[0].backend
        self.limits = Limits(
            max_tensor_elements=settings.max_tensor_elements,
            max_total_elements=settings.max_total_elements,
            max_tensors=settings.max_tensors,
        )
        # Running slots are per device; admit() puts each job on the least busy device, so no
        # device ever runs more than max_active_jobs.
        self.slots = JobSlots(
            settings.max_active_jobs * len(self.devices),
            settings.max_queued_jobs,
            settings.retry_after_seconds,
        )
        self.generated_bytes = 0
        self.generated_chunks = 0
        self._count_lock = threading.Lock()  # device workers count concurrently

    def close(self) -> None:
        for device in self.devices:
            device.close()

    def chunk_elements(self, itemsize: int) -> int:
        return max(1, self.settings.chunk_bytes // itemsize)

    def plan(self, recipe: Recipe) -> Plan:
        return build_plan(recipe, self.limits)

    async def admit(self) -> Job:
        """A running slot for one job; raises OverCapacity (-> 429) when the queue is full."""
        await self.slots.acquire()
        device = min(self.devices, key=lambda d: d.active_jobs)
        device.active_jobs += 1
        return Job(self.slots, device)

    def _generate_piece(self, device: Device, piece: Piece) -> bytes:
        chunk = fill_piece(device.backend, piece)
        with self._count_lock:
            self.generated_chunks += 1
            self.generated_bytes += len(chunk)
        return chunk

    async def stream_pieces(self, items: Iterator[bytes | Piece], job: Job) -> AsyncIterator[bytes]:
        """A body the caller composed (byte ranges, multipart parts): literal bytes pass through,
        pieces are generated ahead on the job's device exactly as ``stream_file`` does; the job
        is released when the body ends or the client goes away."""
        loop = asyncio.get_running_loop()
        device = job.device
        pending: deque[asyncio.Future[bytes]] = deque()

        def submit_next() -> None:
            item = next(items, None)
            if item is None:
                return
            if isinstance(item, bytes):
                ready: asyncio.Future[bytes] = loop.create_future()
                ready.set_result(item)
                pending.append(ready)
            else:
                pending.append(loop.run_in_executor(device.executor, self._generate_piece, device, item))

        try:
            for _ in range(self.settings.chunks_in_flight):
                submit_next()
            while pending:
                chunk = await pending.popleft()
                submit_next()
                yield chunk
        finally:
            for future in pending:
                future.cancel()
            job.release()

    async def run(self, job: Job, work: Callable[[Backend], T]) -> T:
        """Run ``work`` with the job's device backend on a worker thread; the job is released
        when it returns or fails (statistics and other whole-plan reductions)."""
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, work, job.device.backend)
        finally:
            job.release()

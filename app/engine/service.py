"""The engine the HTTP layer talks to: plan limits, devices, chunking, job slots.

A request's file is a header and a sequence of independent pieces (tensor, start, count). The
engine submits up to ``chunks_in_flight`` pieces to the job's device worker ahead of the one
being sent, so chunk k+1 is generated while chunk k travels to the client, and never more than
that many are held per request (memory stays proportional to a chunk, not to the file).
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections import deque
from collections.abc import AsyncIterator, Iterator
from typing import Any

from starlette.concurrency import run_in_threadpool

from app.engine.backend import Backend
from app.engine.capacity import JobSlots
from app.engine.chunks import plan_pieces
from app.engine.devices import Device, resolve_devices
from app.formats.ranges import Piece, fill_piece
from app.formats.safetensors import layout
from app.formats.stats import plan_stats
from app.recipe.models import Recipe
from app.recipe.plan import Limits, Plan, build_plan
from app.settings import Settings


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

    def __init__(self, settings: Settings, backend: Backend | None = None) -> None:
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

    async def stream_file(self, plan: Plan, job: Job) -> AsyncIterator[bytes]:
        """The file's bytes: the header, then each chunk, generated ahead on the job's device.

        When the client goes away the response stops iterating and closes this generator: the
        chunks not yet started are cancelled, and at most the ones already running finish.
        """
        whole_chunks = (
            Piece(tensor, start, count, 0, count * tensor.dtype.itemsize)
            for tensor, start, count in plan_pieces(plan.tensors, self.chunk_elements(plan.dtype.itemsize))
        )
        items: Iterator[bytes | Piece] = itertools.chain([layout(plan).header], whole_chunks)
        async for chunk in self.stream_pieces(items, job):
            yield chunk

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

    async def stats(self, plan: Plan, bins: int, job: Job) -> dict[str, Any]:
        try:
            chunk = self.chunk_elements(plan.dtype.itemsize)
            return await run_in_threadpool(plan_stats, plan, job.device.backend, chunk, bins)
        finally:
            job.release()

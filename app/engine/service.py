"""The engine the HTTP layer talks to: plan limits, a backend, chunk size, job slots."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from typing import Any

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from app.engine.backend import Backend, ReferenceBackend
from app.engine.capacity import JobSlots
from app.formats.ranges import iter_byte_range
from app.formats.safetensors import FileLayout, iter_file
from app.formats.stats import plan_stats
from app.recipe.models import Recipe
from app.recipe.plan import Limits, Plan, build_plan
from app.settings import Settings


class Job:
    """A held job slot; ``release`` is idempotent so every exit path may call it."""

    def __init__(self, slots: JobSlots) -> None:
        self._slots = slots
        self._held = True

    def release(self) -> None:
        if self._held:
            self._held = False
            self._slots.release()


class Engine:
    """Owns the backend and the limits; every generation goes through it."""

    def __init__(self, settings: Settings, backend: Backend | None = None) -> None:
        self.settings = settings
        self.backend: Backend = backend or ReferenceBackend()
        self.limits = Limits(
            max_tensor_elements=settings.max_tensor_elements,
            max_total_elements=settings.max_total_elements,
            max_tensors=settings.max_tensors,
        )
        self.slots = JobSlots(
            settings.max_active_jobs, settings.max_queued_jobs, settings.retry_after_seconds
        )
        self.generated_bytes = 0

    def chunk_elements(self, itemsize: int) -> int:
        return max(1, self.settings.chunk_bytes // itemsize)

    def plan(self, recipe: Recipe) -> Plan:
        return build_plan(recipe, self.limits)

    async def admit(self) -> Job:
        """A running slot for one job; raises OverCapacity (-> 429) when the queue is full."""
        await self.slots.acquire()
        return Job(self.slots)

    def _file_chunks(self, plan: Plan) -> Generator[bytes, None, None]:
        for chunk in iter_file(plan, self.backend, self.chunk_elements(plan.dtype.itemsize)):
            self.generated_bytes += len(chunk)
            yield chunk

    async def stream_file(self, plan: Plan, job: Job) -> AsyncIterator[bytes]:
        """The file's bytes, each chunk generated in a worker thread, then the slot released.

        Generation is pulled by the response: when the client goes away the response stops
        pulling, this generator is closed, and no further chunk is generated.
        """
        chunks = self._file_chunks(plan)
        try:
            async for chunk in iterate_in_threadpool(chunks):
                yield chunk
        finally:
            chunks.close()
            job.release()

    def byte_range_chunks(
        self, plan: Plan, file_layout: FileLayout, start: int, stop: int
    ) -> Generator[bytes, None, None]:
        """Bytes [start, stop) of the plan's file; only the elements the range covers are generated."""
        chunk_elements = self.chunk_elements(plan.dtype.itemsize)
        for chunk in iter_byte_range(plan, file_layout, self.backend, chunk_elements, start, stop):
            self.generated_bytes += len(chunk)
            yield chunk

    async def stream_chunks(self, chunks: Iterator[bytes], job: Job) -> AsyncIterator[bytes]:
        """Pull a synchronous chunk generator in worker threads, then release the job slot.

        Like ``stream_file``, for bodies the caller composes (byte ranges, multipart parts).
        """
        try:
            async for chunk in iterate_in_threadpool(chunks):
                yield chunk
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
            job.release()

    async def stats(self, plan: Plan, bins: int, job: Job) -> dict[str, Any]:
        try:
            chunk = self.chunk_elements(plan.dtype.itemsize)
            return await run_in_threadpool(plan_stats, plan, self.backend, chunk, bins)
        finally:
            job.release()

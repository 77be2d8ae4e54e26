"""The engine a server talks to: planning off the event loop, admission, devices, chunking.

A response body is a sequence of literal bytes and independent pieces (tensor, start, count),
composed by a sink (``tensorseed.formats``). The engine submits up to ``chunks_in_flight``
pieces to the job's device worker ahead of the one being sent, so chunk k+1 is generated while
chunk k travels to the client, and never more than that many are held per request (memory stays
proportional to a chunk, not to the file). The engine knows nothing of file formats: data flows
recipe -> plan -> engine -> sink, and nothing here imports a sink.

Resource control, all service-agnostic (asyncio, no HTTP):

* ``prepare`` runs planning (parsing, preset expansion, override matching) on a small thread
  pool, bounded in queue length and per client: nothing of it runs on the event loop.
* ``admit`` takes a job's declared memory (``demand``) from its device's pool: light jobs
  (elementwise) and heavy jobs (orthogonal, torch-exact) have separate slots, pools and workers,
  so a light job never waits behind a heavy one. Over capacity is ``OverCapacity`` (429), a job
  that could never fit is ``JobTooLarge`` (413); a client holds at most
  ``max_jobs_per_client`` plannings or jobs at once.
* ``deliver`` sends a body and cuts it off (``Stalled``) when the client takes nothing for
  ``stall_timeout`` seconds, releasing the job; ``Job.cancel`` (client gone) stops statistics
  between chunks, and a stream's pieces not yet generated are dropped when its body closes.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from tensorseed.engine.backend import Backend
from tensorseed.engine.capacity import ClientCaps, JobSlots, JobTooLarge, OverCapacity
from tensorseed.engine.chunks import Piece, fill_piece
from tensorseed.engine.demand import STATS_BYTES_PER_ELEMENT, Demand, is_heavy, matrix_key
from tensorseed.engine.devices import Device, resolve_devices
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import Limits, Plan, TensorPlan, build_plan
from tensorseed.stream.orthogonal import MATRICES

T = TypeVar("T")

#: Largest piece of a body handed to the transport at once: a client must take this much within
#: the stall timeout to count as making progress.
SEND_SLICE_BYTES = 256 * 1024
#: Threads that plan recipes. One: planning is Python, so a second thread would only share the
#: GIL, and with two CPU-bound threads a dropped GIL often goes to the other one instead of the
#: event loop (health checks then wait hundreds of ms). With one, the loop waits at most one
#: switch interval or one C call.
PLAN_WORKERS = 1


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
    def max_plan_work(self) -> int: ...
    @property
    def finite_values(self) -> bool: ...
    @property
    def max_active_jobs(self) -> int: ...
    @property
    def max_queued_jobs(self) -> int: ...
    @property
    def max_heavy_jobs(self) -> int: ...
    @property
    def max_queued_heavy_jobs(self) -> int: ...
    @property
    def memory_budget_bytes(self) -> int: ...
    @property
    def orthogonal_cache_bytes(self) -> int: ...
    @property
    def max_jobs_per_client(self) -> int: ...
    @property
    def stall_timeout(self) -> float: ...
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


class Stalled(Exception):
    """The client took no data for the stall timeout; the response was cut off."""


class JobCancelled(Exception):
    """The job was cancelled (its client went away) before it finished."""


class Job:
    """A held job: a running slot and declared memory on one device, for one client.

    ``release`` is idempotent, so every exit path may call it; ``cancel`` asks the work to stop.
    """

    def __init__(self, engine: Engine, device: Device, demand: Demand, client: str, slots: JobSlots) -> None:
        self._engine = engine
        self.device = device
        self.demand = demand
        self.client = client
        self._slots = slots
        self.cancelled = threading.Event()
        self.pinned: Hashable | None = None
        self._held = True

    def cancel(self) -> None:
        self.cancelled.set()

    def pin(self, tensor: TensorPlan) -> None:
        """Keep the matrix ``tensor`` is sliced from until the job moves on (or ends)."""
        key = matrix_key(tensor)
        if key == self.pinned:
            return
        if key is not None:
            MATRICES.pin(key)
        if self.pinned is not None:
            MATRICES.unpin(self.pinned)
        self.pinned = key

    def release(self) -> None:
        if not self._held:
            return
        self._held = False
        if self.pinned is not None:
            MATRICES.unpin(self.pinned)
            self.pinned = None
        pool = self.device.heavy_pool if self.demand.heavy else self.device.light_pool
        pool.give_back(self.demand.bytes)
        self.device.active_jobs -= 1
        self._slots.release()
        self._engine.clients.give_back(self.client)


class _JobBackend:
    """The backend a whole-plan reduction (statistics) sees: stops when the job is cancelled, and
    hands heavy tensors to the device's heavy worker."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.name = job.device.backend.name

    def fill(self, tensor: TensorPlan, start: int, count: int) -> bytes:
        if self.job.cancelled.is_set():
            raise JobCancelled("the job was cancelled")
        device = self.job.device
        if is_heavy(tensor):
            self.job.pin(tensor)
            return device.heavy_executor.submit(device.backend.fill, tensor, start, count).result()
        return device.backend.fill(tensor, start, count)


def light_job_bytes(chunk_bytes: int, chunks_in_flight: int) -> int:
    """The most a light job may declare: a stream's chunks, or statistics over the narrowest dtype
    (2-byte elements decoded to binary64)."""
    stream = (chunks_in_flight + 2) * chunk_bytes
    stats = chunk_bytes + (chunk_bytes // 2) * STATS_BYTES_PER_ELEMENT
    return max(stream, stats)


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
            max_plan_work=settings.max_plan_work,
            finite_values=settings.finite_values,
        )
        n = len(self.devices)
        retry = settings.retry_after_seconds
        # Running slots are per device; admit() puts each job on the least busy device, so no
        # device ever runs more than max_active_jobs light (max_heavy_jobs heavy) jobs.
        self.slots = JobSlots(settings.max_active_jobs * n, settings.max_queued_jobs, retry)
        self.heavy_slots = JobSlots(settings.max_heavy_jobs * n, settings.max_queued_heavy_jobs, retry)
        self.clients = ClientCaps(settings.max_jobs_per_client, retry)
        # Light jobs get a pool that always covers max_active_jobs of them (so they only ever
        # wait for a slot); heavy jobs share what is left of the budget.
        self.light_job_bytes = light_job_bytes(settings.chunk_bytes, settings.chunks_in_flight)
        light = settings.max_active_jobs * self.light_job_bytes
        heavy = settings.memory_budget_bytes - light
        if heavy < self.light_job_bytes:
            raise ValueError(
                f"memory_budget_bytes ({settings.memory_budget_bytes}) must exceed the light jobs' "
                f"share ({light} = max_active_jobs x {self.light_job_bytes}) by at least one job; "
                "raise it or lower max_active_jobs / chunk_bytes"
            )
        for device in self.devices:
            device.light_pool.capacity = light
            device.heavy_pool.capacity = heavy
        MATRICES.resize(settings.orthogonal_cache_bytes)
        self._planner = ThreadPoolExecutor(max_workers=PLAN_WORKERS, thread_name_prefix="tensorseed-plan")
        self._stats = ThreadPoolExecutor(
            max_workers=(settings.max_active_jobs + settings.max_heavy_jobs) * n,
            thread_name_prefix="tensorseed-stats",
        )
        self._planning = 0
        self.generated_bytes = 0
        self.generated_chunks = 0
        self.stalled_responses = 0
        self._count_lock = threading.Lock()  # device workers count concurrently

    def close(self) -> None:
        for device in self.devices:
            device.close()
        self._planner.shutdown(wait=False, cancel_futures=True)
        self._stats.shutdown(wait=False, cancel_futures=True)

    def chunk_elements(self, itemsize: int) -> int:
        return max(1, self.settings.chunk_bytes // itemsize)

    def plan(self, recipe: Recipe) -> Plan:
        """Plan a recipe within the limits (synchronously: call it from ``prepare``'s work)."""
        return build_plan(recipe, self.limits)

    async def prepare(self, work: Callable[[], T], client: str = "") -> T:
        """Run ``work`` (parsing, planning: CPU-bound Python) on the planning threads.

        At most PLAN_WORKERS run at once and ``max_queued_jobs`` more wait; beyond that, or
        beyond the client's cap, OverCapacity. The event loop only awaits.
        """
        if self._planning >= PLAN_WORKERS + self.settings.max_queued_jobs:
            raise OverCapacity(self.settings.retry_after_seconds, "the planner is at capacity; retry later")
        self.clients.take(client)
        self._planning += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._planner, work)
        finally:
            self._planning -= 1
            self.clients.give_back(client)

    def _pick_device(self, demand: Demand) -> Device:
        if not demand.heavy:
            return min(self.devices, key=lambda d: d.active_jobs)
        best = max(self.devices, key=lambda d: d.heavy_pool.capacity - d.heavy_pool.used)
        capacity = best.heavy_pool.capacity
        if demand.bytes > capacity:
            raise JobTooLarge(demand.bytes, capacity, "memory_budget_bytes", "this request")
        return best

    async def admit(self, demand: Demand | None = None, client: str = "") -> Job:
        """A running slot and the declared memory for one job.

        Raises JobTooLarge (413) when the demand exceeds what any device could give one job,
        OverCapacity (429) when the client's cap, the memory or the queue is full now.
        """
        demand = demand or Demand(self.light_job_bytes, False)
        device = self._pick_device(demand)
        self.clients.take(client)
        try:
            if demand.heavy:
                if not device.heavy_pool.try_take(demand.bytes):
                    raise OverCapacity(
                        self.settings.retry_after_seconds,
                        "the memory budget for heavy work (orthogonal, torch-exact, propagation, pictures) "
                        "is in use; retry later",
                    )
                slots = self.heavy_slots
                try:
                    await slots.acquire()
                except BaseException:
                    device.heavy_pool.give_back(demand.bytes)
                    raise
            else:
                slots = self.slots
                await slots.acquire()
                # Light jobs run on the least busy device *now* (the wait may have changed it);
                # the light pool covers every running light job by construction.
                device = min(self.devices, key=lambda d: d.active_jobs)
                bytes_ = min(demand.bytes, self.light_job_bytes)
                demand = Demand(bytes_, False)
                if not device.light_pool.try_take(bytes_):  # cannot happen: the pool covers the slots
                    slots.release()
                    raise OverCapacity(self.settings.retry_after_seconds)
        except BaseException:
            self.clients.give_back(client)
            raise
        device.active_jobs += 1
        return Job(self, device, demand, client, slots)

    def _generate_piece(self, job: Job, piece: Piece) -> bytes:
        if is_heavy(piece.tensor):
            job.pin(piece.tensor)
        chunk = fill_piece(job.device.backend, piece)
        with self._count_lock:
            self.generated_chunks += 1
            self.generated_bytes += len(chunk)
        return chunk

    async def stream_pieces(self, items: Iterator[bytes | Piece], job: Job) -> AsyncIterator[bytes]:
        """A body the caller composed (byte ranges, multipart parts): literal bytes pass through,
        pieces are generated ahead on the job's device (heavy tensors on its heavy worker); the
        job is released when the body ends or the client goes away, and pieces not yet started
        are dropped."""
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
                worker = device.heavy_executor if is_heavy(item.tensor) else device.executor
                pending.append(loop.run_in_executor(worker, self._generate_piece, job, item))

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
        """Run ``work`` (statistics and other whole-plan reductions) on a worker thread with a
        backend that stops when the job is cancelled (JobCancelled) and sends heavy tensors to
        the device's heavy worker; the job is released when it returns or fails."""
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._stats, work, _JobBackend(job))
        finally:
            job.release()

    async def deliver(self, body: AsyncIterator[bytes], send: Callable[[bytes], Awaitable[None]]) -> None:
        """Send ``body`` through ``send`` in slices of at most SEND_SLICE_BYTES; raise Stalled
        when one slice is not taken within ``stall_timeout`` seconds (the body is closed, which
        releases its job)."""
        timeout = self.settings.stall_timeout
        try:
            async for chunk in body:
                for pos in range(0, len(chunk), SEND_SLICE_BYTES):
                    try:
                        async with asyncio.timeout(timeout):
                            await send(chunk[pos : pos + SEND_SLICE_BYTES])
                    except TimeoutError:
                        with self._count_lock:
                            self.stalled_responses += 1
                        raise Stalled(f"the client took no data for {timeout:g} s") from None
        finally:
            close = getattr(body, "aclose", None)
            if close is not None:
                await close()

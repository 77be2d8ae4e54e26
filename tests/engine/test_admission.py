"""Admission: declared memory, light and heavy pools, per-client caps, stalls, pinned matrices."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest

from app.settings import Settings
from tensorseed.engine.backend import ReferenceBackend
from tensorseed.engine.capacity import JobTooLarge, OverCapacity
from tensorseed.engine.demand import Demand, is_heavy, stats_demand, stats_keep_bytes, stream_demand
from tensorseed.engine.service import Engine, JobCancelled, Stalled, light_job_bytes
from tensorseed.stream.orthogonal import MatrixCache
from tests.support import one_tensor, plan_of

MIB = 1024 * 1024


def engine(**kw: Any) -> Engine:
    return Engine(Settings(**kw), backend=ReferenceBackend())


def test_light_jobs_always_fit_and_heavy_jobs_share_the_rest() -> None:
    e = engine(memory_budget_bytes=512 * MIB, max_active_jobs=2)
    (device,) = e.devices
    assert device.light_pool.capacity == 2 * e.light_job_bytes
    assert device.heavy_pool.capacity == 512 * MIB - 2 * e.light_job_bytes

    async def scenario() -> None:
        big = Demand(device.heavy_pool.capacity - 10 * MIB, True)
        first = await e.admit(big, "a")
        with pytest.raises(OverCapacity, match="memory budget"):
            await e.admit(Demand(20 * MIB, True), "b")  # the heavy pool is spent: 429 now
        light = await e.admit(None, "b")  # light work is not affected
        with pytest.raises(JobTooLarge, match="memory_budget_bytes"):
            await e.admit(Demand(device.heavy_pool.capacity + 1, True), "c")  # never fits: 413
        first.release()
        light.release()
        assert device.heavy_pool.used == 0 and device.light_pool.used == 0

    asyncio.run(scenario())
    e.close()


def test_budget_must_leave_room_for_heavy_work() -> None:
    with pytest.raises(ValueError, match="memory_budget_bytes"):
        engine(memory_budget_bytes=64 * MIB, max_active_jobs=8)


def test_per_client_cap() -> None:
    e = engine(max_jobs_per_client=1)

    async def scenario() -> None:
        job = await e.admit(None, "alice")
        with pytest.raises(OverCapacity, match="per-client"):
            await e.admit(None, "alice")
        (await e.admit(None, "bob")).release()
        job.release()
        (await e.admit(None, "alice")).release()

    asyncio.run(scenario())
    e.close()


def test_demands_of_heavy_plans() -> None:
    ortho = plan_of(one_tensor({"scheme": "orthogonal"}, [256, 128]))
    (t,) = ortho.tensors
    assert is_heavy(t)
    demand = stream_demand(ortho.tensors, ortho.tensors, 4 * MIB, 2)
    assert demand.heavy and demand.bytes == 4 * 4 * MIB + 6 * 8 * 256 * 128
    torch_plan = plan_of({"seed": 1, "rng": "torch", "layers": [
        {"type": "linear", "name": "fc", "in_features": 64, "out_features": 32}]})  # fmt: skip
    weight = next(t for t in torch_plan.tensors if t.name == "fc.weight")
    # A range of the bias alone still produces the whole step (weight and bias).
    bias = next(t for t in torch_plan.tensors if t.name == "fc.bias")
    assert stream_demand(torch_plan.tensors, [bias], 4096, 1).bytes == 3 * 4096 + 7 * (
        weight.nbytes + bias.nbytes
    )
    light = plan_of(one_tensor({"scheme": "normal"}, [1000]))
    assert not stats_demand(light.tensors, 1 << 20, 4 * MIB).heavy


@pytest.mark.parametrize("chunk_bytes", [4096, 4 * MIB])
def test_statistics_declare_their_kept_chunks_within_a_light_share(chunk_bytes: int) -> None:
    """A float32 tensor over the keep budget: two chunks plus the kept ones are declared, and
    that is what a light job may hold (so the service's keep_bytes is always covered)."""
    elements = chunk_bytes // 4
    big = plan_of({"seed": 0, "dtype": "float32", "tensors": [
        {"name": "w", "shape": [40 * elements], "init": {"scheme": "normal"}}]})  # fmt: skip
    declared = stats_demand(big.tensors, elements, chunk_bytes).bytes
    assert declared == 2 * chunk_bytes + stats_keep_bytes(chunk_bytes) == light_job_bytes(chunk_bytes, 2)
    small = plan_of({"seed": 0, "dtype": "float32", "tensors": [
        {"name": "w", "shape": [3 * elements], "init": {"scheme": "normal"}}]})  # fmt: skip
    assert stats_demand(small.tensors, elements, chunk_bytes).bytes < declared  # kept: the tensor only


def test_deliver_cuts_a_client_that_takes_nothing() -> None:
    e = engine(stall_timeout=0.2)

    async def body() -> Any:
        yield b"x" * 10

    async def never_taken(data: bytes) -> None:
        await asyncio.sleep(10)

    with pytest.raises(Stalled):
        asyncio.run(e.deliver(body(), never_taken))
    assert e.stalled_responses == 1
    e.close()


def test_cancelled_statistics_stop_at_the_next_chunk() -> None:
    e = engine()
    calls: list[int] = []
    plan = plan_of(one_tensor({"scheme": "normal"}, [64]))

    async def scenario() -> None:
        job = await e.admit(None, "c")

        def work(backend: Any) -> None:
            for i in range(100):
                if i == 3:
                    job.cancel()  # the client went away
                backend.fill(plan.tensors[0], 0, 8)
                calls.append(i)

        with pytest.raises(JobCancelled):
            await e.run(job, work)

    asyncio.run(scenario())
    assert calls == [0, 1, 2] and e.slots.admitted == 0
    e.close()


def test_matrix_cache_bounds_bytes_but_keeps_pinned_entries() -> None:
    cache = MatrixCache(capacity=3 * 800)  # three 100-element binary64 matrices
    computed: list[str] = []

    def make(name: str) -> Any:
        return lambda: (computed.append(name), np.zeros(100))[1]

    cache.pin("a")
    for name in "abcd":
        cache.get(name, make(name))
    assert "a" in cache and "b" in cache and "c" in cache and "d" in cache  # a is pinned, not counted
    cache.get("e", make("e"))
    assert "b" not in cache and "a" in cache  # least recently used unpinned entry went
    cache.unpin("a")
    assert "a" not in cache and cache.unpinned_bytes <= 3 * 800
    for name in "cde":  # cycling over what fits never recomputes
        cache.get(name, make(name))
    assert computed == list("abcde") and cache.computed == 5

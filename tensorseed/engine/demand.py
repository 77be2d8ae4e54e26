"""What a job will hold: the memory it declares at admission, and whether it is heavy.

Light jobs generate elementwise tensors chunk by chunk: their memory is a few chunks. Heavy jobs
hold something whole while they run: an orthogonal matrix being factorized (tolerance tier), or
one torch-exact step (a layer's tensors, from torch's sequential generator). Heavy jobs have
their own slots, memory pool and worker, so a light job never waits behind one.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from tensorseed.recipe.plan import TensorPlan
from tensorseed.stream.orthogonal import DeltaOrthogonal, Orthogonal, matrix_identity

#: Peak memory of one torch-exact step in multiples of its tensors' bytes: the module's tensors
#: and the temporaries of the nn.init functions (trunc_normal_ 6.1, orthogonal_ 5.1 measured by
#: scripts/measure_heavy_memory.py).
TORCH_STEP_FACTOR = 7
#: Statistics decode each chunk to binary64 and square its deviations: bytes per element held.
STATS_BYTES_PER_ELEMENT = 8 * 4


@dataclass(frozen=True)
class Demand:
    """Declared bytes of a job, and which pool it draws from."""

    bytes: int
    heavy: bool


def matrix_key(tensor: TensorPlan) -> Hashable | None:
    """The cached matrix a tensor is sliced from (orthogonal schemes), else None."""
    sampler = tensor.sampler
    if tensor.torch_draw is None and isinstance(sampler, Orthogonal | DeltaOrthogonal):
        return matrix_identity(sampler, tensor.key)
    return None


def is_heavy(tensor: TensorPlan) -> bool:
    """Whether generating any element of this tensor computes something whole."""
    return tensor.torch_draw is not None or matrix_key(tensor) is not None


def heavy_bytes(tensors: Iterable[TensorPlan]) -> int:
    """Peak working memory of the heaviest single computation among ``tensors`` (a job does them
    one at a time, in file order), including the finished matrix it keeps pinned meanwhile.

    A torch-exact step produces all its tensors together, whichever one is asked for, so its
    size is summed over the whole plan's tensors of that step (``plan_tensors``).
    """
    peak = 0
    for t in tensors:
        sampler = t.sampler
        if t.torch_draw is None and isinstance(sampler, Orthogonal | DeltaOrthogonal):
            peak = max(peak, sampler.work_bytes)
    return peak


def torch_step_bytes(plan_tensors: Iterable[TensorPlan], wanted: Iterable[TensorPlan]) -> int:
    """Peak memory of the largest torch-exact step any of ``wanted`` belongs to."""
    steps: dict[tuple[int, int], int] = {}
    for t in plan_tensors:
        if t.torch_draw is not None:
            key = (id(t.torch_draw.program), t.torch_draw.step)
            steps[key] = steps.get(key, 0) + t.nbytes
    needed = [
        steps[(id(t.torch_draw.program), t.torch_draw.step)] for t in wanted if t.torch_draw is not None
    ]
    return TORCH_STEP_FACTOR * max(needed, default=0)


def _heaviest(plan_tensors: tuple[TensorPlan, ...], wanted: list[TensorPlan]) -> tuple[int, bool]:
    heavy = any(is_heavy(t) for t in wanted)
    return max(heavy_bytes(wanted), torch_step_bytes(plan_tensors, wanted)), heavy


def stream_demand(
    plan_tensors: tuple[TensorPlan, ...],
    wanted: Iterable[TensorPlan],
    chunk_bytes: int,
    chunks_in_flight: int,
) -> Demand:
    """A response body over ``wanted`` (tensors of the plan): the chunks generated ahead, the one
    being sent and the one in the socket's buffer, plus the heaviest whole computation."""
    extra, heavy = _heaviest(plan_tensors, list(wanted))
    return Demand((chunks_in_flight + 2) * chunk_bytes + extra, heavy)


def stats_keep_bytes(chunk_bytes: int) -> int:
    """Bytes of a float32/float64 tensor's chunks a statistics job keeps for its histogram pass
    (formats/stats.py): what the light job's share allows (``chunk_bytes`` plus the binary64
    temporaries of a 2-byte chunk) after the two chunks it holds besides them."""
    return max(0, (chunk_bytes // 2) * STATS_BYTES_PER_ELEMENT - chunk_bytes)


def stats_demand(plan_tensors: tuple[TensorPlan, ...], chunk_elements: int, chunk_bytes: int) -> Demand:
    """Statistics of a whole plan: a chunk and either its binary64 temporaries (the numpy
    reducer) or a second chunk plus the kept chunks of the largest float32/float64 tensor (the
    compiled one), plus the heaviest whole computation."""
    extra, heavy = _heaviest(plan_tensors, list(plan_tensors))
    largest = max((min(t.numel, chunk_elements) for t in plan_tensors), default=0)
    kept = max(
        (t.nbytes for t in plan_tensors if t.dtype.itemsize > 2 and t.numel > chunk_elements), default=0
    )
    work = max(largest * STATS_BYTES_PER_ELEMENT, chunk_bytes + min(kept, stats_keep_bytes(chunk_bytes)))
    return Demand(chunk_bytes + work + extra, heavy)

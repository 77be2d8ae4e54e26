"""Statistics sink: observed moments, range, histogram and sha256 of each tensor, streamed.

Observed values are read back from the exact bytes a file would hold, so the sha256 here is the
sha256 of that tensor's slice of ``/v1/weights``. Expected values come from the scheme's formula.
The reduction is compiled (``reduce.py``, ``_reduce.c``) and runs on each chunk as it is made.
"""

from __future__ import annotations

import hashlib
import math
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tensorseed.engine.backend import Backend
from tensorseed.engine.chunks import chunk_ranges
from tensorseed.formats import reduce as reducer
from tensorseed.recipe.export import Gathered
from tensorseed.recipe.plan import Plan, TensorPlan
from tensorseed.stream.dtypes import DType
from tensorseed.stream.fmath import F64
from tensorseed.stream.samplers import Constant, Indexed, Normal, Sampler, Uniform


def _pdf(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def expected(sampler: Sampler) -> dict[str, float | None]:
    """Mean, std and support of the distribution a sampler draws from (before dtype rounding)."""
    if isinstance(sampler, Constant):
        return {"mean": sampler.value, "std": 0.0, "min": sampler.value, "max": sampler.value}
    if isinstance(sampler, Uniform):
        return {
            "mean": (sampler.low + sampler.high) / 2.0,
            "std": (sampler.high - sampler.low) / math.sqrt(12.0),
            "min": sampler.low,
            "max": sampler.high,
        }
    if isinstance(sampler, Normal):
        return {"mean": sampler.mean, "std": sampler.std, "min": None, "max": None}
    if isinstance(sampler, Gathered):  # an exported tensor: the mixture of its sources
        return sampler.expected_with(expected)
    if isinstance(sampler, Indexed):
        return sampler.expected()
    # Truncated normal, in the mirrored frame the sampler uses (small CDF values stay precise).
    lo, hi = (-sampler.beta, -sampler.alpha) if sampler.flip else (sampler.alpha, sampler.beta)
    z = sampler.cdf_width
    shift = (_pdf(lo) - _pdf(hi)) / z
    var = 1.0 + (lo * _pdf(lo) - hi * _pdf(hi)) / z - shift * shift
    unit_mean = -shift if sampler.flip else shift
    return {
        "mean": sampler.mean + sampler.std * unit_mean,
        "std": sampler.std * math.sqrt(max(var, 0.0)),
        "min": sampler.low,
        "max": sampler.high,
    }


@dataclass
class _Moments:
    """Chan et al.'s parallel merge of (count, mean, M2), min and max."""

    count: int = 0
    mean: float = 0.0
    m2: float = 0.0
    low: float = math.inf
    high: float = -math.inf

    def merge(self, chunk: reducer.ChunkMoments) -> None:
        n = chunk.elements
        if n == 0:
            return
        total = self.count + n
        delta = chunk.mean - self.mean
        self.mean += delta * n / total
        self.m2 += chunk.m2 + delta * delta * self.count * n / total
        self.count = total
        self.low = min(self.low, chunk.low)
        self.high = max(self.high, chunk.high)


def _edges(low: float, high: float, bins: int) -> F64:
    if low == high:  # numpy's convention for a degenerate range
        low, high = low - 0.5, high + 0.5
    return np.linspace(low, high, bins + 1)


@dataclass
class TensorStats:
    tensor: TensorPlan
    bins: int
    moments: _Moments = field(default_factory=_Moments)
    digest: Any = field(default_factory=hashlib.sha256)

    def as_dict(self, edges: F64, counts: np.ndarray) -> dict[str, Any]:
        t, mo = self.tensor, self.moments
        return {
            "name": t.name,
            "shape": list(t.shape),
            "dtype": t.dtype.value,
            "scheme": t.scheme,
            "fan_in": t.fans.fan_in,
            "fan_out": t.fans.fan_out,
            "gain": t.gain,
            "expected": expected(t.sampler),
            "observed": {
                "count": mo.count,
                "mean": mo.mean,
                "std": math.sqrt(mo.m2 / mo.count),
                "min": mo.low,
                "max": mo.high,
            },
            "histogram": {"edges": edges.tolist(), "counts": counts.tolist()},
            "sha256": self.digest.hexdigest(),
        }


def _bin_of(values: F64, edges: F64) -> np.ndarray:
    """numpy.histogram's bin of each value in [edges[0], edges[-1]] (the last bin is closed)."""
    return np.minimum(np.searchsorted(edges, values, side="right") - 1, len(edges) - 2)


def counts_from_keys(keys: np.ndarray, dtype: DType, edges: F64) -> np.ndarray | None:
    """The histogram over ``edges`` from the chunks' 16-bit key counts, when they determine it:
    always for float16 and bfloat16 (a key is one value); for float32 and float64 when every
    occupied key bucket lies within one bin. None when a bucket straddles an edge."""
    if not np.isfinite(edges).all() or dtype not in reducer.DTYPE_CODES:
        return None
    occupied = np.flatnonzero(keys)
    weights = keys[occupied].astype(np.int64)
    low = np.clip(reducer.key_values(occupied, dtype, low_end=True), edges[0], edges[-1])
    bins = _bin_of(low, edges)
    if dtype.itemsize > 2:
        high = np.clip(reducer.key_values(occupied, dtype, low_end=False), edges[0], edges[-1])
        if np.any(_bin_of(high, edges) != bins):
            return None
    return np.bincount(bins, weights=weights, minlength=len(edges) - 1).astype(np.int64)


#: Bytes of a tensor's chunks the library keeps for the histogram pass of float32 and float64
#: (the service passes what a statistics job declares: engine/demand.py's stats_keep_bytes).
KEEP_BYTES = 60 << 20


def tensor_stats(
    backend: Backend,
    tensor: TensorPlan,
    chunk_elements: int,
    bins: int,
    keep_bytes: int = KEEP_BYTES,
    helper: ThreadPoolExecutor | None = None,
) -> dict[str, Any]:
    """One generation pass: each chunk goes to sha256 (on ``helper``, a one-thread executor,
    while the next chunk is generated) and to the compiled reducer (moments, range, 16-bit key
    counts) right after it is generated. The histogram over [min, max] then comes from the key
    counts for float16 and bfloat16. float32 and float64 need the range before they can be
    binned: their chunks are kept (up to ``keep_bytes``; a tensor of one chunk always) and binned
    in C once the range is known, half of them on ``helper``; only chunks beyond ``keep_bytes``
    are generated a second time. At most two chunks besides the kept ones are held at once.
    """
    if helper is None:
        with ThreadPoolExecutor(1, thread_name_prefix="tensorseed-stats-helper") as own:
            return tensor_stats(backend, tensor, chunk_elements, bins, keep_bytes, own)
    acc = TensorStats(tensor, bins)
    ranges = list(chunk_ranges(0, tensor.numel, chunk_elements))
    # Every value of a 16-bit dtype has its own key: their counts settle the histogram.
    keys = np.zeros(reducer.KEYS, dtype=np.uint64) if tensor.dtype.itemsize == 2 else None
    # A tensor of one chunk is binned from that chunk; the numpy reducer's temporaries take the
    # memory that kept chunks would use, so without the compiled one the others come again.
    keep = keys is None and (len(ranges) == 1 or reducer.AVAILABLE)
    kept: dict[int, bytes] = {}
    held = 0
    last = b""
    hashed: Future[None] | None = None
    for index, (start, count) in enumerate(ranges):
        last = backend.fill(tensor, start, count)  # the previous chunk is hashed meanwhile
        if hashed is not None:
            hashed.result()
        # sha256 and the reducer both release the GIL: they run side by side.
        hashed = helper.submit(acc.digest.update, last)
        acc.moments.merge(reducer.reduce(last, tensor.dtype, keys))
        if keep and (len(ranges) == 1 or held + len(last) <= keep_bytes):
            kept[index] = last
            held += len(last)
    if hashed is not None:
        hashed.result()
    del last
    edges = _edges(acc.moments.low, acc.moments.high, bins)
    counts = counts_from_keys(keys, tensor.dtype, edges) if keys is not None else None
    if counts is None:
        counts = np.zeros(bins, dtype=np.int64)
        if np.isfinite(edges).all():  # values beyond the dtype's range: no histogram to draw
            _histogram(backend, tensor, ranges, kept, edges, counts, helper)
    return acc.as_dict(edges, counts)


def _histogram(
    backend: Backend,
    tensor: TensorPlan,
    ranges: list[tuple[int, int]],
    kept: dict[int, bytes],
    edges: F64,
    counts: np.ndarray,
    helper: ThreadPoolExecutor,
) -> None:
    """counts += the histogram of every chunk: kept ones as they are, the others generated again;
    every other chunk is binned on ``helper`` (the reducer releases the GIL), one at a time."""
    table = reducer.bin_table(tensor.dtype, edges) if tensor.numel >= reducer.BULK_ELEMENTS else None
    side = np.zeros_like(counts)
    pending: Future[None] | None = None
    for index, (start, count) in enumerate(ranges):
        raw = kept.pop(index, None)
        if raw is None:
            raw = backend.fill(tensor, start, count)
        if index % 2 == 0:
            reducer.histogram(raw, tensor.dtype, edges, counts, table)
        else:
            if pending is not None:
                pending.result()
            pending = helper.submit(reducer.histogram, raw, tensor.dtype, edges, side, table)
        del raw  # the next chunk is made while at most one other (the helper's) is held
    if pending is not None:
        pending.result()
    counts += side


def plan_stats(
    plan: Plan, backend: Backend, chunk_elements: int, bins: int, keep_bytes: int = KEEP_BYTES
) -> dict[str, Any]:
    """Statistics for every tensor of a plan, in file order (``keep_bytes``: see tensor_stats)."""
    with ThreadPoolExecutor(1, thread_name_prefix="tensorseed-stats-helper") as helper:
        tensors = [tensor_stats(backend, t, chunk_elements, bins, keep_bytes, helper) for t in plan.tensors]
    return {
        "spec_version": plan.spec,
        "seed": str(plan.seed),
        "dtype": plan.dtype.value,
        "total_elements": plan.total_elements,
        "tensors": tensors,
    }

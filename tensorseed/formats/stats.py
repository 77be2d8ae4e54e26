"""Statistics sink: observed moments, range, histogram and sha256 of each tensor, streamed.

Observed values are read back from the exact bytes a file would hold, so the sha256 here is the
sha256 of that tensor's slice of ``/v1/weights``. Expected values come from the scheme's formula.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tensorseed.engine.backend import Backend
from tensorseed.engine.chunks import chunk_ranges
from tensorseed.recipe.plan import Plan, TensorPlan
from tensorseed.stream import SPEC_VERSION
from tensorseed.stream.dtypes import decode_to_float64
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
    """Chan et al.'s parallel merge of (count, mean, M2), min and max.

    ``scale`` (a power of two, so exact) multiplies values before the moments are taken, so
    squares of values near the binary64 limit do not overflow; ``mean`` and ``m2`` are kept
    in scaled units (``true_mean``, ``true_std`` undo it).
    """

    count: int = 0
    mean: float = 0.0
    m2: float = 0.0
    low: float = math.inf
    high: float = -math.inf
    scale: float = 1.0

    @property
    def true_mean(self) -> float:
        return self.mean / self.scale

    @property
    def true_std(self) -> float:
        return math.sqrt(self.m2 / self.count) / self.scale

    def update(self, x: F64) -> None:
        n = int(x.size)
        if n == 0:
            return
        self.low = min(self.low, float(x.min()))
        self.high = max(self.high, float(x.max()))
        if self.scale != 1.0:
            x = x * self.scale
        mean = float(x.mean())
        m2 = float(((x - mean) ** 2).sum())
        total = self.count + n
        delta = mean - self.mean
        self.mean += delta * n / total
        self.m2 += m2 + delta * delta * self.count * n / total
        self.count = total


#: Tensors whose values may exceed this magnitude have their moments taken scaled by 2^-600
#: (squares of up to 2^424, summed over 2^33 elements, stay finite).
_LARGE = 2.0**400


def moments_scale(sampler: Sampler) -> float:
    """1, or 2^-600 for samplers whose values are so large that their squares would overflow."""
    e = expected(sampler)
    reach = max(abs(v) for v in (e["min"], e["max"], e["mean"], 0.0) if v is not None)
    if e["std"] is not None:
        reach = max(reach, abs(e["mean"] or 0.0) + 10 * e["std"])
    return 2.0**-600 if not reach <= _LARGE else 1.0


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
                "mean": mo.true_mean,
                "std": mo.true_std,
                "min": mo.low,
                "max": mo.high,
            },
            "histogram": {"edges": edges.tolist(), "counts": counts.tolist()},
            "sha256": self.digest.hexdigest(),
        }


def tensor_stats(backend: Backend, tensor: TensorPlan, chunk_elements: int, bins: int) -> dict[str, Any]:
    """One pass for moments, range and sha256; a second for the histogram over [min, max].

    A tensor that fits in one chunk is generated once.
    """
    acc = TensorStats(tensor, bins)
    acc.moments.scale = moments_scale(tensor.sampler)
    ranges = list(chunk_ranges(0, tensor.numel, chunk_elements))
    last: F64 | None = None
    for start, count in ranges:
        raw = backend.fill(tensor, start, count)
        acc.digest.update(raw)
        last = decode_to_float64(raw, tensor.dtype)
        acc.moments.update(last)
    edges = _edges(acc.moments.low, acc.moments.high, bins)
    counts = np.zeros(bins, dtype=np.int64)
    if len(ranges) == 1 and last is not None:
        counts += np.histogram(last, bins=edges)[0]
    else:
        for start, count in ranges:
            values = decode_to_float64(backend.fill(tensor, start, count), tensor.dtype)
            counts += np.histogram(values, bins=edges)[0]
    return acc.as_dict(edges, counts)


def plan_stats(plan: Plan, backend: Backend, chunk_elements: int, bins: int) -> dict[str, Any]:
    """Statistics for every tensor of a plan, in file order."""
    return {
        "spec_version": SPEC_VERSION,
        "seed": str(plan.seed),
        "dtype": plan.dtype.value,
        "total_elements": plan.total_elements,
        "tensors": [tensor_stats(backend, t, chunk_elements, bins) for t in plan.tensors],
    }

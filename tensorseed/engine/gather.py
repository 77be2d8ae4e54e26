"""Fast path for exported tensors that are a permutation of one source tensor (transposed dense,
convolution, recurrent and attention kernels): the compiled kernel fills the source's elements
run by run, and numpy transposes them into place.

The readable definition is the reference's gather (``tensorseed.recipe.export.Gathered``); this
path gives the same bytes (tests/engine/test_gather.py) with memory for the range only: a range
of the exported tensor is cut into boxes, each box is the transpose of a box of the source, and a
source box is a set of runs along the source's last axis.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from tensorseed.recipe.export import Expr, Gathered, Reshape, Src, Transpose
from tensorseed.recipe.plan import TensorPlan
from tensorseed.stream import kernel
from tensorseed.stream.dtypes import DType
from tensorseed.stream.samplers import Constant, Normal, TruncNormal, Uniform

Box = tuple[tuple[int, ...], tuple[int, ...]]
_ELEMENTWISE = (Constant, Uniform, Normal, TruncNormal)
_UINT = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


@dataclass(frozen=True)
class Permutation:
    """The exported tensor, read flat, is ``transpose(reshape(source, inner), axes)`` read flat."""

    source: Src
    inner: tuple[int, ...]
    axes: tuple[int, ...]


def permutation_of(expr: Expr) -> Permutation | None:
    """``expr`` as reshape(transpose(reshape(source))), each step optional; None otherwise."""
    x = expr.inner if isinstance(expr, Reshape) else expr
    axes: tuple[int, ...] | None = None
    if isinstance(x, Transpose):
        axes, x = x.axes, x.inner
    inner = x.shape
    if isinstance(x, Reshape):
        x = x.inner
    if not isinstance(x, Src):
        return None
    return Permutation(x, inner, axes if axes is not None else tuple(range(len(inner))))


def boxes(start: int, stop: int, shape: tuple[int, ...]) -> Iterator[Box]:
    """Boxes (first index, extents) that cover flat elements [start, stop) of ``shape`` in order."""
    if start >= stop:
        return
    if not shape:
        yield (), ()
        return
    inner = math.prod(shape[1:])
    i0, r0 = divmod(start, inner)
    i1, r1 = divmod(stop, inner)
    if i0 == i1:
        for s, e in boxes(r0, r1, shape[1:]):
            yield (i0, *s), (1, *e)
        return
    if r0:
        for s, e in boxes(r0, inner, shape[1:]):
            yield (i0, *s), (1, *e)
        i0 += 1
    if i1 > i0:
        yield (i0, *(0,) * (len(shape) - 1)), (i1 - i0, *shape[1:])
    if r1:
        for s, e in boxes(0, r1, shape[1:]):
            yield (i1, *s), (1, *e)


def permuted_fill(tensor: TensorPlan, start: int, count: int) -> bytes | None:
    """Bytes of elements [start, start + count) of an exported tensor by the compiled kernel, or
    None where this path does not apply (the caller then uses the reference)."""
    sampler = tensor.sampler
    if not (kernel.AVAILABLE and isinstance(sampler, Gathered) and len(sampler.sources) == 1):
        return None
    perm = permutation_of(sampler.expr)
    source = sampler.sources[0]
    if perm is None or not isinstance(source.sampler, _ELEMENTWISE) or tensor.dtype is DType.int64:
        return None
    zeroed = None
    if source.zero_row is not None:
        row = math.prod(source.shape[1:])
        zeroed = (source.zero_row * row, (source.zero_row + 1) * row)
    itemsize = tensor.dtype.itemsize
    inner = perm.inner
    outer = tuple(inner[a] for a in perm.axes)
    strides = [math.prod(inner[k + 1 :]) for k in range(len(inner))]
    out = bytearray(count * itemsize)
    pos = 0
    for first, extents in boxes(start, start + count, outer):
        # The source box: axis perm.axes[k] spans extents[k] from first[k].
        src_first = [0] * len(inner)
        src_ext = [1] * len(inner)
        for k, a in enumerate(perm.axes):
            src_first[a], src_ext[a] = first[k], extents[k]
        n = math.prod(src_ext)
        buf = bytearray(n * itemsize)
        view = memoryview(buf)
        run = src_ext[-1] if src_ext else 1
        base = sum(f * s for f, s in zip(src_first, strides, strict=True))
        leading = np.indices(src_ext[:-1]).reshape(len(src_ext) - 1, -1) if len(src_ext) > 1 else None
        offsets = (
            [0] if leading is None else (np.asarray(strides[:-1])[:, None] * leading).sum(axis=0).tolist()
        )
        for i, offset in enumerate(offsets):
            kernel.fill(
                view[i * run * itemsize : (i + 1) * run * itemsize],
                source.sampler, source.key, base + int(offset), run, tensor.dtype, zeroed, 1,
            )  # fmt: skip
        box = np.frombuffer(buf, dtype=_UINT[itemsize]).reshape(src_ext).transpose(perm.axes)
        out[pos : pos + n * itemsize] = np.ascontiguousarray(box).tobytes()
        pos += n * itemsize
    return bytes(out)

"""Which elements of the unsharded tensor a rank holds, as runs of the seekable stream.

A DTensor's local shard is a box of the global tensor: along each mesh dimension with
``Shard(d)`` the tensor dimension ``d`` is cut as ``torch.chunk`` cuts it (pieces of
``ceil(n / k)``, the last ones shorter or empty: uneven shards), in mesh-dimension order;
``Replicate()`` keeps it whole. In row-major order a box is a set of equally long runs of
consecutive elements: one run for a shard along dim 0, one run per row for a shard along dim 1.
Each run is generated where it lands in the local tensor, starting at its element index in the
unsharded tensor, so no rank ever computes (or holds) what other ranks hold.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """The part of a tensor of ``global_shape`` that starts at ``offset`` and spans ``shape``."""

    global_shape: tuple[int, ...]
    offset: tuple[int, ...]
    shape: tuple[int, ...]

    @property
    def numel(self) -> int:
        return math.prod(self.shape)


def whole(shape: Sequence[int]) -> Box:
    return Box(tuple(shape), (0,) * len(shape), tuple(shape))


def chunk(size: int, pieces: int, index: int) -> tuple[int, int]:
    """(start, length) of piece ``index`` when ``torch.chunk`` cuts ``size`` into ``pieces``."""
    step = -(-size // pieces) if size else 0
    start = min(index * step, size)
    return start, max(0, min(step, size - start))


def shard_box(
    global_shape: Sequence[int],
    mesh_sizes: Sequence[int],
    coordinate: Sequence[int],
    shard_dims: Sequence[int | None],
) -> Box:
    """The box a rank holds: ``shard_dims[i]`` is the tensor dim that mesh dim ``i`` shards, or
    None where it replicates; ``coordinate`` is the rank's position on the mesh."""
    offset = [0] * len(global_shape)
    shape = list(global_shape)
    for size, index, dim in zip(mesh_sizes, coordinate, shard_dims, strict=True):
        if dim is None:
            continue
        start, length = chunk(shape[dim], size, index)
        offset[dim] += start
        shape[dim] = length
    return Box(tuple(global_shape), tuple(offset), tuple(shape))


def runs(box: Box) -> Iterator[tuple[int, int, int]]:
    """(global element start, local element start, count) of every run of a box, in local order."""
    if box.numel == 0:
        return
    dims = len(box.shape)
    # The last dim where the box is narrower than the tensor: every dim after it is whole, so
    # a run covers the box's extent there times everything that follows.
    split = max((d for d in range(dims) if box.shape[d] != box.global_shape[d]), default=-1)
    if split < 0:
        yield 0, 0, box.numel
        return
    strides = [math.prod(box.global_shape[d + 1 :]) for d in range(dims)]
    length = math.prod(box.shape[split:])
    first = box.offset[split] * strides[split]
    outer = [range(box.offset[d], box.offset[d] + box.shape[d]) for d in range(split)]
    for local, index in enumerate(itertools.product(*outer)):
        start = first + sum(i * strides[d] for d, i in enumerate(index))
        yield start, local * length, length

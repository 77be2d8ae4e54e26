"""Shard boxes and their runs: the elements of a slice of the unsharded tensor, in local order."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from tensorseed.torch.shards import Box, chunk, runs, shard_box, whole


def elements(box: Box) -> list[int]:
    """The flat global indices a box's runs name, in the order they land locally."""
    out: list[int] = []
    local = 0
    for start, at, count in runs(box):
        assert at == local  # runs tile the local tensor in order, with no gaps
        out += range(start, start + count)
        local += count
    return out


def test_chunk_cuts_as_torch_chunk_does() -> None:
    torch = pytest.importorskip("torch")
    for size, pieces in itertools.product(range(0, 12), range(1, 6)):
        parts = [len(p) for p in torch.arange(size).chunk(pieces)] if size else []
        cut = [chunk(size, pieces, i)[1] for i in range(pieces)]
        assert [c for c in cut if c] == parts, (size, pieces)
        assert sum(cut) == size


@pytest.mark.parametrize("shape", [(7,), (7, 10), (5, 3, 4), (2, 9, 1, 3)])
@pytest.mark.parametrize("mesh", [(4,), (2, 2), (3, 2)])
def test_every_placement_gives_the_numpy_slice(shape: tuple[int, ...], mesh: tuple[int, ...]) -> None:
    index = np.arange(int(np.prod(shape))).reshape(shape)
    options = [None, *range(len(shape))]
    for dims in itertools.product(options, repeat=len(mesh)):
        covered: list[int] = []
        for coordinate in itertools.product(*(range(n) for n in mesh)):
            box = shard_box(shape, mesh, coordinate, dims)
            expected = index[tuple(slice(o, o + s) for o, s in zip(box.offset, box.shape, strict=True))]
            assert elements(box) == expected.reshape(-1).tolist(), (dims, coordinate)
            covered += elements(box)
        replicas = int(np.prod([n for n, d in zip(mesh, dims, strict=True) if d is None]))
        assert sorted(covered) == sorted(index.reshape(-1).tolist() * replicas), dims


def test_a_shard_along_dim_0_is_one_run_and_along_dim_1_one_run_per_row() -> None:
    assert list(runs(shard_box((8, 6), (2,), (1,), (0,)))) == [(24, 0, 24)]
    assert list(runs(shard_box((3, 6), (2,), (1,), (1,)))) == [(3, 0, 3), (9, 3, 3), (15, 6, 3)]
    assert list(runs(whole((4, 5)))) == [(0, 0, 20)]
    assert list(runs(shard_box((1, 6), (4,), (3,), (0,)))) == []  # an empty shard (uneven)

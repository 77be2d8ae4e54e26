"""Chunking: a tensor's element range split into pieces of bounded size."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tensorseed.engine.backend import Backend
from tensorseed.recipe.plan import TensorPlan


def chunk_ranges(start: int, stop: int, chunk_elements: int) -> Iterator[tuple[int, int]]:
    """(start, count) pieces covering [start, stop), each at most chunk_elements long."""
    if chunk_elements < 1:
        raise ValueError("chunk_elements must be positive")
    pos = start
    while pos < stop:
        count = min(chunk_elements, stop - pos)
        yield pos, count
        pos += count


def iter_tensor_bytes(
    backend: Backend, tensor: TensorPlan, chunk_elements: int, start: int = 0, stop: int | None = None
) -> Iterator[bytes]:
    """Bytes of elements [start, stop) of a tensor, one bounded chunk at a time."""
    end = tensor.numel if stop is None else stop
    for pos, count in chunk_ranges(start, end, chunk_elements):
        yield backend.fill(tensor, pos, count)


def plan_pieces(tensors: Iterable[TensorPlan], chunk_elements: int) -> Iterator[tuple[TensorPlan, int, int]]:
    """(tensor, start, count) for every chunk of every tensor, in file order.

    Each piece is computable on its own (the stream is seekable), which is what lets the engine
    generate several ahead of the one being sent.
    """
    for tensor in tensors:
        for pos, count in chunk_ranges(0, tensor.numel, chunk_elements):
            yield tensor, pos, count


@dataclass(frozen=True)
class Piece:
    """Generate elements [start, start + count) of a tensor and keep bytes [lo, hi) of them."""

    tensor: TensorPlan
    start: int
    count: int
    lo: int
    hi: int


def fill_piece(backend: Backend, piece: Piece) -> bytes:
    chunk = backend.fill(piece.tensor, piece.start, piece.count)
    return chunk if (piece.lo, piece.hi) == (0, len(chunk)) else chunk[piece.lo : piece.hi]

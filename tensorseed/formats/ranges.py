"""Byte ranges of a safetensors file -> header slice + per-tensor element ranges.

Because every element of every tensor can be generated on its own (the stream is seekable), a
byte range costs work proportional to its length, not to its offset: only the tensors, and
within them only the elements, that the range overlaps are generated. Ranges may start or end
in the middle of an element (or of a Philox block); the covering elements are generated and
the extra bytes at either end are dropped.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from tensorseed.engine.backend import Backend
from tensorseed.engine.chunks import Piece, chunk_ranges, fill_piece
from tensorseed.formats.safetensors import FileLayout
from tensorseed.recipe.plan import Plan, TensorPlan


@dataclass(frozen=True)
class HeaderSlice:
    """Bytes [start, stop) of the header (length prefix included)."""

    start: int
    stop: int


@dataclass(frozen=True)
class TensorSlice:
    """Bytes [byte_start, byte_stop) of one tensor's data, relative to that tensor's start.

    ``first_element``/``stop_element`` are the elements that cover those bytes.
    """

    tensor: TensorPlan
    byte_start: int
    byte_stop: int

    @property
    def first_element(self) -> int:
        return self.byte_start // self.tensor.dtype.itemsize

    @property
    def stop_element(self) -> int:
        return -(-self.byte_stop // self.tensor.dtype.itemsize)


Slice = HeaderSlice | TensorSlice


def map_byte_range(plan: Plan, file_layout: FileLayout, start: int, stop: int) -> list[Slice]:
    """The pieces that make up bytes [start, stop) of the file, in file order.

    O(log tensors + pieces); nothing is generated. Raises ValueError outside the file.
    """
    size = file_layout.total_size(plan)
    if not 0 <= start <= stop <= size:
        raise ValueError(f"byte range [{start}, {stop}) is outside a file of {size} bytes")
    pieces: list[Slice] = []
    data_start = file_layout.data_start
    if start < min(stop, data_start):
        pieces.append(HeaderSlice(start, min(stop, data_start)))
    offsets = file_layout.data_offsets
    # The last tensor starting at or before `start` may overlap it; earlier ones cannot.
    index = max(0, bisect.bisect_right(offsets, start - data_start) - 1)
    for tensor, offset in zip(plan.tensors[index:], offsets[index:], strict=True):
        begin = data_start + offset
        if begin >= stop:
            break
        lo, hi = max(start, begin), min(stop, begin + tensor.nbytes)
        if lo < hi:
            pieces.append(TensorSlice(tensor, lo - begin, hi - begin))
    return pieces


def range_pieces(
    plan: Plan, file_layout: FileLayout, chunk_elements: int, start: int, stop: int
) -> Iterator[bytes | Piece]:
    """Bytes [start, stop) of the file as literal header bytes and bounded generation pieces.

    Each piece is independent of the others (the stream is seekable), so an engine may
    generate several ahead of the one being sent, as it does for whole files.
    """
    for piece in map_byte_range(plan, file_layout, start, stop):
        if isinstance(piece, HeaderSlice):
            yield file_layout.header[piece.start : piece.stop]
            continue
        itemsize = piece.tensor.dtype.itemsize
        for pos, count in chunk_ranges(piece.first_element, piece.stop_element, chunk_elements):
            begin = pos * itemsize  # byte position of this chunk within the tensor
            lo = max(0, piece.byte_start - begin)
            hi = min(count * itemsize, piece.byte_stop - begin)
            yield Piece(piece.tensor, pos, count, lo, hi)


def iter_byte_range(
    plan: Plan, file_layout: FileLayout, backend: Backend, chunk_elements: int, start: int, stop: int
) -> Iterator[bytes]:
    """Bytes [start, stop) of the file, equal to that slice of the whole file, chunk by chunk."""
    for item in range_pieces(plan, file_layout, chunk_elements, start, stop):
        yield item if isinstance(item, bytes) else fill_piece(backend, item)

"""Per-chunk statistics of tensor bytes: the compiled reducer (``_reduce.c``) or its numpy equivalent.

Both read the bytes exactly as served (no float64 copy in the compiled path) and give the same
results: the chunk's count, mean, sum of squared deviations, min and max; counts of each value's
16-bit order key (the whole value for float16 and bfloat16, the top 16 bits for float32 and
float64); and numpy.histogram counts over given edges (the compiled one bins whole 16-bit key
buckets by a table, ``bin_table``, and compares only values of buckets that straddle an edge).
tests/formats/test_reduce.py compares them.
"""

from __future__ import annotations

from types import ModuleType
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from tensorseed.stream.dtypes import DType, decode_to_float64

_module: ModuleType | None
try:
    from tensorseed.formats import _reduce as _module
except ImportError:  # built without a compiler: numpy does the same, slower
    _module = None

AVAILABLE = _module is not None
KEYS = 1 << 16
#: Chunks this long or longer take the compiled reducer's bulk paths (one-pass sums, key-bucket
#: bin table); shorter ones go element by element (_reduce.c's SMALL).
BULK_ELEMENTS = 8192
DTYPE_CODES = {DType.float32: 0, DType.float64: 1, DType.float16: 2, DType.bfloat16: 3}
_INF_BITS = {DType.float32: 0x7F800000, DType.float64: 0x7FF0000000000000, DType.float16: 0x7C00,
             DType.bfloat16: 0x7F80}  # fmt: skip
_UNSIGNED = {DType.float32: "<u4", DType.float64: "<u8", DType.float16: "<u2", DType.bfloat16: "<u2"}


class ChunkMoments(NamedTuple):
    elements: int
    mean: float
    m2: float
    low: float
    high: float


def order_keys(raw: bytes, dtype: DType) -> npt.NDArray[np.uint64]:
    """Top 16 bits of each element's order-preserving key (monotone in the value)."""
    bits = np.frombuffer(raw, dtype=_UNSIGNED[dtype]).astype(np.uint64)
    width = 8 * dtype.itemsize
    sign = np.uint64(1 << (width - 1))
    full = np.uint64((1 << width) - 1)
    keyed = np.where(bits & sign, ~bits & full, bits | sign)
    return keyed >> np.uint64(width - 16)


def key_values(keys: npt.NDArray[np.int64], dtype: DType, low_end: bool) -> npt.NDArray[np.float64]:
    """The smallest (``low_end``) or largest value whose key is each of ``keys``."""
    width = 8 * dtype.itemsize
    shift = np.uint64(width - 16)
    fill = np.uint64(0) if low_end else np.uint64((1 << (width - 16)) - 1)
    keyed = (keys.astype(np.uint64) << shift) | fill
    sign = np.uint64(1 << (width - 1))
    full = np.uint64((1 << width) - 1)
    bits = np.where(keyed & sign, keyed & ~sign & full, ~keyed & full)
    # Past infinity a bucket holds NaN patterns, which are never generated: end it at infinity.
    inf = np.uint64(_INF_BITS[dtype])
    bits = np.where(bits & ~sign & full > inf, (bits & sign) | inf, bits)
    return decode_to_float64(bits.astype(_UNSIGNED[dtype]).tobytes(), dtype)


def reduce(raw: bytes, dtype: DType, key_counts: npt.NDArray[np.uint64] | None) -> ChunkMoments:
    """Moments and range of one chunk; adds its elements to ``key_counts`` (uint64[65536]) if given."""
    if _module is not None and dtype in DTYPE_CODES:
        return ChunkMoments(*_module.reduce(raw, DTYPE_CODES[dtype], key_counts))
    x = decode_to_float64(raw, dtype)
    if key_counts is not None and dtype in _UNSIGNED:  # int64 buffers have no float key
        np.add.at(key_counts, order_keys(raw, dtype).astype(np.intp), np.uint64(1))
    if x.size == 0:
        return ChunkMoments(0, 0.0, 0.0, float("inf"), float("-inf"))
    mean = float(x.mean())
    return ChunkMoments(int(x.size), mean, float(((x - mean) ** 2).sum()), float(x.min()), float(x.max()))


def bin_table(dtype: DType, edges: npt.NDArray[np.float64]) -> bytes | None:
    """The compiled reducer's bin of each 16-bit key bucket for these edges (see ``histogram``),
    built once for all the chunks of a tensor; None where the reducer does not handle ``dtype``."""
    if _module is None or dtype not in DTYPE_CODES:
        return None
    table: bytes = _module.bin_table(DTYPE_CODES[dtype], np.ascontiguousarray(edges, dtype=np.float64))
    return table


def histogram(
    raw: bytes,
    dtype: DType,
    edges: npt.NDArray[np.float64],
    counts: npt.NDArray[np.int64],
    table: bytes | None = None,
) -> None:
    """``counts += numpy.histogram(values, edges)[0]`` for the chunk's values (``table``:
    ``bin_table(dtype, edges)``, or None to let the reducer build it)."""
    if _module is not None and dtype in DTYPE_CODES:
        _module.histogram(
            raw, DTYPE_CODES[dtype], np.ascontiguousarray(edges, dtype=np.float64), counts, table
        )
        return
    counts += np.histogram(decode_to_float64(raw, dtype), bins=edges)[0]

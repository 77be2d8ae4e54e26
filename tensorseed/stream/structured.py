"""Structured samplers: values fixed by the element's position (and, for sparse, a seekable mask).

All are exact tier: integer index arithmetic plus at most one binary64 product per element, so
any element range is computed on its own (seekable) and bit-identically in any language.
``docs/stream-spec.md`` section 6.2 defines each of them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from tensorseed.stream.fmath import F64
from tensorseed.stream.key import StreamKey
from tensorseed.stream.samplers import Indexed, Normal, Normal32, sample
from tensorseed.stream.words import stream_words, words_at

I64 = npt.NDArray[np.int64]
U64 = npt.NDArray[np.uint64]


def element_indices(start: int, count: int) -> I64:
    """Row-major flat indices of elements [start, start + count)."""
    return np.arange(start, start + count, dtype=np.int64)


def _moments_of_two_values(value: float, hits: int, total: int) -> dict[str, float | None]:
    """Moments of a tensor holding ``value`` at ``hits`` of ``total`` positions and 0 elsewhere."""
    mean = value * hits / total
    var = value * value * hits / total - mean * mean
    low, high = (min(value, 0.0), max(value, 0.0)) if hits < total else (value, value)
    return {"mean": mean, "std": math.sqrt(max(var, 0.0)), "min": low, "max": high}


@dataclass(frozen=True)
class Eye(Indexed):
    """``value`` where row == column of a 2-D (rows, cols) tensor, 0 elsewhere (eye_, Keras Identity)."""

    rows: int
    cols: int
    value: float

    def values(self, key: StreamKey, start: int, count: int, wide: bool) -> F64:
        e = element_indices(start, count)
        return np.where(e // self.cols == e % self.cols, self.value, 0.0)

    def expected(self) -> dict[str, float | None]:
        return _moments_of_two_values(self.value, min(self.rows, self.cols), self.rows * self.cols)

    def extremes(self) -> tuple[float, ...]:
        return (self.value,)


@dataclass(frozen=True)
class Dirac(Indexed):
    """1 at the centre tap of (out, in) pairs with in == out mod (out / groups); 0 elsewhere.

    ``out_axis``/``in_axis`` and the spatial axes follow the tensor's layout; ``centres`` holds the
    centre index of each spatial axis (k // 2 for torch's dirac_).
    """

    shape: tuple[int, ...]
    out_axis: int
    in_axis: int
    groups: int
    centres: tuple[int, ...]

    @property
    def spatial_axes(self) -> tuple[int, ...]:
        return tuple(a for a in range(len(self.shape)) if a not in (self.out_axis, self.in_axis))

    @property
    def ones(self) -> int:
        per_group = self.shape[self.out_axis] // self.groups
        return self.groups * min(per_group, self.shape[self.in_axis])

    def values(self, key: StreamKey, start: int, count: int, wide: bool) -> F64:
        index = np.unravel_index(element_indices(start, count), self.shape)
        per_group = self.shape[self.out_axis] // self.groups
        d = index[self.out_axis] % per_group
        hit = (d < self.shape[self.in_axis]) & (index[self.in_axis] == d)
        for axis, centre in zip(self.spatial_axes, self.centres, strict=True):
            hit &= index[axis] == centre
        return np.where(hit, 1.0, 0.0)

    def expected(self) -> dict[str, float | None]:
        return _moments_of_two_values(1.0, self.ones, math.prod(self.shape))

    def extremes(self) -> tuple[float, ...]:
        return (1.0,)


def parity_of_and(i: I64, j: I64) -> I64:
    """popcount(i & j) mod 2, by xor-folding the 64-bit word (integer operations only)."""
    x = (i & j).astype(np.uint64)
    for shift in (32, 16, 8, 4, 2, 1):
        x = x ^ (x >> np.uint64(shift))
    return (x & np.uint64(1)).astype(np.int64)


# Bounded: a long-running server sees ever new (rows, cols); each call adds O(log) entries.
@lru_cache(maxsize=4096)
def hadamard_sum(rows: int, cols: int) -> int:
    """Sum of the entries of the top-left (rows, cols) block of a Sylvester Hadamard matrix."""
    if rows == 0 or cols == 0:
        return 0
    size = 1 << max(rows - 1, cols - 1).bit_length()
    if rows == size or cols == size:
        # Complete columns (or rows) of H_size sum to 0 except column (row) 0, which sums to size.
        return size
    half = size // 2
    top = hadamard_sum(min(rows, half), min(cols, half))
    right = hadamard_sum(min(rows, half), cols - half) if cols > half else 0
    bottom = hadamard_sum(rows - half, min(cols, half)) if rows > half else 0
    corner = -hadamard_sum(rows - half, cols - half) if rows > half and cols > half else 0
    return top + right + bottom + corner


@dataclass(frozen=True)
class ZerO(Indexed):
    """ZerO (Zhao et al. 2022) on a (P, Q) matrix with y = W x: P <= Q: partial identity;
    P > Q: the top-left (P, Q) block of H_p / sqrt(p), H_p the Sylvester Hadamard matrix of order
    p = 2^ceil(log2 P), H[i, j] = (-1)^popcount(i & j). ``transposed`` stores W^T (Keras/Flax (in, out)).
    """

    out_features: int
    in_features: int
    transposed: bool

    @property
    def order(self) -> int:
        return 1 << (self.out_features - 1).bit_length()

    @property
    def scale(self) -> float:
        return 1.0 / math.sqrt(float(self.order))

    def values(self, key: StreamKey, start: int, count: int, wide: bool) -> F64:
        e = element_indices(start, count)
        if self.transposed:
            j, i = e // self.out_features, e % self.out_features
        else:
            i, j = e // self.in_features, e % self.in_features
        if self.out_features <= self.in_features:
            return np.where(i == j, 1.0, 0.0)
        c = self.scale
        return np.where(parity_of_and(i, j) == 0, c, -c)

    def expected(self) -> dict[str, float | None]:
        total = self.out_features * self.in_features
        if self.out_features <= self.in_features:
            return _moments_of_two_values(1.0, self.out_features, total)
        c = self.scale
        mean = c * hadamard_sum(self.out_features, self.in_features) / total
        return {"mean": mean, "std": math.sqrt(max(c * c - mean * mean, 0.0)), "min": -c, "max": c}

    def extremes(self) -> tuple[float, ...]:
        return (1.0,)


@dataclass(frozen=True)
class GateSlice(Indexed):
    """``value`` on elements [length/4, length/2) of a 1-D (4 * hidden) bias, 0 elsewhere.

    torch's LSTM gates are ordered (i, f, g, o) and Keras' (i, f, c, o): the forget gate is the
    second quarter in both.
    """

    length: int
    value: float

    def values(self, key: StreamKey, start: int, count: int, wide: bool) -> F64:
        e = element_indices(start, count)
        quarter = self.length // 4
        return np.where((e >= quarter) & (e < 2 * quarter), self.value, 0.0)

    def expected(self) -> dict[str, float | None]:
        return _moments_of_two_values(self.value, self.length // 4, self.length)

    def extremes(self) -> tuple[float, ...]:
        return (self.value,)


FEISTEL_ROUNDS = 4


def feistel_half_bits(n: int) -> int:
    """Half width h of the Feistel domain [0, 4^h): the smallest h >= 1 with 4^h >= n."""
    return max(1, ((n - 1).bit_length() + 1) // 2)


def _round_function(mask_key: StreamKey, cols: U64, h: int) -> Callable[[U64, int, U64], U64]:
    """F(c, r, R) = word[((c * 4 + r) << h) + R] of the mask stream, as a lookup.

    The words of one column are contiguous, so a chunk spanning few columns reads one contiguous
    table instead of gathering word by word; both read the same words.
    """
    hh = np.uint64(h)
    rounds = np.uint64(FEISTEL_ROUNDS)
    lo, hi = int(cols.min()), int(cols.max())
    span = ((hi - lo + 1) * FEISTEL_ROUNDS) << h
    if span <= FEISTEL_ROUNDS * cols.size:
        table = stream_words(mask_key, (lo * FEISTEL_ROUNDS) << h, span).astype(np.uint64)
        base = np.uint64(lo)

        def lookup(c: U64, r: int, right: U64) -> U64:
            words: U64 = table[(((c - base) * rounds + np.uint64(r)) << hh) + right]
            return words

        return lookup

    def gather(c: U64, r: int, right: U64) -> U64:
        return words_at(mask_key, ((c * rounds + np.uint64(r)) << hh) + right).astype(np.uint64)

    return gather


def column_permutation(mask_key: StreamKey, n: int, rows: I64, cols: I64) -> I64:
    """pi_col(row): a pseudo-random permutation of [0, n) per column, by cycle-walking a Feistel net.

    Round r of column c uses F(R) = word[((c * 4 + r) << h) + R] & (2^h - 1) of the mask stream.
    """
    h = feistel_half_bits(n)
    mask = np.uint64((1 << h) - 1)
    hh = np.uint64(h)
    x = rows.astype(np.uint64)
    col = cols.astype(np.uint64)
    if x.size == 0:
        return x.astype(np.int64)
    f = _round_function(mask_key, col, h)
    pending = np.ones(x.shape, dtype=bool)
    while pending.any():
        left = x[pending] >> hh
        right = x[pending] & mask
        c = col[pending]
        for r in range(FEISTEL_ROUNDS):
            left, right = right, left ^ (f(c, r, right) & mask)
        x[pending] = (left << hh) | right
        pending &= x >= np.uint64(n)
    return x.astype(np.int64)


@dataclass(frozen=True)
class Sparse(Indexed):
    """torch sparse_: N(0, std) values with exactly ``zeros`` zeros per column of a (rows, cols) tensor.

    The value of element e is Normal(0, std) of e's own words, as usual (``binary32``: v2's
    Normal32, for float32/float16/bfloat16 outputs of tensorseed-stream/2). Element (i, j) is
    zeroed when pi_j(i) < zeros, pi_j a seekable permutation drawn from the *mask stream*
    (``mask_key``).
    """

    rows: int
    cols: int
    std: float
    zeros: int
    mask_key: StreamKey
    binary32: bool = False

    def values(self, key: StreamKey, start: int, count: int, wide: bool) -> F64:
        normal = Normal32(0.0, self.std) if self.binary32 else Normal(0.0, self.std)
        out = sample(normal, key, start, count, wide)
        if self.zeros == 0:
            return out
        e = element_indices(start, count)
        rank = column_permutation(self.mask_key, self.rows, e // self.cols, e % self.cols)
        out[rank < self.zeros] = 0.0
        return out

    def expected(self) -> dict[str, float | None]:
        kept = (self.rows - self.zeros) / self.rows
        return {"mean": 0.0, "std": self.std * math.sqrt(kept), "min": None, "max": None}

    def extremes(self) -> tuple[float, ...]:
        return ()


def check_feistel_range(rows: int, cols: int) -> bool:
    """Whether every mask word index ((c * 4 + r) << h) + R fits in 64 bits."""
    return ((cols * FEISTEL_ROUNDS) << feistel_half_bits(rows)) <= 1 << 64

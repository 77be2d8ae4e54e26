"""Samplers: element e of a tensor from its own words of the stream, in binary64.

Each sampler consumes a fixed number of words per element, so element e depends on words
[e*W, e*W + W) only: this is what makes every element range computable on its own.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

from tensorseed.stream import fmath
from tensorseed.stream.fmath import F64
from tensorseed.stream.key import StreamKey
from tensorseed.stream.philox import U32
from tensorseed.stream.words import stream_words

TWO_POW_M24 = 2.0**-24
TWO_POW_M53 = 2.0**-53


def uniform24(w: U32) -> F64:
    """[0, 1) from one word: (w >> 8) * 2^-24, exact."""
    return (w >> np.uint32(8)).astype(np.float64) * TWO_POW_M24


def _pair(words: U32) -> tuple[np.ndarray, np.ndarray]:
    w = words.reshape(-1, 2)
    return w[:, 0].astype(np.uint64), w[:, 1].astype(np.uint64)


def uniform53(words: U32) -> F64:
    """[0, 1) from words (w0, w1): ((w1 << 21) | (w0 >> 11)) * 2^-53, exact."""
    w0, w1 = _pair(words)
    k = (w1 << np.uint64(21)) | (w0 >> np.uint64(11))
    return k.astype(np.float64) * TWO_POW_M53


def open_uniform52(words: U32) -> F64:
    """(0, 1), symmetric about 1/2, from words (w0, w1): (2k + 1) * 2^-53, k = (w1 << 20) | (w0 >> 12)."""
    w0, w1 = _pair(words)
    k = (w1 << np.uint64(20)) | (w0 >> np.uint64(12))
    return ((k << np.uint64(1)) | np.uint64(1)).astype(np.float64) * TWO_POW_M53


@dataclass(frozen=True)
class Constant:
    """Every element equals ``value``; draws no words."""

    value: float

    def words_per_element(self, wide: bool) -> int:
        return 0

    def transform(self, words: U32, count: int, wide: bool) -> F64:
        return np.full(count, self.value, dtype=np.float64)


@dataclass(frozen=True)
class Uniform:
    """low + (high - low) * u, u uniform in [0, 1) (24-bit, or 53-bit for float64 output)."""

    low: float
    high: float

    def words_per_element(self, wide: bool) -> int:
        return 2 if wide else 1

    def transform(self, words: U32, count: int, wide: bool) -> F64:
        u = uniform53(words) if wide else uniform24(words)
        return self.low + (self.high - self.low) * u


@dataclass(frozen=True)
class Normal:
    """mean + std * ndtri(p), p uniform in (0, 1) from two words (any output dtype)."""

    mean: float
    std: float

    def words_per_element(self, wide: bool) -> int:
        return 2

    def transform(self, words: U32, count: int, wide: bool) -> F64:
        return self.mean + self.std * fmath.ndtri(open_uniform52(words))


@dataclass(frozen=True)
class TruncNormal:
    """Normal(mean, std) restricted to [alpha, beta] (std units), by inversion of the CDF.

    ``low``/``high`` are the absolute bounds the final value is clamped to. When alpha > 0 the
    interval is mirrored to [-beta, -alpha], where CDF values are small and keep their relative
    precision, and the drawn value is negated: this keeps far tails (e.g. [5, 6]) exact-ish.
    One value per element, O(1) work, no rejection loop.
    """

    mean: float
    std: float
    alpha: float
    beta: float
    low: float
    high: float
    flip: bool = field(init=False)
    cdf_low: float = field(init=False)
    cdf_width: float = field(init=False)

    def __post_init__(self) -> None:
        flip = self.alpha > 0.0
        lo_x, hi_x = (-self.beta, -self.alpha) if flip else (self.alpha, self.beta)
        cdf_low = fmath.ndtr(lo_x)
        object.__setattr__(self, "flip", flip)
        object.__setattr__(self, "cdf_low", cdf_low)
        object.__setattr__(self, "cdf_width", fmath.ndtr(hi_x) - cdf_low)

    @property
    def has_mass(self) -> bool:
        return self.cdf_width > 0.0

    def words_per_element(self, wide: bool) -> int:
        return 2

    def transform(self, words: U32, count: int, wide: bool) -> F64:
        q = self.cdf_low + self.cdf_width * open_uniform52(words)
        z = fmath.ndtri(q)
        if self.flip:
            z = -z
        z = np.minimum(np.maximum(z, self.alpha), self.beta)
        x = self.mean + self.std * z
        return np.minimum(np.maximum(x, self.low), self.high)


class Indexed(ABC):
    """A sampler whose value depends on the element's position in the tensor, not only its words.

    Structured schemes (eye, dirac, ZerO, sparse, gate biases) are still O(1) per element and
    seekable; orthogonal schemes compute the whole tensor once (tolerance tier). Each states the
    moments it promises and the values that must fit the output dtype.
    """

    @abstractmethod
    def values(self, key: StreamKey, start: int, count: int, wide: bool) -> F64:
        """Binary64 values of elements [start, start + count)."""

    @abstractmethod
    def expected(self) -> dict[str, float | None]:
        """Mean, std, min and max the scheme promises (before dtype rounding)."""

    @abstractmethod
    def extremes(self) -> tuple[float, ...]:
        """Values that must lie in the output dtype's finite range."""


Sampler = Constant | Uniform | Normal | TruncNormal | Indexed


def sample(sampler: Sampler, key: StreamKey, start: int, count: int, wide: bool) -> F64:
    """Binary64 values of elements [start, start + count) of the tensor whose stream is ``key``."""
    if isinstance(sampler, Indexed):
        return sampler.values(key, start, count, wide)
    per = sampler.words_per_element(wide)
    words = stream_words(key, start * per, count * per) if per else np.zeros(0, np.uint32)
    return sampler.transform(words, count, wide)

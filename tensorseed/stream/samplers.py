"""Samplers: element e of a tensor from its own words of the stream.

Each sampler consumes a fixed number of words per element, so element e depends on words
[e*W, e*W + W) only: this is what makes every element range computable on its own.

``Constant``, ``Uniform``, ``Normal`` and ``TruncNormal`` are the binary64 samplers of
tensorseed-stream/1 (and of v2's float64 outputs). ``Uniform32``, ``Normal32`` and
``TruncNormal32`` are tensorseed-stream/2's binary32 samplers for float32, float16 and bfloat16
outputs: one word per element, every per-element operation one binary32 operation (numpy
float32 arithmetic, ``f32math``). They subclass the v1 class of the same distribution, so code
that asks what a sampler draws from (statistics, range checks) reads the same parameters; code
that computes bytes (``transform``, the kernels) tells them apart by their exact class.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from tensorseed.stream import f32math, fmath
from tensorseed.stream.fmath import F64
from tensorseed.stream.key import StreamKey
from tensorseed.stream.philox import U32
from tensorseed.stream.words import stream_words

TWO_POW_M24 = 2.0**-24
TWO_POW_M53 = 2.0**-53


Real = TypeVar("Real", np.float32, np.float64)


def spec_max(a: NDArray[Real], b: float | np.floating[Any]) -> NDArray[Real]:
    """The spec's ``max(a, b) = (a >= b) ? a : b`` (section 14.1). Not ``np.maximum``, which gives
    ``b`` where ``a == b``: ``max(-0.0, +0.0)`` must be ``-0.0`` (the compiled kernels, Triton and
    both ports take the spec's)."""
    out: NDArray[Real] = np.where(a >= b, a, b)
    return out


def spec_min(a: NDArray[Real], b: float | np.floating[Any]) -> NDArray[Real]:
    """The spec's ``min(a, b) = (a <= b) ? a : b``; ``min(-0.0, +0.0)`` is ``-0.0``."""
    out: NDArray[Real] = np.where(a <= b, a, b)
    return out


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
        z = spec_min(spec_max(z, self.alpha), self.beta)
        x = self.mean + self.std * z
        return spec_min(spec_max(x, self.low), self.high)


TWO_POW_64 = 2.0**64


@dataclass(frozen=True)
class Uniform32(Uniform):
    """v2, binary32: low + width * u, u = (w >> 8) * 2^-24, with low and width = high - low
    (binary64) each rounded once to binary32. Only for intervals whose width fits binary32
    (``for_output`` keeps v1's binary64 formula for wider ones)."""

    def __post_init__(self) -> None:
        if not fits_binary32(self.high - self.low):
            raise ValueError("the width of a binary32 uniform must be finite in binary32")

    def words_per_element(self, wide: bool) -> int:
        return 1

    def transform(self, words: U32, count: int, wide: bool) -> F64:
        low, width = f32math.f32(self.low), f32math.f32(self.high - self.low)
        with np.errstate(over="ignore"):
            x = low + width * f32math.uniform24(words)
        return x.astype(np.float64)


def fits_binary32(x: float) -> bool:
    """Whether x rounds to a finite binary32."""
    return abs(x) < 2.0**128 - 2.0**103


@dataclass(frozen=True)
class Normal32(Normal):
    """v2, binary32: mean + std * z from one word w. The sign bit picks the side (z = +t when
    w >> 31 is 1, else -t) and the other 31 bits k give the one-sided tail probability
    u = half_open_uniform(k) in (0, 1/2); t = Phi^-1(1 - u) by the central formula (u >= 2^-9)
    or the tail formula (u < 2^-9, exactly the words with k < 2^23). |z| <= 6.338."""

    def words_per_element(self, wide: bool) -> int:
        return 1

    def transform(self, words: U32, count: int, wide: bool) -> F64:
        upper = (words >> np.uint32(31)) == np.uint32(1)
        u = f32math.half_open_uniform(words & np.uint32(0x7FFFFFFF))
        t = np.empty(count, dtype=np.float32)
        tail = u < f32math.TAIL_P
        central = ~tail
        t[central] = f32math.quantile_central(u[central] + u[central])
        t[tail] = f32math.quantile_tail(-f32math.log2(u[tail]))
        z = np.where(upper, t, -t)
        with np.errstate(over="ignore"):  # overflow to infinity is the defined result
            x = f32math.f32(self.mean) + f32math.f32(self.std) * z
        return x.astype(np.float64)


@dataclass(frozen=True)
class TruncNormal32(TruncNormal):
    """v2, binary32: Normal(mean, std) restricted to [alpha, beta] (std units), O(1) per element.

    Per tensor (binary64): v1's mirror (``flip`` when alpha > 0) gives [lo, hi] with lo <= 0 and
    W = Phi(hi) - Phi(lo) = ``cdf_width``. The word's sign bit picks one of two *paths*, each of
    which walks the interval from one end inward in half of the probability, so both ends are
    reached with the resolution of a 31-bit uniform u in (0, 1/2) and every p stays <= 3/4:

    * path 0 (sign bit 0), from lo up: p = W * (r0 + u), r0 = Phi(lo) / W;
    * path 1, one-sided interval (hi <= 0), from hi down: p = W * (r1 - u), r1 = Phi(hi) / W;
    * path 1, straddling interval (hi > 0), from hi down in the mirror image: p = W * (r1 + u),
      r1 = Phi(-hi) / W, and the quantile is negated.

    z = Phi^-1(p) by the central formula (p >= 2^-9) or, in the tail, by the tail formula of
    -log2(p) = -(log2(W) + log2(r + u)): log2(W) is a per-tensor scalar, so W far below the
    binary32 range (intervals beyond 13 sigma) needs no special case. Then z is negated back if
    the interval was mirrored, clamped to [alpha, beta], scaled and clamped to [low, high].
    """

    one_sided: bool = field(init=False)
    r0: float = field(init=False)
    r1: float = field(init=False)
    log2_width: float = field(init=False)

    def __post_init__(self) -> None:
        super().__post_init__()
        hi = -self.alpha if self.flip else self.beta
        one_sided = hi <= 0.0
        width = self.cdf_width
        if width > 0.0:
            r0 = min(self.cdf_low / width, TWO_POW_64)
            r1 = min((fmath.ndtr(hi) if one_sided else fmath.ndtr(-hi)) / width, TWO_POW_64)
            log2_width = float(fmath.log(np.array([width]))[0]) * fmath.INV_LN2
        else:  # no mass: the recipe is rejected before anything is sampled
            r0 = r1 = log2_width = 0.0
        object.__setattr__(self, "one_sided", one_sided)
        object.__setattr__(self, "r0", r0)
        object.__setattr__(self, "r1", r1)
        object.__setattr__(self, "log2_width", log2_width)

    def words_per_element(self, wide: bool) -> int:
        return 1

    @property
    def path_negated(self) -> tuple[bool, bool]:
        """Whether path 0 and path 1 negate the quantile (mirror, and the straddling path 1)."""
        return self.flip, self.flip != (not self.one_sided)

    def transform(self, words: U32, count: int, wide: bool) -> F64:
        f32 = f32math.f32
        path1 = (words >> np.uint32(31)) == np.uint32(1)
        u = f32math.half_open_uniform(words & np.uint32(0x7FFFFFFF))
        r = np.where(path1, f32(self.r1), f32(self.r0))
        v = r + (np.where(path1, -u, u) if self.one_sided else u)
        p = f32(self.cdf_width) * v
        z = np.empty(count, dtype=np.float32)
        central = p >= f32math.TAIL_P
        pc = p[central]
        lower = pc <= f32math.HALF
        t = f32math.quantile_central(np.where(lower, pc + pc, (f32math.ONE - pc) * f32math.TWO))
        z[central] = np.where(lower, -t, t)
        tail = ~central
        l2 = -(f32(self.log2_width) + f32math.log2(v[tail]))
        z[tail] = -f32math.quantile_tail(l2)
        negate0, negate1 = self.path_negated
        z = np.where(np.where(path1, negate1, negate0), -z, z)
        z = spec_min(spec_max(z, f32(self.alpha)), f32(self.beta))
        with np.errstate(over="ignore"):  # an infinity here is clamped to [low, high] next
            x = f32(self.mean) + f32(self.std) * z
        x = spec_min(spec_max(x, f32(self.low)), f32(self.high))
        out: F64 = x.astype(np.float64)
        return out


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

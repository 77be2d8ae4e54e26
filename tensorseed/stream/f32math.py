"""Portable binary32 math of tensorseed-stream/2: only + - * / sqrt, integer and bit operations.

The reference definitions of ``docs/stream-spec.md`` section 14. numpy float32 arrays are IEEE
binary32 and every numpy operation on them rounds once, correctly, to nearest-even (no fused
multiply-add, no flush-to-zero), so each line below is one operation of the specification in
its order. Two rules keep it that way: every constant is a ``np.float32`` (a Python float would
ask numpy for binary64 arithmetic on scalars), and nothing here may be "simplified" -- the
order of operations is part of the output's definition.

The normal quantile is split at p = 2^-9 (c = 2p = 2^-8):

* ``quantile_central(c)``: for c in [2^-8, 1], t = Phi^-1(1 - c/2) = sqrt(2) erfinv(1 - c), as
  (1 - c) * P(w), w = -log2(c * (2 - c)) = -log2(1 - x^2) with x = 1 - c: the form of Giles'
  single-precision erfinv ("Approximating the erfinv function", GPU Computing Gems Jade, 2011)
  with our own degree-9 fit in log2 units (sqrt(2) folded in) over exactly that range;
* ``quantile_tail(l2)``: for l2 = -log2(p), p < 2^-9, t = Phi^-1(1 - p) from the asymptotic
  relation t^2 = y - ln(y) + R(log2(y) / y), y = 2 ln(2) l2, with a degree-5 fit R; it takes the
  logarithm of p, not p, so probabilities far below the binary32 range (truncated normals
  beyond 13 sigma) are handled by the same formula.

Both were fitted (weighted least squares iterated toward minimax) on high-precision values
(mpmath) and measured exhaustively over their binary32 inputs: see the spec for the numbers.
"""

from __future__ import annotations

import struct
from typing import cast

import numpy as np
import numpy.typing as npt

F32 = npt.NDArray[np.float32]
U32 = npt.NDArray[np.uint32]

ONE = np.float32(1.0)
TWO = np.float32(2.0)
HALF = np.float32(0.5)
FLT_MAX = float(np.finfo(np.float32).max)

#: log2: mantissas above this (binary32 sqrt(2), rounded down) are halved first.
SQRT2 = np.float32("1.4142135")  # 0x3FB504F3
#: log2(m) = s * P(s^2), s = (m - 1) / (m + 1); P fitted on s^2 in [0, 0.0295] (highest power first).
LOG2_C = tuple(np.float32(c) for c in ("0.43173587", "0.57671434", "0.96179885", "2.88539"))
#: t = (1 - c) * P(w): P fitted on w in [0, 7.0028] (highest power first, w^9 .. w^0).
CENTRAL_C = tuple(
    np.float32(c)
    for c in (
        "-4.7739146e-10", "1.72007e-08", "-2.2162992e-07", "6.6971114e-07", "9.9108165e-06",
        "-4.1226893e-05", "-0.001099866", "0.007847186", "0.22743337", "1.2533141",
    )
)  # fmt: skip
#: t^2 = (y - ln2 * log2(y)) + R(q), q = log2(y) / y: R fitted for y in [12.4, 1540] (q^5 .. q^0).
TAIL_C = tuple(
    np.float32(c)
    for c in ("2.2946765", "-1.1344059", "0.57752603", "0.041655894", "0.67651165", "-1.8378649")
)
TWO_LN2 = np.float32("1.3862944")  # 0x3FB17218, 2 ln 2
LN2 = np.float32("0.6931472")  # 0x3F317218, ln 2
#: p below this takes the tail formula; at or above, the central one.
TAIL_P = np.float32(2.0**-9)

_EXPONENT_BIAS = np.int32(127)


def f32_bits(x: float) -> int:
    """The bit pattern of r32(x): a per-tensor binary64 scalar rounded once to binary32
    (nearest-even), saturating: a value that would round to infinity becomes the largest finite
    binary32 of its sign, so per-element arithmetic never meets an infinity it did not make itself.

    Integer arithmetic on the binary64's bits only, no floating-point instruction: the result does
    not depend on the thread's flush-to-zero / denormals-are-zero mode (torch.set_flush_denormal
    sets it for the whole thread), which would turn a subnormal result into zero.
    """
    b64: int = struct.unpack("<Q", struct.pack("<d", x))[0]
    sign = (b64 >> 63) << 31
    exponent, fraction = (b64 >> 52) & 0x7FF, b64 & ((1 << 52) - 1)
    if exponent == 0x7FF:
        if fraction:
            raise ValueError("r32 of NaN")
        return sign | 0x7F7FFFFF  # an infinity saturates too
    mant, e = (fraction, -1074) if exponent == 0 else (fraction | (1 << 52), exponent - 1075)
    if mant == 0:
        return sign
    q = max(mant.bit_length() - 1 + e - 23, -149)  # the binary32 last place of |x|
    shift = q - e
    if shift > 0:
        n, rem, half = mant >> shift, mant & ((1 << shift) - 1), 1 << (shift - 1)
        n += rem > half or (rem == half and n & 1)
    else:
        n = mant << -shift
    if n == 1 << 24:  # rounding carried into the next binade
        n, q = 1 << 23, q + 1
    if n < 1 << 23:  # subnormal (q == -149)
        return sign | n
    biased = q + 150
    if biased >= 255:
        return sign | 0x7F7FFFFF
    return sign | (biased << 23) | (n - (1 << 23))


def f32(x: float) -> np.float32:
    """r32(x) (spec 14.1) as a numpy binary32 scalar, made from its bits (see ``f32_bits``)."""
    out: np.float32 = np.array([f32_bits(x)], dtype=np.uint32).view(np.float32)[0]
    return out


def horner(coeffs: tuple[np.float32, ...], x: F32) -> F32:
    """acc = c[0]; then acc = acc * x + c[i] for each next coefficient (two roundings a step)."""
    acc = np.full_like(x, coeffs[0])
    for c in coeffs[1:]:
        acc = acc * x + c
    return acc


def log2(x: F32) -> F32:
    """Base-2 logarithm of positive *normal* binary32 values (all callers guarantee it).

    x = m * 2^e with m in [1, 2) from the bits; m > SQRT2 is halved (exactly) and e incremented,
    so m is in (0.7071, 1.4143]; then log2(m) = s * P(s^2) with s = (m - 1) / ((m - 1) + 2).
    """
    bits = x.view(np.uint32)
    e = (bits >> np.uint32(23)).astype(np.int32) - _EXPONENT_BIAS
    m = ((bits & np.uint32(0x007FFFFF)) | np.uint32(0x3F800000)).view(np.float32)
    big = m > SQRT2
    m = np.where(big, m * HALF, m)
    e = np.where(big, e + np.int32(1), e)
    f = m - ONE
    s = f / (f + TWO)
    t = horner(LOG2_C, s * s)
    # float32 + float32 * float32: numpy computes it in binary32 (its stubs do not say so).
    return cast(F32, e.astype(np.float32) + s * t)


def quantile_central(c: F32) -> F32:
    """t = Phi^-1(1 - c/2) >= 0 for c in [2^-8, 1] (c is the two-sided tail probability)."""
    x = ONE - c
    w = -log2(c * (TWO - c))
    out: F32 = x * horner(CENTRAL_C, w)
    return out


def quantile_tail(l2: F32) -> F32:
    """t = Phi^-1(1 - p) for l2 = -log2(p) >= 9 (p < 2^-9): the upper-tail quantile."""
    y = l2 * TWO_LN2
    g = log2(y)
    q = g / y
    t2 = (y - g * LN2) + horner(TAIL_C, q)
    out: F32 = np.sqrt(t2)
    return out


def half_open_uniform(k: U32) -> F32:
    """u in (0, 1/2) from 31 bits k, exactly: (2k + 1) * 2^-33 below k = 2^23 (full resolution
    where u is small), else (2 * (k >> 8) + 1) * 2^-25 (24 significant bits). Both are odd
    integers below 2^24 times a power of two, so the conversions are exact."""
    small = k < np.uint32(1 << 23)
    fine = (k * np.uint32(2) + np.uint32(1)).astype(np.float32) * np.float32(2.0**-33)
    coarse = ((k >> np.uint32(8)) * np.uint32(2) + np.uint32(1)).astype(np.float32) * np.float32(2.0**-25)
    out: F32 = np.where(small, fine, coarse)
    return out


def uniform24(w: U32) -> F32:
    """u in [0, 1) from one word: (w >> 8) * 2^-24, exact in binary32."""
    out: F32 = (w >> np.uint32(8)).astype(np.float32) * np.float32(2.0**-24)
    return out

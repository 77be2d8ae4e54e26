"""Measure tensorseed-stream/2's binary32 normal quantile against a high-precision reference.

The numbers docs/stream-spec.md section 16 states come from this script:

* the v2 normal over every one of its 2^32 words (16.7 M distinct quantile inputs);
* ``quantile_central`` over every binary32 c in [2^-8, 1] and ``quantile_tail`` over every
  binary32 l2 in [8.95, 1110] (``--exhaustive``: 1.3e8 inputs; without it, every 16th);
* ``log2`` over every binary32 in [2^-40, 2^12) (``--exhaustive``: 4.4e8 inputs; else every
  16th). The exhaustive run takes about ten minutes on one core.

The reference is Wichura's AS 241 in binary64 (the v1 ``ndtri`` polynomials, relative error
below 1e-15, about 1e-8 of a binary32 ulp), evaluated from log p where p underflows; it is
itself checked against mpmath (50 digits) at the worst points found. Errors are in units of the
last place (ulp) of the binary32 result. "Drops" count where the quantile fails to be monotone
(the next larger input gives a larger t), and by how many ulp at most.

Usage: python scripts/measure_quantile32.py [--exhaustive]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

import mpmath
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tensorseed.stream import f32math, fmath

F64 = np.ndarray


def _horner(coeffs: tuple[float, ...], x: F64) -> F64:
    acc = np.full_like(x, coeffs[0])
    for c in coeffs[1:]:
        acc = acc * x + c
    return acc


def ref_upper_from_log(neg_ln_p: F64) -> F64:
    """t = Phi^-1(1 - p) from -ln(p) (p <= 0.075): AS 241's two tail regions, in binary64."""
    r = np.sqrt(neg_ln_p)
    near = r <= 5.0
    out = np.empty_like(r)
    rn = r[near] - 1.6
    out[near] = _horner(fmath.AS241_C, rn) / _horner(fmath.AS241_D, rn)
    rf = r[~near] - 5.0
    out[~near] = _horner(fmath.AS241_E, rf) / _horner(fmath.AS241_F, rf)
    return out


def ref_upper(p: F64) -> F64:
    """t = Phi^-1(1 - p) for 0 < p <= 1/2 in binary64 (p itself exact in binary64)."""
    out: F64 = -fmath.ndtri(p)
    return np.where(out == 0.0, 0.0, out)


def mp_upper(p: float | None = None, neg_log2_p: float | None = None) -> float:
    """50-digit t = Phi^-1(1 - p), by Newton on log Q(t) = log p (works far below binary64)."""
    with mpmath.workdps(50):
        target = mpmath.log(mpmath.mpf(p)) if p is not None else -mpmath.mpf(neg_log2_p) * mpmath.log(2)
        if target > mpmath.log(mpmath.mpf("0.49")):
            return float(-mpmath.sqrt(2) * mpmath.erfinv(2 * mpmath.exp(target) - 1))
        t = mpmath.sqrt(-2 * target)
        for _ in range(100):
            q = mpmath.erfc(t / mpmath.sqrt(2)) / 2
            step = (mpmath.log(q) - target) / (-mpmath.npdf(t) / q)
            t -= step
            if abs(step) < mpmath.mpf(10) ** -40:
                break
        return float(t)


def ulp32(t: F64) -> F64:
    """The binary32 ulp at |t| (the spacing above the binary32 nearest t)."""
    out: F64 = np.spacing(np.abs(t).astype(np.float32)).astype(np.float64)
    return out


class Tally:
    """Worst error (in ulp) and monotonicity of a function over inputs fed in increasing order."""

    def __init__(self, name: str, increasing: bool) -> None:
        self.name, self.increasing = name, increasing
        self.max_ulp, self.at, self.drops, self.max_drop = 0.0, float("nan"), 0, 0.0
        self.count = 0
        self.last: float | None = None

    def feed(self, inputs: F64, got: np.ndarray, ref: F64) -> None:
        got64 = got.astype(np.float64)
        ok = ref != 0.0
        err = np.where(ok, np.abs(got64 - ref) / ulp32(np.where(ok, ref, 1.0)), np.abs(got64))
        i = int(np.argmax(err))
        if err[i] > self.max_ulp:
            self.max_ulp, self.at = float(err[i]), float(inputs[i])
        seq = got64 if self.last is None else np.concatenate([[self.last], got64])
        step = np.diff(seq) if self.increasing else -np.diff(seq)
        bad = step < 0
        if bad.any():
            self.drops += int(bad.sum())
            size = -step[bad] / ulp32(seq[1:][bad])
            self.max_drop = max(self.max_drop, float(size.max()))
        self.last = float(got64[-1])
        self.count += got.size

    def report(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "inputs": self.count,
            "max_ulp": round(self.max_ulp, 3),
            "at": self.at,
            "non_monotone_steps": self.drops,
            "largest_step_back_ulp": round(self.max_drop, 2),
        }


def binary32_range(lo: float, hi: float, stride: int, chunk: int = 1 << 24) -> Any:
    """Every stride-th binary32 in [lo, hi), increasing, in chunks."""
    first = int(np.float32(lo).view(np.uint32))
    last = int(np.float32(hi).view(np.uint32))
    for start in range(first, last, chunk * stride):
        bits = np.arange(start, min(start + chunk * stride, last), stride, dtype=np.uint64).astype(np.uint32)
        yield bits.view(np.float32)


def measure_normal() -> dict[str, Any]:
    """Every distinct quantile input of Normal32: k in [0, 2^23) and k >> 8 in [2^15, 2^23)."""
    tally = Tally("normal (every word)", increasing=False)
    k = np.concatenate(
        [np.arange(0, 1 << 23, dtype=np.uint32), np.arange(1 << 23, 1 << 31, 256, dtype=np.uint64)]
    )
    u = f32math.half_open_uniform(k.astype(np.uint32))
    t = np.empty_like(u)
    tail = u < f32math.TAIL_P
    t[~tail] = f32math.quantile_central(u[~tail] + u[~tail])
    t[tail] = f32math.quantile_tail(-f32math.log2(u[tail]))
    tally.feed(u.astype(np.float64), t, ref_upper(u.astype(np.float64)))
    out = tally.report()
    out["max_abs_z"] = float(t.max())
    out["worst_checked_by_mpmath"] = abs(ref_upper(np.array([out["at"]]))[0] - mp_upper(p=out["at"])) / abs(
        mp_upper(p=out["at"])
    )
    return out


def measure_central(stride: int) -> dict[str, Any]:
    tally = Tally("quantile_central(c), c in [2^-8, 1]", increasing=False)
    for c in binary32_range(2.0**-8, 1.0, stride):
        tally.feed(c.astype(np.float64), f32math.quantile_central(c), ref_upper(c.astype(np.float64) / 2))
    one = np.array([1.0], dtype=np.float32)
    tally.feed(one.astype(np.float64), f32math.quantile_central(one), np.zeros(1))
    return tally.report()


def measure_tail(stride: int) -> dict[str, Any]:
    tally = Tally("quantile_tail(l2), l2 in [8.95, 1110]", increasing=True)
    for l2 in binary32_range(8.95, 1110.0, stride):
        tally.feed(
            l2.astype(np.float64),
            f32math.quantile_tail(l2),
            ref_upper_from_log(l2.astype(np.float64) * math.log(2)),
        )
    return tally.report()


def measure_log2(stride: int) -> dict[str, Any]:
    tally = Tally("log2(x), x in [2^-40, 2^12)", increasing=True)
    for x in binary32_range(2.0**-40, 2.0**12, stride):
        tally.feed(x.astype(np.float64), f32math.log2(x), np.log2(x.astype(np.float64)))
    return tally.report()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exhaustive", action="store_true", help="every binary32 input (slow)")
    stride = 1 if parser.parse_args().exhaustive else 16
    for measure in (measure_normal, lambda: measure_central(stride), lambda: measure_tail(stride),
                    lambda: measure_log2(stride)):  # fmt: skip
        print(measure(), flush=True)
    for label, p, l2 in (
        ("p = 2^-33", 2.0**-33, None),
        ("p = 1e-300", 1e-300, None),
        ("l2 = 1100", None, 1100.0),
    ):
        exact = mp_upper(p=p, neg_log2_p=l2)
        ours = (
            ref_upper(np.array([p]))[0]
            if p is not None
            else ref_upper_from_log(np.array([l2 * math.log(2)]))[0]
        )
        print(f"reference vs mpmath at {label}: relative error {abs(ours - exact) / exact:.1e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

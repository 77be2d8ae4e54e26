"""tensorseed-stream/2's binary32 math: what the spec states about it holds in the reference.

The exhaustive error measurement is scripts/measure_quantile32.py (minutes); here a few thousand
points are checked against mpmath, and every constant against the spec's text.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import mpmath
import numpy as np
import pytest

from tensorseed.stream import f32math as F

SPEC = (Path(__file__).resolve().parents[2] / "docs" / "stream-spec.md").read_text(encoding="utf-8")


def bits(x: np.float32) -> str:
    return f"{int(np.float32(x).view(np.uint32)):08x}"


def spec_block(name: str) -> tuple[list[str], list[str]]:
    """Decimal literals and hex patterns the spec gives for a constant list, e.g. CENTRAL_C."""
    match = re.search(rf"^{name}\s*=\s*\[(.*?)\]\s*\(([0-9a-f ]+)\)", SPEC, re.S | re.M)
    assert match, f"docs/stream-spec.md defines no {name}"
    literals = [lit.strip() for lit in match.group(1).replace("\n", " ").split(",")]
    return literals, match.group(2).split()


@pytest.mark.parametrize(
    ("name", "constants"), [("LOG2_C", F.LOG2_C), ("CENTRAL_C", F.CENTRAL_C), ("TAIL_C", F.TAIL_C)]
)
def test_constant_lists_are_the_spec_s(name: str, constants: tuple[np.float32, ...]) -> None:
    literals, patterns = spec_block(name)
    assert [bits(c) for c in constants] == patterns
    assert [np.float32(lit) for lit in literals] == list(constants)


@pytest.mark.parametrize(("name", "value"), [("LOG2_SPLIT", F.SQRT2), ("TWO_LN2", F.TWO_LN2), ("LN2", F.LN2)])
def test_scalar_constants_are_the_spec_s(name: str, value: np.float32) -> None:
    match = re.search(rf"(?<![A-Z_]){name}\s*=\s*([0-9.]+)\s*\(([0-9a-f]{{8}})\)", SPEC)
    assert match, name
    assert np.float32(match.group(1)) == value and bits(value) == match.group(2)


def test_every_literal_reads_the_same_through_binary64() -> None:
    # The spec promises that (float)strtod(s) (and JavaScript's Math.fround(Number(s))) is right.
    for name in ("LOG2_C", "CENTRAL_C", "TAIL_C"):
        for lit in spec_block(name)[0]:
            assert np.float32(float(lit)) == np.float32(lit), lit


def test_r32_rounds_once_and_saturates() -> None:
    assert F.f32(0.1) == np.float32(0.1)
    assert F.f32(1e39) == np.float32(F.FLT_MAX) and F.f32(-1e300) == -np.float32(F.FLT_MAX)
    # Just below the overflow threshold 2^128 - 2^103 rounds to FLT_MAX anyway; at it, saturates.
    assert F.f32(2.0**128 - 2.0**103 - 2.0**80) == np.float32(F.FLT_MAX)
    assert F.f32(2.0**128 - 2.0**103) == np.float32(F.FLT_MAX)
    assert F.f32(1e-50) == 0.0


def test_half_open_is_exact_monotone_and_inside_the_open_half() -> None:
    rng = np.random.default_rng(1)
    k = np.sort(np.concatenate([rng.integers(0, 2**31, 100_000), [0, 1, 2**23 - 1, 2**23, 2**31 - 1]]))
    u = F.half_open_uniform(k.astype(np.uint32)).astype(np.float64)
    exact = np.where(k < 2**23, (2 * k + 1) * 2.0**-33, (2 * (k >> 8) + 1) * 2.0**-25)
    assert np.array_equal(u, exact)
    assert np.all(np.diff(u) >= 0) and u.min() == 2.0**-33 and u.max() < 0.5
    # The tail words are exactly those with k < 2^23.
    assert np.array_equal(u < 2.0**-9, k < 2**23)


def test_log2_is_exact_at_powers_of_two_and_close_elsewhere() -> None:
    powers = np.array([2.0**e for e in range(-126, 128)], dtype=np.float32)
    assert np.array_equal(F.log2(powers), np.arange(-126, 128, dtype=np.float32))
    x = np.random.default_rng(2).uniform(2.0**-40, 4096.0, 200_000).astype(np.float32)
    got = F.log2(x).astype(np.float64)
    ref = np.log2(x.astype(np.float64))
    assert np.all(np.abs(got - ref) <= 3 * np.spacing(np.abs(ref).astype(np.float32)))


def mp_upper(p: float) -> float:
    """50-digit Phi^-1(1 - p) (Newton on log Q where p is tiny)."""
    with mpmath.workdps(50):
        if p > 1e-30:
            return float(-mpmath.sqrt(2) * mpmath.erfinv(2 * mpmath.mpf(p) - 1))
        target = mpmath.log(mpmath.mpf(p))
        t = mpmath.sqrt(-2 * target)
        for _ in range(60):
            q = mpmath.erfc(t / mpmath.sqrt(2)) / 2
            step = (mpmath.log(q) - target) / (-mpmath.npdf(t) / q)
            t -= step
            if abs(step) < 1e-25:
                break
        return float(t)


def ulps(got: np.ndarray, ref: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.abs(got.astype(np.float64) - ref) / np.spacing(np.abs(ref).astype(np.float32))
    return out


def test_central_quantile_against_mpmath() -> None:
    c = np.concatenate([np.geomspace(2.0**-8, 1.0 - 2.0**-20, 400), [2.0**-8, 0.5, 1.0 - 2.0**-24]])
    c = c.astype(np.float32)
    got = F.quantile_central(c)
    ref = np.array([mp_upper(float(v) / 2) for v in c])
    assert ulps(got, ref).max() <= 3.0  # spec section 16: 2.81 over every binary32 c
    assert F.quantile_central(np.array([1.0], dtype=np.float32))[0] == 0.0


def test_tail_quantile_against_mpmath_down_to_beyond_binary64() -> None:
    l2 = np.concatenate([np.linspace(9.0, 60.0, 150), np.geomspace(60.0, 1110.0, 150)]).astype(np.float32)
    got = F.quantile_tail(l2)
    with mpmath.workdps(50):
        ref = np.array([mp_upper(float(mpmath.mpf(2) ** -mpmath.mpf(float(v)))) for v in l2[l2 < 1000]])
    assert ulps(got[l2 < 1000], ref).max() <= 2.0  # spec section 16: 1.90 over every binary32 l2
    assert np.all(np.diff(got) >= 0)


def test_central_and_tail_meet_at_the_switch() -> None:
    # p = 2^-9: central(c = 2^-8) and tail(l2 = 9) are the same quantile, 2.8856...
    central = F.quantile_central(np.array([2.0**-8], dtype=np.float32))[0]
    tail = F.quantile_tail(np.array([9.0], dtype=np.float32))[0]
    exact = mp_upper(2.0**-9)
    assert abs(float(central) - exact) <= 3 * float(np.spacing(np.float32(exact)))
    assert abs(float(tail) - exact) <= 2 * float(np.spacing(np.float32(exact)))


def test_the_largest_normal_value_is_6_338_sigma() -> None:
    t = F.quantile_tail(-F.log2(np.array([2.0**-33], dtype=np.float32)))[0]
    assert bits(t) == "40cad08d" and "40cad08d" in SPEC
    assert math.isclose(float(t), mp_upper(2.0**-33), rel_tol=3 * 2.0**-24)

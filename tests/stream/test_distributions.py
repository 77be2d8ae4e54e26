"""Distribution tests: 10^6 values per scheme against the formula (moments, bounds, KS test), and
10^7 values of tensorseed-stream/2's binary32 normal and truncated normals against the exact
distributions (KS, mean, std, tail mass beyond 4 and 5 sigma), far tails included.

Recipes without ``spec`` mean tensorseed-stream/2: float32 draws below use its binary32
samplers, float64 draws v1's binary64 ones."""

from __future__ import annotations

import math
from typing import Any

import mpmath
import numpy as np
import pytest
from scipy import special, stats

from tensorseed.stream import SPEC_V1, kernel
from tensorseed.stream.dtypes import DType, decode_to_float64
from tensorseed.stream.key import stream_key
from tensorseed.stream.samplers import Normal32, Sampler, TruncNormal32, sample
from tests.support import one_tensor, plan_of, values

N = 1_000_000
SHAPE = [1000, 1000]  # fan_in = fan_out = 1000
KS_P_MIN = 1e-3


def draw(
    init: dict[str, Any], dtype: str = "float32", seed: int = 11, shape: list[int] = SHAPE
) -> np.ndarray:
    return values(plan_of(one_tensor(init, shape, dtype, seed)), "t")


def check_moments(x: np.ndarray, mean: float, std: float) -> None:
    n = x.size
    assert abs(x.mean() - mean) < 6 * std / math.sqrt(n) + 1e-12
    # The sample std's standard error is about std / sqrt(2n) for these distributions.
    assert abs(x.std() - std) < 6 * std / math.sqrt(2 * n) + 1e-12


def check_ks(x: np.ndarray, cdf: Any) -> None:
    assert stats.kstest(x, cdf).pvalue > KS_P_MIN


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_uniform(dtype: str) -> None:
    x = draw({"scheme": "uniform", "a": -3.0, "b": 5.0}, dtype)
    assert x.min() >= -3.0 and x.max() <= 5.0
    check_moments(x, 1.0, 8 / math.sqrt(12))
    check_ks(x, stats.uniform(loc=-3, scale=8).cdf)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_normal(dtype: str) -> None:
    x = draw({"scheme": "normal", "mean": 0.5, "std": 2.0}, dtype)
    check_moments(x, 0.5, 2.0)
    check_ks(x, stats.norm(loc=0.5, scale=2.0).cdf)


@pytest.mark.parametrize(
    ("a", "b"),
    [(-2.0, 2.0), (-1.0, 3.0), (5.0, 6.0), (-6.0, -5.5), (0.0, 0.25), (8.0, 30.0)],
)
def test_trunc_normal_in_every_region_including_far_tails(a: float, b: float) -> None:
    x = draw({"scheme": "trunc_normal", "mean": 0.0, "std": 1.0, "a": a, "b": b}, "float64")
    target = stats.truncnorm(a, b)
    assert x.min() >= a and x.max() <= b
    check_moments(x, float(target.mean()), float(target.std()))
    check_ks(x, target.cdf)


def test_trunc_normal_with_mean_and_std_uses_absolute_bounds() -> None:
    x = draw({"scheme": "trunc_normal", "mean": 1.0, "std": 0.5, "a": 0.0, "b": 3.0})
    target = stats.truncnorm((0.0 - 1.0) / 0.5, (3.0 - 1.0) / 0.5, loc=1.0, scale=0.5)
    assert x.min() >= 0.0 and x.max() <= 3.0
    check_ks(x, target.cdf)


@pytest.mark.parametrize(
    ("init", "bound"),
    [
        ({"scheme": "xavier_uniform", "gain": 2.0}, 2.0 * math.sqrt(6.0 / 2000)),
        ({"scheme": "kaiming_uniform", "nonlinearity": "relu"}, math.sqrt(2.0) * math.sqrt(3.0 / 1000)),
        ({"scheme": "kaiming_uniform", "a": math.sqrt(5.0)}, 1 / math.sqrt(1000)),
        ({"scheme": "fan_in_uniform"}, 1 / math.sqrt(1000)),
    ],
)
def test_fan_scaled_uniforms(init: dict[str, Any], bound: float) -> None:
    x = draw(init)
    assert np.abs(x).max() <= bound * (1 + 1e-6)
    check_moments(x, 0.0, bound / math.sqrt(3))
    check_ks(x, stats.uniform(loc=-bound, scale=2 * bound).cdf)


@pytest.mark.parametrize(
    ("init", "std"),
    [
        ({"scheme": "xavier_normal"}, math.sqrt(2.0 / 2000)),
        ({"scheme": "kaiming_normal", "mode": "fan_out", "nonlinearity": "relu"}, math.sqrt(2.0 / 1000)),
        ({"scheme": "kaiming_normal", "nonlinearity": "tanh"}, (5 / 3) / math.sqrt(1000)),
        ({"scheme": "kaiming_normal", "nonlinearity": "leaky_relu", "a": 0.2}, math.sqrt(2 / 1.04 / 1000)),
    ],
)
def test_fan_scaled_normals(init: dict[str, Any], std: float) -> None:
    x = draw(init)
    check_moments(x, 0.0, std)
    check_ks(x, stats.norm(scale=std).cdf)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_precision_outputs_keep_the_distribution(dtype: str) -> None:
    x = draw({"scheme": "normal", "std": 0.02}, dtype, shape=[1000, 1000])
    check_moments(x, 0.0, 0.02)
    u = draw({"scheme": "uniform", "a": -1.0, "b": 1.0}, dtype)
    assert u.min() >= -1.0 and u.max() <= 1.0
    check_moments(u, 0.0, 2 / math.sqrt(12))


@pytest.mark.parametrize(
    ("init", "value"),
    [({"scheme": "zeros"}, 0.0), ({"scheme": "ones"}, 1.0), ({"scheme": "constant", "value": -0.75}, -0.75)],
)
def test_constants(init: dict[str, Any], value: float) -> None:
    x = draw(init, shape=[7, 13])
    assert np.all(x == value)


def test_v1_normal_tails_reach_beyond_five_sigma() -> None:
    # 53-bit open uniforms reach |z| ~ 8.2: tails are not cut at the 24-bit limit (~5.3 sigma).
    recipe = {**one_tensor({"scheme": "normal"}, [4000, 1000], "float32", 3), "spec": SPEC_V1}
    x = values(plan_of(recipe), "t")
    assert np.abs(x).max() > 5.0


# ---- tensorseed-stream/2, binary32: 10^7 values each ----

BIG = 10_000_000


def bulk(sampler: Sampler, n: int = BIG, seed: int = 17) -> np.ndarray:
    """n float32 values of a v2 binary32 sampler, as float64. The compiled kernel makes the bulk
    when it implements the sampler (tests/stream/test_kernel.py holds it bit-equal to the
    reference); otherwise the numpy reference does, in slices."""
    key = stream_key(seed, "dist")
    if kernel.AVAILABLE and kernel.supports(sampler):
        raw = kernel.generate(sampler, key, 0, n, DType.float32, None, kernel.default_threads())
        return decode_to_float64(raw, DType.float32)
    step = 1 << 21
    return np.concatenate([sample(sampler, key, i, min(step, n - i), False) for i in range(0, n, step)])


def check_tail_mass(x: np.ndarray, cut: float, expected_fraction: float) -> None:
    """The count of |x| > cut against its Poisson law under the exact distribution (two-sided)."""
    count = int(np.count_nonzero(np.abs(x) > cut))
    law = stats.poisson(expected_fraction * x.size)
    assert min(law.cdf(count), law.sf(count - 1)) > KS_P_MIN / 2, (cut, count, law.mean())


def test_v2_normal_ten_million() -> None:
    x = bulk(Normal32(0.0, 1.0))
    check_moments(x, 0.0, 1.0)
    check_ks(x, stats.norm.cdf)
    for cut in (3.0, 4.0, 5.0):
        check_tail_mass(x, cut, 2 * stats.norm.sf(cut))
    assert np.abs(x).max() <= 6.337958  # the largest value the spec allows (section 15.2)


def test_v2_normal_reaches_six_sigma() -> None:
    # Beyond 5 sigma the mass is 5.7e-7: 2^26 values hold about 38 such; the word's 31-bit tail
    # probability reaches 6.34 sigma (JAX's float32 normal stops near 5.3, torch's near 5.8).
    x = bulk(Normal32(0.0, 1.0), n=1 << 26, seed=5) if kernel.supports(Normal32(0.0, 1.0)) else None
    if x is None:
        pytest.skip("2^26 values need the compiled kernel's binary32 normal")
    check_tail_mass(x, 5.0, 2 * stats.norm.sf(5.0))
    assert np.abs(x).max() > 5.5


def test_v2_scaled_normal_keeps_its_moments() -> None:
    x = bulk(Normal32(0.25, 0.02))
    check_moments(x, 0.25, 0.02)
    check_ks(x, stats.norm(loc=0.25, scale=0.02).cdf)


class Truncated:
    """The standard normal truncated to [a, b], exactly (mpmath moments; a log-space CDF that
    stays accurate in far tails, where scipy's truncnorm warns and slows down)."""

    def __init__(self, a: float, b: float) -> None:
        self.flip = a > 0  # work in the lower half: [-b, -a], where log Phi keeps precision
        self.lo, self.hi = (-b, -a) if self.flip else (a, b)
        with mpmath.workdps(40):
            lo, hi = mpmath.mpf(self.lo), mpmath.mpf(self.hi)
            mass = mpmath.ncdf(hi) - mpmath.ncdf(lo)
            mean = (mpmath.npdf(lo) - mpmath.npdf(hi)) / mass
            var = 1 + (lo * mpmath.npdf(lo) - hi * mpmath.npdf(hi)) / mass - mean**2
            self.mean = float(-mean if self.flip else mean)
            self.std = float(mpmath.sqrt(var))
            self.log_mass = float(mpmath.log(mass))

    def cdf(self, x: np.ndarray) -> np.ndarray:
        y = -x if self.flip else x
        log_lo = special.log_ndtr(self.lo)
        below = np.exp(special.log_ndtr(np.clip(y, self.lo, self.hi)) - self.log_mass) - np.exp(
            log_lo - self.log_mass
        )
        below = np.clip(below, 0.0, 1.0)
        out: np.ndarray = 1.0 - below if self.flip else below
        return out

    def mass_beyond(self, cut: float) -> float:
        """P(|Z| > cut) under the truncated law."""
        with mpmath.workdps(40):
            lo, hi, c = mpmath.mpf(self.lo), mpmath.mpf(self.hi), mpmath.mpf(cut)
            inside = mpmath.ncdf(hi) - mpmath.ncdf(lo)
            upper = mpmath.ncdf(hi) - mpmath.ncdf(max(c, lo)) if hi > c else 0
            lower = mpmath.ncdf(min(-c, hi)) - mpmath.ncdf(lo) if lo < -c else 0
            return float((upper + lower) / inside)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (-2.0, 2.0),  # the common one (torch trunc_normal_, Keras/JAX truncated at 2 std)
        (-1.0, 3.0),  # around 0, asymmetric: two paths of different mass
        (-1.0, 6.0),  # around 0, reaching far on one side
        (-10.0, 10.0),  # practically untruncated: tail masses as the normal's
        (0.0, 3.0),  # alpha = 0
        (5.0, 6.0),  # far tail, one-sided
        (-6.0, -5.5),
        (8.0, 30.0),  # Phi(-8) = 6e-16: p below 2^-9 everywhere, log space
        (14.0, 15.0),  # Phi(-14) = 8e-45: below binary32's normal range
        (30.0, 37.0),  # W = 5e-198: W rounds to 0 in binary32
        (2.5, 2.6),  # narrow
    ],
)
def test_v2_trunc_normal_ten_million(a: float, b: float) -> None:
    x = bulk(TruncNormal32(0.0, 1.0, a, b, a, b))
    target = Truncated(a, b)
    assert x.min() >= np.float32(a) and x.max() <= np.float32(b)
    check_moments(x, target.mean, target.std)
    check_ks(x, target.cdf)
    for cut in (4.0, 5.0):
        if a < -cut or b > cut:
            check_tail_mass(x, cut, target.mass_beyond(cut))

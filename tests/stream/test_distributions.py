"""Distribution tests: 10^6 values per scheme against the formula (moments, bounds, KS test)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

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


def test_normal_tails_reach_beyond_five_sigma() -> None:
    # 53-bit open uniforms reach |z| ~ 8.2: tails are not cut at the 24-bit limit (~5.3 sigma).
    x = draw({"scheme": "normal"}, seed=3, shape=[4000, 1000])
    assert np.abs(x).max() > 5.0

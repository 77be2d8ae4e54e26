"""Distribution tests for the catalogue: 10^6 values per draw against each scheme's formula, every
name clash in each convention, and each paper recipe's std computed here from its paper's formula."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from scipy import stats

from tests.support import one_tensor, plan_of, tensor, values

N = 1_000_000
SHAPE = [500, 2000]  # torch layout: fan_in 2000, fan_out 500, fan_avg 1250, fan_geo_avg 1000
FANS = {"fan_in": 2000.0, "fan_out": 500.0, "fan_avg": 1250.0, "fan_geo_avg": 1000.0}
KS_P_MIN = 1e-3
TRUNC_CORRECTION = 0.87962566103423978  # std of N(0, 1) cut at +-2


def draw(init: dict[str, Any], shape: list[int] = SHAPE, seed: int = 17, **recipe: Any) -> np.ndarray:
    return values(plan_of({**one_tensor(init, shape, "float64", seed), **recipe}), "t")


def check_moments(x: np.ndarray, mean: float, std: float) -> None:
    assert abs(x.mean() - mean) < 6 * std / math.sqrt(x.size) + 1e-12
    assert abs(x.std() - std) < 6 * std / math.sqrt(2 * x.size) + 1e-12


def check_normal(x: np.ndarray, std: float, mean: float = 0.0) -> None:
    """Untruncated: the moments, a KS test, and tails beyond 4 std that a truncation would cut."""
    check_moments(x, mean, std)
    assert stats.kstest(x, stats.norm(loc=mean, scale=std).cdf).pvalue > KS_P_MIN
    assert np.abs(x - mean).max() > 4 * std


def check_truncated(x: np.ndarray, std: float) -> None:
    """Keras/JAX truncated normal with *final* std ``std``: parent s = std / 0.8796, cut at +-2 s."""
    s = std / TRUNC_CORRECTION
    assert np.abs(x).max() <= 2 * s
    assert np.abs(x).max() > 1.99 * s
    check_moments(x, 0.0, std)
    assert stats.kstest(x, stats.truncnorm(-2, 2, scale=s).cdf).pvalue > KS_P_MIN


def check_uniform(x: np.ndarray, bound: float) -> None:
    assert np.abs(x).max() <= bound and np.abs(x).max() > 0.999 * bound
    check_moments(x, 0.0, bound / math.sqrt(3))
    assert stats.kstest(x, stats.uniform(loc=-bound, scale=2 * bound).cdf).pvalue > KS_P_MIN


# ---- the variance-scaling core ----


@pytest.mark.parametrize("mode", ["fan_in", "fan_out", "fan_avg", "fan_geo_avg"])
def test_variance_scaling_uniform_every_mode(mode: str) -> None:
    x = draw({"scheme": "variance_scaling", "scale": 2.0, "mode": mode, "distribution": "uniform"})
    check_uniform(x, math.sqrt(3 * 2.0 / FANS[mode]))


def test_variance_scaling_untruncated_and_truncated() -> None:
    init = {"scheme": "variance_scaling", "scale": 3.0, "mode": "fan_avg"}
    check_normal(draw({**init, "distribution": "untruncated_normal"}), math.sqrt(3.0 / 1250))
    check_truncated(draw({**init, "distribution": "truncated_normal"}), math.sqrt(3.0 / 1250))


@pytest.mark.parametrize(
    ("convention", "truncated"), [("keras", True), ("jax", False), ("flax", False), ("torch", False)]
)
def test_variance_scaling_normal_means_what_the_convention_says(convention: str, truncated: bool) -> None:
    init = {
        "scheme": "variance_scaling",
        "mode": "fan_in",
        "distribution": "normal",
        "convention": convention,
    }
    x = draw(init)
    (check_truncated if truncated else check_normal)(x, math.sqrt(1.0 / 2000))


# ---- the named schemes: every clash in both conventions ----

TARGET_VARIANCE = {"kaiming_normal": 2.0 / 2000, "xavier_normal": 1.0 / 1250, "lecun_normal": 1.0 / 2000}
ALIAS = {"kaiming_normal": "he_normal", "xavier_normal": "glorot_normal", "lecun_normal": "lecun_normal"}


@pytest.mark.parametrize("name", list(TARGET_VARIANCE))
def test_normal_name_clash_torch_untruncated(name: str) -> None:
    check_normal(draw({"scheme": name}), math.sqrt(TARGET_VARIANCE[name]))


@pytest.mark.parametrize(
    ("name", "convention"),
    [("he_normal", "keras"), ("glorot_normal", "keras"), ("lecun_normal", "keras"),
     ("kaiming_normal", "jax"), ("xavier_normal", "jax"), ("lecun_normal", "flax")],
)  # fmt: skip
def test_normal_name_clash_keras_and_jax_truncated(name: str, convention: str) -> None:
    canonical = next(k for k, v in ALIAS.items() if name in (k, v))
    check_truncated(draw({"scheme": name, "convention": convention}), math.sqrt(TARGET_VARIANCE[canonical]))


def test_recipe_convention_is_inherited_by_inits_and_an_init_may_override_it() -> None:
    # A raw (500, 2000) tensor in the keras layout has fan_in = shape[0] = 500.
    check_truncated(draw({"scheme": "he_normal"}, convention="keras"), math.sqrt(2.0 / 500))
    check_normal(
        draw({"scheme": "he_normal", "convention": "torch"}, convention="keras"), math.sqrt(2.0 / 500)
    )


@pytest.mark.parametrize(
    ("init", "bound"),
    [
        ({"scheme": "he_uniform", "convention": "keras"}, math.sqrt(6.0 / 2000)),
        ({"scheme": "glorot_uniform"}, math.sqrt(6.0 / 2500)),
        ({"scheme": "lecun_uniform"}, math.sqrt(3.0 / 2000)),
    ],
)
def test_named_uniforms_agree_in_every_convention(init: dict[str, Any], bound: float) -> None:
    check_uniform(draw(init), bound)


def test_keras_fans_read_kernels_as_in_out() -> None:
    # A raw (2000, 500) tensor in Keras' layout: fan_in = 2000, fan_out = 500, as torch's (500, 2000).
    x = draw({"scheme": "glorot_normal"}, shape=[2000, 500], convention="keras")
    check_truncated(x, math.sqrt(1.0 / 1250))


@pytest.mark.parametrize(("convention", "std"), [("torch", 1.0), ("keras", 0.05), ("jax", 0.01)])
def test_normal_and_truncated_normal_defaults_follow_the_convention(convention: str, std: float) -> None:
    check_normal(draw({"scheme": "normal", "convention": convention}), std)
    x = draw({"scheme": "truncated_normal", "convention": convention})
    assert np.abs(x).max() <= 2 * std
    check_moments(x, 0.0, std * TRUNC_CORRECTION)


@pytest.mark.parametrize(("convention", "low", "high"), [("keras", -0.05, 0.05), ("jax", 0.0, 0.01)])
def test_uniform_defaults_follow_the_convention(convention: str, low: float, high: float) -> None:
    x = draw({"scheme": "uniform", "convention": convention})
    assert x.min() >= low and x.max() < high
    check_moments(x, (low + high) / 2, (high - low) / math.sqrt(12))


def test_truncated_normal_bounds_in_std_units_next_to_torch_absolute_bounds() -> None:
    # timm trunc_normal_tf_(mean=1, std=0.5, a=-1, b=3): bounds at mean + a*std, mean + b*std.
    x = draw({"scheme": "truncated_normal", "mean": 1.0, "std": 0.5, "a": -1.0, "b": 3.0})
    target = stats.truncnorm(-1.0, 3.0, loc=1.0, scale=0.5)
    assert x.min() >= 0.5 and x.max() <= 2.5
    check_moments(x, float(target.mean()), float(target.std()))
    assert stats.kstest(x, target.cdf).pvalue > KS_P_MIN
    # torch trunc_normal_ with the same numbers cuts at the absolute values -1 and 3.
    y = draw({"scheme": "trunc_normal", "mean": 1.0, "std": 0.5, "a": -1.0, "b": 3.0})
    absolute = stats.truncnorm(-4.0, 4.0, loc=1.0, scale=0.5)
    assert stats.kstest(y, absolute.cdf).pvalue > KS_P_MIN


# ---- paper recipes: std from each paper's formula, computed here ----

PAPERS: list[tuple[dict[str, Any], float]] = [
    ({"scheme": "scaled_residual", "n_layers": 12}, 0.02 / math.sqrt(24)),
    ({"scheme": "scaled_residual", "std": 0.006, "n_layers": 48}, 0.006 / math.sqrt(96)),
    ({"scheme": "small_init", "dim": 1024}, math.sqrt(2 / (5 * 1024))),
    ({"scheme": "wang_init", "n_layers": 24, "dim": 1024}, 2 / 24 / math.sqrt(1024)),
    ({"scheme": "deepnet", "n_layers": 18}, (8 * 18) ** -0.25 * math.sqrt(2 / 2500)),
    ({"scheme": "deepnet", "n_layers": 6, "decoder_layers": 12},
     0.87 * (6**4 * 12) ** (-1 / 16) * math.sqrt(2 / 2500)),
    ({"scheme": "deepnet", "n_layers": 6, "decoder_layers": 12, "block": "decoder"},
     (12 * 12) ** -0.25 * math.sqrt(2 / 2500)),
    ({"scheme": "t_fixup_embedding", "n_layers": 6, "dim": 512}, 512**-0.5 * (9 * 6) ** -0.25),
    ({"scheme": "fixup", "n_branches": 16}, math.sqrt(2 / 500) * 16**-0.5),
    ({"scheme": "fixup", "n_branches": 16, "m": 3, "mode": "fan_in"}, math.sqrt(2 / 2000) * 16**-0.25),
    ({"scheme": "selu"}, math.sqrt(1 / 2000)),
    ({"scheme": "mup", "std": 0.02, "base_fan_in": 256, "role": "hidden"}, 0.02 * math.sqrt(256 / 2000)),
    ({"scheme": "mup", "std": 0.02, "base_fan_in": 256, "role": "output"}, 0.02 * 256 / 2000),
    ({"scheme": "mup", "std": 0.02, "base_fan_in": 256, "role": "input"}, 0.02),
]  # fmt: skip


@pytest.mark.parametrize(
    ("init", "std"), PAPERS, ids=[f"{i['scheme']}-{n}" for n, (i, _) in enumerate(PAPERS)]
)
def test_paper_recipes_are_untruncated_normals_with_the_papers_std(init: dict[str, Any], std: float) -> None:
    x = draw(init)
    check_moments(x, 0.0, std)
    assert stats.kstest(x, stats.norm(scale=std).cdf).pvalue > KS_P_MIN


@pytest.mark.parametrize(
    ("init", "gain"),
    [
        ({"scheme": "t_fixup", "n_layers": 6}, 0.67 * 6**-0.25),
        ({"scheme": "t_fixup", "n_layers": 6, "block": "decoder"}, (9 * 6) ** -0.25),
    ],
)
def test_t_fixup_is_xavier_uniform_with_its_gain(init: dict[str, Any], gain: float) -> None:
    check_uniform(draw(init), gain * math.sqrt(6 / 2500))


def test_gains_reported_in_the_plan() -> None:
    plan = plan_of(one_tensor({"scheme": "deepnet", "n_layers": 18}, [4, 4]))
    assert tensor(plan, "t").gain == pytest.approx((8 * 18) ** -0.25, rel=1e-15)

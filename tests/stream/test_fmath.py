"""The portable math functions are accurate (they are also bit-pinned by the conformance vectors)."""

from __future__ import annotations

import math

import numpy as np
import scipy.special as sp

from tensorseed.stream import fmath


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def test_log_is_accurate_across_the_range() -> None:
    x = np.concatenate([np.logspace(-307, 307, 4001), np.linspace(1e-3, 10, 4001), [5e-324, 1e-310]])
    assert _rel(fmath.log(x), np.log(x)) < 1e-15
    assert fmath.log(np.array([0.0]))[0] == -math.inf
    assert fmath.log(np.array([1.0]))[0] == 0.0


def test_exp_is_accurate() -> None:
    xs = np.linspace(-707.9, 709, 20001)
    assert max(abs(fmath.exp(float(x)) - math.exp(x)) / math.exp(x) for x in xs) < 1e-15
    assert fmath.exp(-709.0) == 0.0
    assert fmath.exp(0.0) == 1.0


def test_ndtri_matches_scipy_including_far_tails() -> None:
    p = np.concatenate(
        [np.linspace(1e-9, 1 - 1e-9, 100001), np.logspace(-300, -1, 2000), 1 - np.logspace(-16, -1, 200)]
    )
    assert _rel(fmath.ndtri(p), sp.ndtri(p)) < 1e-14
    assert fmath.ndtri(np.array([0.5]))[0] == 0.0
    edge = fmath.ndtri(np.array([0.0, 1.0]))
    assert edge[0] == -math.inf and edge[1] == math.inf


def test_ndtr_matches_scipy_with_relative_precision_in_the_lower_tail() -> None:
    xs = np.linspace(-37, 8, 9001)
    ours = np.array([fmath.ndtr(float(x)) for x in xs])
    # The lower tail keeps relative precision (that is what far-tail truncation relies on).
    assert _rel(ours, sp.ndtr(xs)) < 1e-13
    assert fmath.ndtr(0.0) == 0.5
    assert fmath.ndtr(-40.0) == 0.0

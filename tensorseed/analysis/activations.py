"""Activation functions, their derivatives, and their moments under a Gaussian input.

The mean-field recursion needs, for h ~ N(mu, v), E[phi(h)], E[phi(h)^2] and E[phi'(h)^2], and
for two units with covariance k, E[phi(h1) phi(h2)] and E[phi'(h1) phi'(h2)]. Closed forms are
used where they exist (linear, relu, leaky_relu, selu in one dimension; the arc-cosine kernel for
zero-mean relu pairs); everything else is Gauss-Hermite quadrature (probabilists' nodes, 101 in
one dimension, 64 x 64 in two): 1e-5 or better for the smooth ones (tanh, sigmoid, gelu); a
kink (relu with a shared mean, selu') costs accuracy in two dimensions (about 1e-2).
"""

from __future__ import annotations

import math
from functools import cache
from typing import Literal

import numpy as np

from tensorseed.stream.fmath import CODY_A, CODY_B, CODY_C, CODY_D, CODY_P, CODY_Q, F64, INV_SQRT_PI

Activation = Literal["relu", "leaky_relu", "tanh", "sigmoid", "gelu", "selu", "linear"]
ACTIVATIONS: tuple[Activation, ...] = ("relu", "leaky_relu", "tanh", "sigmoid", "gelu", "selu", "linear")

#: Klambauer et al. 2017 (and torch.nn.SELU): the fixed point of mean 0, variance 1.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

SQRT_HALF = math.sqrt(0.5)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _erfc_positive(y: F64) -> F64:
    """Cody's erfc for y >= 0, vectorized (the same coefficients as the stream's scalar erfc)."""
    out = np.empty_like(y)
    small = y <= 0.46875
    mid = (y > 0.46875) & (y <= 4.0)
    big = y > 4.0
    ys = y[small]
    ysq = ys * ys
    num = CODY_A[4] * ysq
    den = ysq
    for i in range(3):
        num = (num + CODY_A[i]) * ysq
        den = (den + CODY_B[i]) * ysq
    out[small] = 1.0 - ys * (num + CODY_A[3]) / (den + CODY_B[3])
    ym = y[mid]
    num = CODY_C[8] * ym
    den = ym
    for i in range(7):
        num = (num + CODY_C[i]) * ym
        den = (den + CODY_D[i]) * ym
    out[mid] = np.exp(-ym * ym) * (num + CODY_C[7]) / (den + CODY_D[7])
    yb = y[big]
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        isq = 1.0 / (yb * yb)
        num = CODY_P[5] * isq
        den = isq
        for i in range(4):
            num = (num + CODY_P[i]) * isq
            den = (den + CODY_Q[i]) * isq
        r = (INV_SQRT_PI - isq * (num + CODY_P[4]) / (den + CODY_Q[4])) / yb
        out[big] = np.where(np.isfinite(yb), np.exp(-yb * yb) * r, 0.0)
    return out


def erfc(x: F64) -> F64:
    """Complementary error function, elementwise (erfc(-x) = 2 - erfc(x))."""
    x = np.asarray(x, dtype=np.float64)
    value = _erfc_positive(np.abs(x))
    return np.where(x < 0.0, 2.0 - value, value)


def ndtr(x: F64) -> F64:
    """Standard normal CDF, elementwise."""
    return 0.5 * erfc(-np.asarray(x, dtype=np.float64) * SQRT_HALF)


def npdf(x: F64) -> F64:
    """Standard normal density, elementwise."""
    return INV_SQRT_2PI * np.exp(-0.5 * np.asarray(x, dtype=np.float64) ** 2)


def apply(name: Activation, h: F64, slope: float = 0.01) -> F64:
    """phi(h), elementwise, in float64 (gelu is the exact one, h * Phi(h), as torch's default)."""
    with np.errstate(over="ignore", invalid="ignore"):
        if name == "relu":
            return np.maximum(h, 0.0)
        if name == "leaky_relu":
            return np.where(h >= 0.0, h, slope * h)
        if name == "tanh":
            return np.tanh(h)
        if name == "sigmoid":
            return 0.5 * (1.0 + np.tanh(0.5 * h))  # stable for large |h|, unlike 1 / (1 + e^-h)
        if name == "gelu":
            return h * ndtr(h)
        if name == "selu":
            return SELU_SCALE * np.where(h > 0.0, h, SELU_ALPHA * np.expm1(np.minimum(h, 0.0)))
        return np.asarray(h, dtype=np.float64).copy()


def derivative(name: Activation, h: F64, slope: float = 0.01) -> F64:
    """phi'(h), elementwise (relu'(0) = 0, leaky_relu'(0) = 1, as torch's autograd)."""
    with np.errstate(over="ignore", invalid="ignore"):
        if name == "relu":
            return (h > 0.0).astype(np.float64)
        if name == "leaky_relu":
            return np.where(h >= 0.0, 1.0, slope)
        if name == "tanh":
            t = np.tanh(h)
            return 1.0 - t * t
        if name == "sigmoid":
            s = 0.5 * (1.0 + np.tanh(0.5 * h))
            return s * (1.0 - s)
        if name == "gelu":
            return ndtr(h) + h * npdf(h)
        if name == "selu":
            return SELU_SCALE * np.where(h > 0.0, 1.0, SELU_ALPHA * np.exp(np.minimum(h, 0.0)))
        return np.ones_like(h, dtype=np.float64)


@cache
def _nodes_1d() -> tuple[F64, F64]:
    x, w = np.polynomial.hermite_e.hermegauss(101)
    return x, w / math.sqrt(2.0 * math.pi)


@cache
def _nodes_2d() -> tuple[F64, F64, F64]:
    x, w = np.polynomial.hermite_e.hermegauss(64)
    w = w / math.sqrt(2.0 * math.pi)
    z1, z2 = np.meshgrid(x, x, indexing="ij")
    return z1.ravel(), z2.ravel(), np.outer(w, w).ravel()


def _relu_moments(mu: float, sd: float) -> tuple[float, float, float]:
    """P(h > 0), E[relu(h)], E[relu(h)^2] for h ~ N(mu, sd^2), in closed form."""
    if sd == 0.0:
        r = max(mu, 0.0)
        return float(mu > 0.0), r, r * r
    a = mu / sd
    cdf = float(ndtr(np.array([a]))[0])
    pdf = float(npdf(np.array([a]))[0])
    return cdf, mu * cdf + sd * pdf, (mu * mu + sd * sd) * cdf + mu * sd * pdf


def _selu_moments(mu: float, sd: float) -> tuple[float, float, float, float]:
    """E[selu], E[selu^2], E[selu'], E[selu'^2] in closed form (truncated lognormal moments)."""
    p_pos, pos1, pos2 = _relu_moments(mu, sd)
    p_neg = 1.0 - p_pos

    def exp_below_zero(k: float) -> float:  # E[e^{k h} 1{h < 0}]
        if sd == 0.0:
            return math.exp(k * mu) if mu < 0.0 else 0.0
        log_scale = k * mu + 0.5 * k * k * sd * sd
        tail = float(ndtr(np.array([-(mu + k * sd * sd) / sd]))[0])
        return math.exp(log_scale) * tail if tail > 0.0 else 0.0

    e1, e2 = exp_below_zero(1.0), exp_below_zero(2.0)
    a, s = SELU_ALPHA, SELU_SCALE
    mean = s * (pos1 + a * (e1 - p_neg))
    second = s * s * (pos2 + a * a * (e2 - 2.0 * e1 + p_neg))
    dmean = s * (p_pos + a * e1)
    dsecond = s * s * (p_pos + a * a * e2)
    return mean, second, dmean, dsecond


def moments(
    name: Activation, mu: float, var: float, slope: float = 0.01
) -> tuple[float, float, float, float]:
    """(E[phi(h)], E[phi(h)^2], E[phi'(h)], E[phi'(h)^2]) for h ~ N(mu, var)."""
    sd = math.sqrt(max(var, 0.0))
    if name == "linear":
        return mu, mu * mu + sd * sd, 1.0, 1.0
    if name in ("relu", "leaky_relu"):
        p, m1, m2 = _relu_moments(mu, sd)
        if name == "relu":
            return m1, m2, p, p
        _, n1, n2 = _relu_moments(-mu, sd)  # relu(-h): the negative side
        return m1 - slope * n1, m2 + slope * slope * n2, p + slope * (1.0 - p), p + slope * slope * (1.0 - p)
    if name == "selu":
        return _selu_moments(mu, sd)
    x, w = _nodes_1d()
    h = mu + sd * x
    f = apply(name, h, slope)
    d = derivative(name, h, slope)
    return float(w @ f), float(w @ (f * f)), float(w @ d), float(w @ (d * d))


def _arccos_relu(sd: float, rho: float) -> tuple[float, float]:
    """E[relu(h1) relu(h2)] and P(h1 > 0, h2 > 0), zero means, equal variances sd^2, correlation rho."""
    rho = min(1.0, max(-1.0, rho))
    theta = math.acos(rho)
    both = sd * sd / (2.0 * math.pi) * (math.sin(theta) + (math.pi - theta) * rho)
    return both, 0.25 + math.asin(rho) / (2.0 * math.pi)


def cross_moments(
    name: Activation, mu: float, var: float, cov: float, slope: float = 0.01
) -> tuple[float, float]:
    """(E[phi(h1) phi(h2)], E[phi'(h1) phi'(h2)]) for two units of one layer: both N(mu, var),
    covariance ``cov`` (the part of the signal the units share)."""
    if var <= 0.0:
        f = float(apply(name, np.array([mu]), slope)[0])
        d = float(derivative(name, np.array([mu]), slope)[0])
        return f * f, d * d
    rho = min(1.0, max(-1.0, cov / var))
    sd = math.sqrt(var)
    if name == "linear":
        return cov + mu * mu, 1.0
    if name in ("relu", "leaky_relu") and mu == 0.0:
        both, p_both = _arccos_relu(sd, rho)
        if name == "relu":
            return both, p_both
        # phi(h) = relu(h) - a relu(-h); the pairs (h1, -h2) have correlation -rho.
        mixed, p_mixed = _arccos_relu(sd, -rho)
        a = slope
        return both * (1.0 + a * a) - 2.0 * a * mixed, p_both * (1.0 + a * a) + 2.0 * a * p_mixed
    z1, z2, w = _nodes_2d()
    h1 = mu + sd * z1
    h2 = mu + sd * (rho * z1 + math.sqrt(max(0.0, 1.0 - rho * rho)) * z2)
    values = apply(name, h1, slope) * apply(name, h2, slope)
    slopes = derivative(name, h1, slope) * derivative(name, h2, slope)
    return float(w @ values), float(w @ slopes)

"""Portable elementary functions: binary64, only + - * / sqrt, floor and exact scaling by 2^k.

These are the reference definitions of ``docs/stream-spec.md`` section "Portable math". Every
operation is written in the order the specification states, so that any IEEE-754 language
without fused multiply-add reproduces each result bit for bit. Accuracy is a design goal
(~1e-15 relative), but bit-reproducibility is the contract: never "simplify" an expression here.

``exp`` and ``ndtr`` work on Python floats (they compute per-tensor scalars); ``log`` and
``ndtri`` work elementwise on numpy float64 arrays (they run per element).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]

LN2_HI = 6.93147180369123816490e-01  # 0x3FE62E42FEE00000: low bits zero, so k*LN2_HI is exact
LN2_LO = 1.90821492927058770002e-10  # 0x3DEA39EF35793C76
INV_LN2 = 1.44269504088896338700e00
SQRT_HALF = 0.70710678118654752440  # also used as 1/sqrt(2)
INV_SQRT_PI = 5.6418958354775628695e-1

# exp: Taylor coefficients 1/n! for n = 13 down to 0, each the binary64 nearest the rational.
EXP_COEFFS = tuple(1.0 / math.factorial(n) for n in range(13, -1, -1))
# log: 2/(2n+1) for n = 11 down to 0 (series of 2*atanh(s)).
LOG_COEFFS = tuple(2.0 / (2 * n + 1) for n in range(11, -1, -1))


def _horner(coeffs: tuple[float, ...], x: float) -> float:
    acc = coeffs[0]
    for c in coeffs[1:]:
        acc = acc * x + c
    return acc


def exp(x: float) -> float:
    """e^x for x <= 709; 0.0 below -708 (the spec's cut, before subnormal results)."""
    if x < -708.0:
        return 0.0
    k = math.floor(x * INV_LN2 + 0.5)
    r = (x - k * LN2_HI) - k * LN2_LO
    return math.ldexp(_horner(EXP_COEFFS, r), k)


def log(x: F64) -> F64:
    """Natural log, elementwise, for x >= 0 (log 0 = -inf)."""
    x = np.asarray(x, dtype=np.float64)
    m, e = np.frexp(x)  # exact: x = m * 2^e, m in [0.5, 1)
    low = m < SQRT_HALF
    m = np.where(low, m * 2.0, m)
    e = np.where(low, e - 1, e).astype(np.float64)
    s = (m - 1.0) / (m + 1.0)
    z = s * s
    t = np.full_like(z, LOG_COEFFS[0])
    for c in LOG_COEFFS[1:]:
        t = t * z + c
    out: F64 = e * LN2_HI + (s * t + e * LN2_LO)
    return np.where(x == 0.0, -np.inf, out)


# Wichura, Algorithm AS 241 (PPND16), Applied Statistics 37 (1988) 477-484.
# Each tuple lists the coefficients from the highest power down to the constant term.
AS241_A = (
    2.5090809287301226727e3, 3.3430575583588128105e4, 6.7265770927008700853e4,
    4.5921953931549871457e4, 1.3731693765509461125e4, 1.9715909503065514427e3,
    1.3314166789178437745e2, 3.3871328727963666080e0,
)  # fmt: skip
AS241_B = (
    5.2264952788528545610e3, 2.8729085735721942674e4, 3.9307895800092710610e4,
    2.1213794301586595867e4, 5.3941960214247511077e3, 6.8718700749205790830e2,
    4.2313330701600911252e1, 1.0,
)  # fmt: skip
AS241_C = (
    7.74545014278341407640e-4, 2.27238449892691845833e-2, 2.41780725177450611770e-1,
    1.27045825245236838258e0, 3.64784832476320460504e0, 5.76949722146069140550e0,
    4.63033784615654529590e0, 1.42343711074968357734e0,
)  # fmt: skip
AS241_D = (
    1.05075007164441684324e-9, 5.47593808499534494600e-4, 1.51986665636164571966e-2,
    1.48103976427480074590e-1, 6.89767334985100004550e-1, 1.67638483018380384940e0,
    2.05319162663775882187e0, 1.0,
)  # fmt: skip
AS241_E = (
    2.01033439929228813265e-7, 2.71155556874348757815e-5, 1.24266094738807843860e-3,
    2.65321895265761230930e-2, 2.96560571828504891230e-1, 1.78482653991729133580e0,
    5.46378491116411436990e0, 6.65790464350110377720e0,
)  # fmt: skip
AS241_F = (
    2.04426310338993978564e-15, 1.42151175831644588870e-7, 1.84631831751005468180e-5,
    7.86869131145613259100e-4, 1.48753612908506148525e-2, 1.36929880922735805310e-1,
    5.99832206555887937690e-1, 1.0,
)  # fmt: skip


def _horner_array(coeffs: tuple[float, ...], x: F64) -> F64:
    acc = np.full_like(x, coeffs[0])
    for c in coeffs[1:]:
        acc = acc * x + c
    return acc


def ndtri(p: F64) -> F64:
    """Inverse of the standard normal CDF, elementwise (AS 241); p <= 0 -> -inf, p >= 1 -> +inf."""
    p = np.asarray(p, dtype=np.float64)
    out = np.empty_like(p)
    q = p - 0.5
    central = np.abs(q) <= 0.425
    qc = q[central]
    rc = 0.180625 - qc * qc
    out[central] = (qc * _horner_array(AS241_A, rc)) / _horner_array(AS241_B, rc)

    tail = ~central
    qt = q[tail]
    pt = p[tail]
    r = np.where(qt < 0.0, pt, 1.0 - pt)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.sqrt(-log(np.maximum(r, 0.0)))
    near = r <= 5.0
    val = np.empty_like(r)
    rn = r[near] - 1.6
    val[near] = _horner_array(AS241_C, rn) / _horner_array(AS241_D, rn)
    rf = r[~near] - 5.0
    with np.errstate(invalid="ignore"):
        val[~near] = _horner_array(AS241_E, rf) / _horner_array(AS241_F, rf)
    val = np.where(qt < 0.0, -val, val)
    val = np.where(pt <= 0.0, -np.inf, val)
    val = np.where(pt >= 1.0, np.inf, val)
    out[tail] = val
    return out


# Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969);
# coefficients of the CALERF routine (netlib specfun), in the routine's own index order.
CODY_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
          3.20937758913846947e03, 1.85777706184603153e-1)  # fmt: skip
CODY_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
          2.84423683343917062e03)  # fmt: skip
CODY_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
          2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
          2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)  # fmt: skip
CODY_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
          1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
          3.43936767414372164e03, 1.23033935480374942e03)  # fmt: skip
CODY_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
          1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)  # fmt: skip
CODY_Q = (2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1,
          6.05183413124413191e-2, 2.33520497626869185e-3)  # fmt: skip
ERFC_XBIG = 26.543


def _exp_neg_square(y: float) -> float:
    """exp(-y*y) with Cody's split of y into a 4-bit head and a small remainder."""
    head = math.floor(y * 16.0) / 16.0
    delta = (y - head) * (y + head)
    return exp(-head * head) * exp(-delta)


def erfc(y: float) -> float:
    """Complementary error function for y >= 0 (Cody's CALERF, jint = 1)."""
    if y <= 0.46875:
        ysq = y * y
        num = CODY_A[4] * ysq
        den = ysq
        for i in range(3):
            num = (num + CODY_A[i]) * ysq
            den = (den + CODY_B[i]) * ysq
        return 1.0 - (y * (num + CODY_A[3])) / (den + CODY_B[3])
    if y <= 4.0:
        num = CODY_C[8] * y
        den = y
        for i in range(7):
            num = (num + CODY_C[i]) * y
            den = (den + CODY_D[i]) * y
        return _exp_neg_square(y) * ((num + CODY_C[7]) / (den + CODY_D[7]))
    if y >= ERFC_XBIG:
        return 0.0
    ysq = 1.0 / (y * y)
    num = CODY_P[5] * ysq
    den = ysq
    for i in range(4):
        num = (num + CODY_P[i]) * ysq
        den = (den + CODY_Q[i]) * ysq
    r = (ysq * (num + CODY_P[4])) / (den + CODY_Q[4])
    r = (INV_SQRT_PI - r) / y
    return _exp_neg_square(y) * r


def ndtr(x: float) -> float:
    """Standard normal CDF: 0.5*erfc(-x/sqrt2) below zero, 1 - 0.5*erfc(x/sqrt2) from zero up."""
    if x < 0.0:
        return 0.5 * erfc(-x * SQRT_HALF)
    return 1.0 - 0.5 * erfc(x * SQRT_HALF)

"""Triton kernels for the stream: the reference samplers on a GPU, bit for bit.

Why this is bit-exact on a GPU (and what to keep when editing):
  * every kernel is compiled with ``enable_fp_fusion=False``: no a*b+c is contracted to an FMA
    (Triton then writes ``mul.rn``/``add.rn``, which ptxas may not fuse either);
  * v1's samplers (and v2's float64 outputs) compute in binary64. On NVIDIA, binary64 ``/``
    lowers to ``div.rn.f64`` and ``tl.sqrt`` on binary64 to ``sqrt.rn.f64`` (correctly rounded;
    there is no approximate f64 form);
  * v2's binary32 samplers compute in float32, where Triton's ``/`` and ``tl.sqrt`` may be the
    approximate ``div.full.f32``/``sqrt.approx.f32``: every division is ``tl.div_rn`` and every
    square root ``tl.sqrt_rn`` (``div.rn.f32``, ``sqrt.rn.f32``), and nothing is ``.ftz``
    (subnormals kept, as IEEE and the spec require). Their constants come from a float32 table
    made from the spec's bit patterns, and their per-tensor scalars as binary32 bit patterns,
    so no decimal literal is ever parsed on the way;
    scripts/gpu_check.py and tests/stream/test_triton_ptx.py check the generated PTX for these
    instructions and for the absence of FMA, and gpu_check compares the bytes with the CPU;
  * Python float literals meet binary64 tensors only in binary operations, where Triton converts
    them to binary64 exactly; per-tensor scalars come in a float64 tensor, never as kernel float
    arguments (which Triton would pass as float32);
  * binary64 -> float32 -> float16 conversions are round-to-nearest-even (``cvt.rn``); bfloat16
    uses the spec's integer formula.

Under ``TRITON_INTERPRET=1`` the same kernels run on CPU through numpy, which is how the test
suite proves equality without a GPU. Importing this module requires triton and torch.
"""

from __future__ import annotations

from typing import Any

import torch
import triton
import triton.language as tl

from tensorseed.stream import f32math
from tensorseed.stream.dtypes import DType
from tensorseed.stream.kernel import DTYPE_CODES, F_FLIP, F_NEGATE0, F_NEGATE1, F_ONE_SIDED, sampler_args
from tensorseed.stream.key import StreamKey
from tensorseed.stream.samplers import Sampler

# Philox4x32-10 (spec section 2)
M0 = tl.constexpr(0xD2511F53)
M1 = tl.constexpr(0xCD9E8D57)
W0 = tl.constexpr(0x9E3779B9)
W1 = tl.constexpr(0xBB67AE85)

# Portable math (spec section 5); each literal is the binary64 value the spec names.
LN2_HI = tl.constexpr(6.93147180369123816490e-01)
LN2_LO = tl.constexpr(1.90821492927058770002e-10)
SQRT_HALF = tl.constexpr(0.70710678118654752440)
L0 = tl.constexpr(2.0 / 23)
L1 = tl.constexpr(2.0 / 21)
L2 = tl.constexpr(2.0 / 19)
L3 = tl.constexpr(2.0 / 17)
L4 = tl.constexpr(2.0 / 15)
L5 = tl.constexpr(2.0 / 13)
L6 = tl.constexpr(2.0 / 11)
L7 = tl.constexpr(2.0 / 9)
L8 = tl.constexpr(2.0 / 7)
L9 = tl.constexpr(2.0 / 5)
L10 = tl.constexpr(2.0 / 3)
L11 = tl.constexpr(2.0 / 1)

TWO_POW_M24 = tl.constexpr(2.0**-24)
TWO_POW_M53 = tl.constexpr(2.0**-53)
BLOCK_DEFAULT = 256

# tensorseed-stream/2's binary32 constants (spec section 14), by position in CONST32.
C_SPLIT = tl.constexpr(0)
C_LOG2 = tl.constexpr(1)  # 4 coefficients
C_CENTRAL = tl.constexpr(5)  # 10
C_TAIL = tl.constexpr(15)  # 6
C_TWO_LN2 = tl.constexpr(21)
C_LN2 = tl.constexpr(22)
_CONST32 = (f32math.SQRT2, *f32math.LOG2_C, *f32math.CENTRAL_C, *f32math.TAIL_C, f32math.TWO_LN2, f32math.LN2)


@triton.jit
def _philox(c0, c1, c2, c3, k0, k1):
    """Four output words of Philox4x32-10 for uint32 counter tensors and uint32 key scalars."""
    for _ in tl.static_range(10):
        hi0 = tl.umulhi(c0, M0)
        lo0 = c0 * M0
        hi1 = tl.umulhi(c2, M1)
        lo1 = c2 * M1
        c0, c1, c2, c3 = hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0
        k0 = k0 + W0
        k1 = k1 + W1
    return c0, c1, c2, c3


@triton.jit
def _open52(w0, w1):
    k = (w1.to(tl.uint64) << 20) | (w0.to(tl.uint64) >> 12)
    return ((k << 1) | 1).to(tl.float64) * TWO_POW_M53


@triton.jit
def _uniform53(w0, w1):
    k = (w1.to(tl.uint64) << 21) | (w0.to(tl.uint64) >> 11)
    return k.to(tl.float64) * TWO_POW_M53


@triton.jit
def _log(x):
    """Spec 5.3 for x > 0 (callers handle 0): frexp on the bits, then the atanh series."""
    sub = x < 2.2250738585072014e-308
    x = tl.where(sub, x * 18014398509481984.0, x)  # 2^54
    bits = x.to(tl.uint64, bitcast=True)
    e = ((bits >> 52) & 0x7FF).to(tl.int32) - 1022 - tl.where(sub, 54, 0)
    m = ((bits & 0x800FFFFFFFFFFFFF) | 0x3FE0000000000000).to(tl.float64, bitcast=True)
    low = m < SQRT_HALF
    m = tl.where(low, m * 2.0, m)
    e = tl.where(low, e - 1, e)
    s = (m - 1.0) / (m + 1.0)
    z = s * s
    t = ((((((((((L0 * z + L1) * z + L2) * z + L3) * z + L4) * z + L5) * z + L6) * z + L7) * z + L8)
          * z + L9) * z + L10) * z + L11  # fmt: skip
    ed = e.to(tl.float64)
    return ed * LN2_HI + (s * t + ed * LN2_LO)


@triton.jit
def _ndtri(p):
    """Spec 5.4 (AS 241), all branches evaluated and selected (a warp takes both anyway)."""
    q = p - 0.5
    r = 0.180625 - q * q
    num = ((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r + 6.7265770927008700853e4) * r
                + 4.5921953931549871457e4) * r + 1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r
           + 1.3314166789178437745e2) * r + 3.3871328727963666080e0  # fmt: skip
    den = ((((((5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r + 3.9307895800092710610e4) * r
                + 2.1213794301586595867e4) * r + 5.3941960214247511077e3) * r + 6.8718700749205790830e2) * r
           + 4.2313330701600911252e1) * r + 1.0  # fmt: skip
    central = (q * num) / den

    rt = tl.where(q < 0.0, p, 1.0 - p)
    rt = tl.where(rt > 0.0, rt, 1.0)  # log(0) is handled by the p <= 0 / p >= 1 selects below
    rt = tl.sqrt(-_log(rt))
    rn = rt - 1.6
    num_c = ((((((7.74545014278341407640e-4 * rn + 2.27238449892691845833e-2) * rn
                 + 2.41780725177450611770e-1) * rn + 1.27045825245236838258e0) * rn
               + 3.64784832476320460504e0) * rn + 5.76949722146069140550e0) * rn
             + 4.63033784615654529590e0) * rn + 1.42343711074968357734e0  # fmt: skip
    den_d = ((((((1.05075007164441684324e-9 * rn + 5.47593808499534494600e-4) * rn
                 + 1.51986665636164571966e-2) * rn + 1.48103976427480074590e-1) * rn
               + 6.89767334985100004550e-1) * rn + 1.67638483018380384940e0) * rn
             + 2.05319162663775882187e0) * rn + 1.0  # fmt: skip
    rf = rt - 5.0
    num_e = ((((((2.01033439929228813265e-7 * rf + 2.71155556874348757815e-5) * rf
                 + 1.24266094738807843860e-3) * rf + 2.65321895265761230930e-2) * rf
               + 2.96560571828504891230e-1) * rf + 1.78482653991729133580e0) * rf
             + 5.46378491116411436990e0) * rf + 6.65790464350110377720e0  # fmt: skip
    den_f = ((((((2.04426310338993978564e-15 * rf + 1.42151175831644588870e-7) * rf
                 + 1.84631831751005468180e-5) * rf + 7.86869131145613259100e-4) * rf
               + 1.48753612908506148525e-2) * rf + 1.36929880922735805310e-1) * rf
             + 5.99832206555887937690e-1) * rf + 1.0  # fmt: skip
    v = tl.where(rt <= 5.0, num_c / den_d, num_e / den_f)
    v = tl.where(q < 0.0, -v, v)
    v = tl.where(p <= 0.0, float("-inf"), v)
    v = tl.where(p >= 1.0, float("inf"), v)
    return tl.where(tl.abs(q) <= 0.425, central, v)


@triton.jit
def _horner32(c_ptr, FIRST: tl.constexpr, N: tl.constexpr, x):
    acc = tl.zeros_like(x) + tl.load(c_ptr + FIRST)  # 0 + c is c exactly
    for i in tl.static_range(1, N):
        acc = acc * x + tl.load(c_ptr + FIRST + i)
    return acc


@triton.jit
def _log2_32(x, c_ptr):
    """Spec 14.3: log2 of positive normal binary32 values."""
    b = x.to(tl.uint32, bitcast=True)
    e = (b >> 23).to(tl.int32) - 127
    m = ((b & 0x007FFFFF) | 0x3F800000).to(tl.float32, bitcast=True)
    big = m > tl.load(c_ptr + C_SPLIT)
    m = tl.where(big, m * 0.5, m)
    e = tl.where(big, e + 1, e)
    f = m - 1.0
    s = tl.div_rn(f, f + 2.0)
    t = _horner32(c_ptr, C_LOG2, 4, s * s)
    return e.to(tl.float32) + s * t


@triton.jit
def _central32(c, c_ptr):
    """Spec 14.4: Phi^-1(1 - c/2) for c in [2^-8, 1]."""
    x = 1.0 - c
    w = -_log2_32(c * (2.0 - c), c_ptr)
    return x * _horner32(c_ptr, C_CENTRAL, 10, w)


@triton.jit
def _tail32(l2, c_ptr):
    """Spec 14.4: Phi^-1(1 - p) for l2 = -log2(p) >= 8.95."""
    y = l2 * tl.load(c_ptr + C_TWO_LN2)
    g = _log2_32(y, c_ptr)
    q = tl.div_rn(g, y)
    return tl.sqrt_rn((y - g * tl.load(c_ptr + C_LN2)) + _horner32(c_ptr, C_TAIL, 6, q))


@triton.jit
def _half_open(k):
    """Spec 14.2: u in (0, 1/2) from 31 bits, exactly."""
    fine = (k * 2 + 1).to(tl.float32) * 1.16415321826934814453125e-10  # 2^-33
    coarse = ((k >> 8) * 2 + 1).to(tl.float32) * 2.98023223876953125e-08  # 2^-25
    return tl.where(k < 8388608, fine, coarse)


@triton.jit
def _transform32(w, s_ptr, c_ptr, KIND: tl.constexpr, FLAGS: tl.constexpr):
    """A v2 binary32 sampler's value from its word (spec 15); scalars from s_ptr (float32)."""
    a = tl.load(s_ptr + 0)
    b = tl.load(s_ptr + 1)
    if KIND == 4:
        x = a + b * ((w >> 8).to(tl.float32) * 5.9604644775390625e-08)  # 2^-24
    elif KIND == 5:
        u = _half_open(w & 0x7FFFFFFF)
        tail = u < 0.001953125  # 2^-9
        t = _central32(u + u, c_ptr)
        if tl.max(tail.to(tl.int32), 0) > 0:  # one word in 256: most programs have some
            l2 = tl.where(tail, -_log2_32(u, c_ptr), 9.0)
            t = tl.where(tail, _tail32(l2, c_ptr), t)
        z = tl.where((w >> 31) == 1, t, -t)
        x = a + b * z
    else:
        alpha = tl.load(s_ptr + 2)
        beta = tl.load(s_ptr + 3)
        low = tl.load(s_ptr + 4)
        high = tl.load(s_ptr + 5)
        width = tl.load(s_ptr + 6)
        log2_width = tl.load(s_ptr + 7)
        r0 = tl.load(s_ptr + 8)
        r1 = tl.load(s_ptr + 9)
        path1 = (w >> 31) == 1
        u = _half_open(w & 0x7FFFFFFF)
        if FLAGS & 2:  # noqa: SIM108 (a constexpr branch: one-sided, path 1 walks down from hi)
            v = tl.where(path1, r1 - u, r0 + u)
        else:
            v = tl.where(path1, r1, r0) + u
        p = width * v
        central = p >= 0.001953125  # 2^-9
        lower = p <= 0.5
        c = tl.where(lower, p + p, (1.0 - p) * 2.0)
        c = tl.where(c >= 0.00390625, c, 0.00390625)  # only tail lanes are below 2^-8; redone next
        t = _central32(c, c_ptr)
        z = tl.where(lower, -t, t)
        if tl.min(central.to(tl.int32), 0) == 0:  # some tail lanes (none at all for [-2, 2])
            l2 = tl.where(central, 9.0, -(log2_width + _log2_32(v, c_ptr)))
            z = tl.where(central, z, -_tail32(l2, c_ptr))
        negate = tl.where(path1, (FLAGS & 8) != 0, (FLAGS & 4) != 0)
        z = tl.where(negate, -z, z)
        x = _truncated(z, alpha, beta, a, b, low, high)
    return x


@triton.jit
def _truncated(z, alpha, beta, a, b, low, high):
    """z clamped to [alpha, beta], then a + b * z clamped to [low, high] (spec 6.1 and 15.3), in
    z's precision. numpy's maximum/minimum for non-NaN inputs: (x >= y) ? x : y, (x <= y) ? x : y."""
    z = tl.where(z >= alpha, z, alpha)
    z = tl.where(z <= beta, z, beta)
    x = a + b * z
    x = tl.where(x >= low, x, low)
    return tl.where(x <= high, x, high)


@triton.jit
def _store32(out_ptr, offs, mask, x, DTYPE: tl.constexpr):
    """A binary32 value to the output dtype (spec 13.4 with 7: float16/bfloat16 from it)."""
    if DTYPE == 0:
        tl.store(out_ptr + offs, x, mask=mask)
    elif DTYPE == 2:
        tl.store(out_ptr + offs, x.to(tl.float16), mask=mask)
    else:
        bits = x.to(tl.uint32, bitcast=True)
        rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
        tl.store(out_ptr + offs, rounded.to(tl.uint16).to(tl.int16, bitcast=True), mask=mask)


@triton.jit
def _transform(w0, w1, params_ptr, KIND: tl.constexpr, WIDE: tl.constexpr, FLIP: tl.constexpr):
    """The sampler's binary64 value from an element's words (w1 unused for one-word samplers)."""
    a = tl.load(params_ptr + 0)
    b = tl.load(params_ptr + 1)
    if KIND == 1:
        if WIDE:  # noqa: SIM108 (a constexpr branch: only one side is compiled)
            u = _uniform53(w0, w1)
        else:
            u = (w0 >> 8).to(tl.float64) * TWO_POW_M24
        x = a + (b - a) * u
    elif KIND == 2:
        x = a + b * _ndtri(_open52(w0, w1))
    else:
        alpha = tl.load(params_ptr + 2)
        beta = tl.load(params_ptr + 3)
        low = tl.load(params_ptr + 4)
        high = tl.load(params_ptr + 5)
        cdf_low = tl.load(params_ptr + 6)
        cdf_width = tl.load(params_ptr + 7)
        z = _ndtri(cdf_low + cdf_width * _open52(w0, w1))
        if FLIP:
            z = -z
        x = _truncated(z, alpha, beta, a, b, low, high)
    return x


@triton.jit
def _store(out_ptr, offs, mask, x, DTYPE: tl.constexpr):
    """Round binary64 to the output dtype (spec 7) and store: float64 as it is, the others through
    float32 (the binary64 -> float32 step of spec 7, then _store32's rounding)."""
    if DTYPE == 1:
        tl.store(out_ptr + offs, x, mask=mask)
    else:
        _store32(out_ptr, offs, mask, x.to(tl.float32), DTYPE)


@triton.jit
def fill_kernel(
    out_ptr, params_ptr, key_ptr, start, count, zero_lo, zero_hi,
    KIND: tl.constexpr, DTYPE: tl.constexpr, FLIP: tl.constexpr, BLOCK: tl.constexpr,
):  # fmt: skip
    """v1's samplers (kinds 0-3): elements [start, start + count) into out_ptr[0 .. count);
    each program does BLOCK Philox blocks."""
    start = start.to(tl.int64)
    count = count.to(tl.int64)
    k0 = tl.load(key_ptr + 0).to(tl.uint32, bitcast=True)
    k1 = tl.load(key_ptr + 1).to(tl.uint32, bitcast=True)
    c2 = tl.load(key_ptr + 2).to(tl.uint32, bitcast=True)
    c3 = tl.load(key_ptr + 3).to(tl.uint32, bitcast=True)
    WIDE: tl.constexpr = DTYPE == 1
    PER_BLOCK: tl.constexpr = 4 if (KIND == 1 and not WIDE) else 2  # elements per Philox block
    block = start // PER_BLOCK + tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK).to(tl.int64)
    if KIND == 0:
        e = start + tl.program_id(0).to(tl.int64) * BLOCK * 4 + tl.arange(0, BLOCK * 4).to(tl.int64)
        x = tl.zeros([BLOCK * 4], tl.float64) + tl.load(params_ptr + 0)
    else:
        c0 = block.to(tl.uint32)
        c1 = (block >> 32).to(tl.uint32)
        zero = tl.zeros([BLOCK], tl.uint32)
        x0, x1, x2, x3 = _philox(c0, c1, zero + c2, zero + c3, k0, k1)
        if PER_BLOCK == 4:
            x = tl.interleave(
                tl.interleave(_transform(x0, x0, params_ptr, KIND, WIDE, FLIP),
                              _transform(x2, x2, params_ptr, KIND, WIDE, FLIP)),
                tl.interleave(_transform(x1, x1, params_ptr, KIND, WIDE, FLIP),
                              _transform(x3, x3, params_ptr, KIND, WIDE, FLIP)),
            )  # fmt: skip
            e = block.to(tl.int64) * 4
            e = tl.interleave(tl.interleave(e, e + 2), tl.interleave(e + 1, e + 3))
        else:
            first = _transform(x0, x1, params_ptr, KIND, WIDE, FLIP)
            second = _transform(x2, x3, params_ptr, KIND, WIDE, FLIP)
            x = tl.interleave(first, second)
            e = block.to(tl.int64) * 2
            e = tl.interleave(e, e + 1)
    x = tl.where((e >= zero_lo) & (e < zero_hi), 0.0, x)
    mask = (e >= start) & (e < start + count)
    _store(out_ptr, e - start, mask, x, DTYPE)


@triton.jit
def fill_kernel32(
    out_ptr, scalars_ptr, consts_ptr, key_ptr, start, count, zero_lo, zero_hi,
    KIND: tl.constexpr, DTYPE: tl.constexpr, FLAGS: tl.constexpr, BLOCK: tl.constexpr,
):  # fmt: skip
    """v2's binary32 samplers (kinds 4-6): one word per element, so each Philox block gives four
    consecutive elements; each program does BLOCK blocks."""
    start = start.to(tl.int64)
    count = count.to(tl.int64)
    k0 = tl.load(key_ptr + 0).to(tl.uint32, bitcast=True)
    k1 = tl.load(key_ptr + 1).to(tl.uint32, bitcast=True)
    c2 = tl.load(key_ptr + 2).to(tl.uint32, bitcast=True)
    c3 = tl.load(key_ptr + 3).to(tl.uint32, bitcast=True)
    block = start // 4 + tl.program_id(0).to(tl.int64) * BLOCK + tl.arange(0, BLOCK).to(tl.int64)
    zero = tl.zeros([BLOCK], tl.uint32)
    x0, x1, x2, x3 = _philox(block.to(tl.uint32), (block >> 32).to(tl.uint32), zero + c2, zero + c3, k0, k1)
    x = tl.interleave(
        tl.interleave(_transform32(x0, scalars_ptr, consts_ptr, KIND, FLAGS),
                      _transform32(x2, scalars_ptr, consts_ptr, KIND, FLAGS)),
        tl.interleave(_transform32(x1, scalars_ptr, consts_ptr, KIND, FLAGS),
                      _transform32(x3, scalars_ptr, consts_ptr, KIND, FLAGS)),
    )  # fmt: skip
    e = block * 4
    e = tl.interleave(tl.interleave(e, e + 2), tl.interleave(e + 1, e + 3))
    x = tl.where((e >= zero_lo) & (e < zero_hi), 0.0, x)
    mask = (e >= start) & (e < start + count)
    _store32(out_ptr, e - start, mask, x, DTYPE)


def _signed32(bits: int) -> int:
    return bits - (1 << 32) if bits >= 1 << 31 else bits


_TORCH_DTYPES = {
    DType.float32: torch.float32,
    DType.float64: torch.float64,
    DType.float16: torch.float16,
    DType.bfloat16: torch.int16,  # bfloat16 bit patterns, computed by the spec's formula
}


def launch(
    out: torch.Tensor,
    sampler: Sampler,
    key: StreamKey,
    start: int,
    count: int,
    dtype: DType,
    zeroed: tuple[int, int] | None = None,
    block: int = BLOCK_DEFAULT,
) -> Any:
    """Fill ``out`` (a uint8 tensor of at least count * itemsize bytes, on the kernel's device).

    Returns Triton's compiled-kernel handle (its ``asm`` holds the PTX that gpu_check inspects).
    """
    if count <= 0:
        return None
    kind, params = sampler_args(sampler)
    device = out.device
    flags = int(params[12])
    words = [_signed32(w) for w in (key.k0, key.k1, key.c2, key.c3)]
    keys = torch.tensor(words, dtype=torch.int32, device=device)
    lo, hi = zeroed if zeroed is not None else (0, 0)
    typed = out[: count * dtype.itemsize].view(_TORCH_DTYPES[dtype])
    if kind >= 4:
        # Bit patterns in, float32 out: no value is converted on the way.
        scalars = torch.tensor([_signed32(int(b)) for b in params[:12]], dtype=torch.int32, device=device)
        consts = torch.tensor(
            [_signed32(int(c.view("uint32"))) for c in _CONST32], dtype=torch.int32, device=device
        )
        grid = (triton.cdiv((start + count - 1) // 4 - start // 4 + 1, block),)
        return fill_kernel32[grid](
            typed, scalars.view(torch.float32), consts.view(torch.float32), keys, start, count, lo, hi,
            KIND=kind, DTYPE=DTYPE_CODES[dtype], FLAGS=flags & (F_ONE_SIDED | F_NEGATE0 | F_NEGATE1),
            BLOCK=block, **_compile_options(),
        )  # fmt: skip
    scalars = torch.tensor([float(v) for v in params[:8]], dtype=torch.float64, device=device)
    per_block = 4 if (kind == 1 and dtype is not DType.float64) or kind == 0 else 2
    first_block = start // per_block
    last_block = (start + count - 1) // per_block
    grid = (triton.cdiv(last_block - first_block + 1, block),)
    return fill_kernel[grid](
        typed, scalars, keys, start, count, lo, hi,
        KIND=kind, DTYPE=DTYPE_CODES[dtype], FLIP=bool(flags & F_FLIP), BLOCK=block,
        **_compile_options(),
    )  # fmt: skip


_POINTER_TYPES = {
    DType.float32: "*fp32",
    DType.float64: "*fp64",
    DType.float16: "*fp16",
    DType.bfloat16: "*i16",
}


def compile_ptx(kind: int, dtype: DType, flip: bool = False, arch: int = 90, flags: int = 0) -> str:
    """PTX of ``fill_kernel`` (kinds 0-3) or ``fill_kernel32`` (4-6) for an NVIDIA target,
    compiled ahead of time (no GPU needed).

    The launcher's options are used, so this is the code a device would run: tests read it to
    check that division and square root are correctly rounded, that nothing fused and that
    nothing flushes subnormals.
    """
    from triton.backends.compiler import GPUTarget
    from triton.compiler import ASTSource

    if kind >= 4:
        signature32 = {
            "out_ptr": _POINTER_TYPES[dtype], "scalars_ptr": "*fp32", "consts_ptr": "*fp32",
            "key_ptr": "*i32", "start": "i64", "count": "i64", "zero_lo": "i64", "zero_hi": "i64",
            "KIND": "constexpr", "DTYPE": "constexpr", "FLAGS": "constexpr", "BLOCK": "constexpr",
        }  # fmt: skip
        constants32 = {"KIND": kind, "DTYPE": DTYPE_CODES[dtype], "FLAGS": flags, "BLOCK": BLOCK_DEFAULT}
        source32 = ASTSource(fn=fill_kernel32, signature=signature32, constexprs=constants32)
        compiled32 = triton.compile(source32, target=GPUTarget("cuda", arch, 32), options=_compile_options())
        return str(compiled32.asm["ptx"])
    signature = {
        "out_ptr": _POINTER_TYPES[dtype], "params_ptr": "*fp64", "key_ptr": "*i32", "start": "i64",
        "count": "i64", "zero_lo": "i64", "zero_hi": "i64",
        "KIND": "constexpr", "DTYPE": "constexpr", "FLIP": "constexpr", "BLOCK": "constexpr",
    }  # fmt: skip
    constants = {"KIND": kind, "DTYPE": DTYPE_CODES[dtype], "FLIP": flip, "BLOCK": BLOCK_DEFAULT}
    source = ASTSource(fn=fill_kernel, signature=signature, constexprs=constants)
    compiled = triton.compile(source, target=GPUTarget("cuda", arch, 32), options=_compile_options())
    return str(compiled.asm["ptx"])


def _compile_options() -> dict[str, Any]:
    """No FMA contraction. (The interpreter ignores compile options; numpy never fuses.)"""
    return {"enable_fp_fusion": False}

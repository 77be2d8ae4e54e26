"""Triton kernels for the stream: the reference samplers on a GPU, bit for bit.

Why this is bit-exact on a GPU (and what to keep when editing):
  * every kernel is compiled with ``enable_fp_fusion=False``: no a*b+c is contracted to an FMA;
  * all sampler arithmetic is binary64. On NVIDIA, binary64 ``/`` lowers to ``div.rn.f64`` and
    ``tl.sqrt`` on binary64 to ``sqrt.rn.f64`` (correctly rounded; there is no approximate f64
    form). ``tl.div_rn``/``tl.sqrt_rn`` exist only for float32, so they are not used;
    scripts/gpu_check.py checks the generated PTX for these instructions and for the absence of
    FMA, and compares the bytes with the CPU;
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

from tensorseed.stream.dtypes import DType
from tensorseed.stream.kernel import DTYPE_CODES, sampler_args
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
        # numpy's maximum/minimum for non-NaN inputs: (a >= b) ? a : b, (a <= b) ? a : b
        z = tl.where(z >= alpha, z, alpha)
        z = tl.where(z <= beta, z, beta)
        x = a + b * z
        x = tl.where(x >= low, x, low)
        x = tl.where(x <= high, x, high)
    return x


@triton.jit
def _store(out_ptr, offs, mask, x, DTYPE: tl.constexpr):
    """Round binary64 to the output dtype (spec 7) and store."""
    if DTYPE == 1:
        tl.store(out_ptr + offs, x, mask=mask)
    elif DTYPE == 0:
        tl.store(out_ptr + offs, x.to(tl.float32), mask=mask)
    elif DTYPE == 2:
        tl.store(out_ptr + offs, x.to(tl.float32).to(tl.float16), mask=mask)
    else:
        bits = x.to(tl.float32).to(tl.uint32, bitcast=True)
        rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
        tl.store(out_ptr + offs, rounded.to(tl.uint16).to(tl.int16, bitcast=True), mask=mask)


@triton.jit
def fill_kernel(
    out_ptr, params_ptr, key_ptr, start, count, zero_lo, zero_hi,
    KIND: tl.constexpr, DTYPE: tl.constexpr, FLIP: tl.constexpr, BLOCK: tl.constexpr,
):  # fmt: skip
    """Elements [start, start + count) into out_ptr[0 .. count); each program does BLOCK Philox blocks."""
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
    scalars = torch.tensor([float(v) for v in params[:8]], dtype=torch.float64, device=device)
    words = [w - (1 << 32) if w >= 1 << 31 else w for w in (key.k0, key.k1, key.c2, key.c3)]
    keys = torch.tensor(words, dtype=torch.int32, device=device)
    lo, hi = zeroed if zeroed is not None else (0, 0)
    typed = out[: count * dtype.itemsize].view(_TORCH_DTYPES[dtype])
    per_block = 4 if (kind == 1 and dtype is not DType.float64) or kind == 0 else 2
    first_block = start // per_block
    last_block = (start + count - 1) // per_block
    grid = (triton.cdiv(last_block - first_block + 1, block),)
    return fill_kernel[grid](
        typed, scalars, keys, start, count, lo, hi,
        KIND=kind, DTYPE=DTYPE_CODES[dtype], FLIP=bool(params[8]), BLOCK=block,
        **_compile_options(),
    )  # fmt: skip


_POINTER_TYPES = {
    DType.float32: "*fp32",
    DType.float64: "*fp64",
    DType.float16: "*fp16",
    DType.bfloat16: "*i16",
}


def compile_ptx(kind: int, dtype: DType, flip: bool = False, arch: int = 90) -> str:
    """PTX of ``fill_kernel`` for an NVIDIA target, compiled ahead of time (no GPU needed).

    The launcher's options are used, so this is the code a device would run: tests read it to
    check that binary64 division and square root are correctly rounded and that nothing fused.
    """
    from triton.backends.compiler import GPUTarget
    from triton.compiler import ASTSource

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

"""The compiled CPU kernel (``_kernel.c``) behind a typed Python face, or its absence.

The kernel computes exactly what the reference samplers plus ``round_to_dtype`` compute, for
any element range, straight into the output bytes, on several threads with the GIL released.
It is optional at build time: without a C compiler the package still installs, ``AVAILABLE``
is false, and the engine falls back to the numpy reference (it logs that and shows it in
/metrics). Tests refuse to pass without it unless TENSORSEED_ALLOW_NO_KERNEL=1 says so.
"""

from __future__ import annotations

import os
from types import ModuleType

from typing_extensions import Buffer

from tensorseed.stream.dtypes import DType
from tensorseed.stream.f32math import f32_bits
from tensorseed.stream.key import StreamKey
from tensorseed.stream.samplers import (
    Constant,
    Normal,
    Normal32,
    Sampler,
    TruncNormal,
    TruncNormal32,
    Uniform,
    Uniform32,
)

_module: ModuleType | None
try:
    from tensorseed.stream import _kernel as _module
except ImportError:  # built without a compiler: the reference backend takes over
    _module = None

AVAILABLE = _module is not None

DTYPE_CODES = {DType.float32: 0, DType.float64: 1, DType.float16: 2, DType.bfloat16: 3}

#: Twelve per-tensor scalars and an int of flags (the kernel's layout, see _kernel.c): binary64
#: values for v1's kinds, binary32 bit patterns (ints) for v2's.
Params = tuple[float | int, ...]
F_FLIP, F_ONE_SIDED, F_NEGATE0, F_NEGATE1 = 1, 2, 4, 8


def isa() -> str | None:
    """The instruction set the kernel dispatched to on this CPU (None without the kernel)."""
    return None if _module is None else str(_module.isa())


def default_threads() -> int:
    """The CPUs this process may run on (cgroup/affinity aware where the OS tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


#: The samplers the compiled and Triton kernels implement, by exact class (v2's binary32
#: samplers subclass v1's and must never be taken for them).
KERNEL_SAMPLERS = (Constant, Uniform, Normal, TruncNormal, Uniform32, Normal32, TruncNormal32)


def supports(sampler: Sampler) -> bool:
    """Whether the kernels compute this sampler (else the reference does)."""
    return type(sampler) in KERNEL_SAMPLERS


def _params(values: tuple[float, ...], flags: int = 0) -> Params:
    return (*(float(v) for v in values), *([0.0] * (12 - len(values))), flags)


def _bits(values: tuple[float, ...], flags: int = 0) -> Params:
    """r32 of each scalar as its bit pattern: computed with integers, so the caller's
    flush-to-zero mode cannot change a subnormal scalar on its way to the kernel."""
    return (*(f32_bits(v) for v in values), *([0] * (12 - len(values))), flags)


def sampler_args(sampler: Sampler) -> tuple[int, Params]:
    """The kernel's (kind, params) for a sampler; the per-tensor scalars come from the sampler.

    v1 kinds (0-3) take binary64 scalars; v2's binary32 kinds (4-6) take their scalars rounded
    by ``r32`` (spec 14.1), as binary32 bit patterns."""
    kind = type(sampler)
    if kind is Constant:
        assert isinstance(sampler, Constant)
        return 0, _params((sampler.value,))
    if kind is Uniform:
        assert isinstance(sampler, Uniform)
        return 1, _params((sampler.low, sampler.high))
    if kind is Normal:
        assert isinstance(sampler, Normal)
        return 2, _params((sampler.mean, sampler.std))
    if kind is TruncNormal:
        assert isinstance(sampler, TruncNormal)
        s = sampler
        values = (s.mean, s.std, s.alpha, s.beta, s.low, s.high, s.cdf_low, s.cdf_width)
        return 3, _params(values, F_FLIP if s.flip else 0)
    if kind is Uniform32:
        assert isinstance(sampler, Uniform32)
        return 4, _bits((sampler.low, sampler.high - sampler.low))
    if kind is Normal32:
        assert isinstance(sampler, Normal32)
        return 5, _bits((sampler.mean, sampler.std))
    if kind is TruncNormal32:
        assert isinstance(sampler, TruncNormal32)
        t = sampler
        scalars = (t.mean, t.std, t.alpha, t.beta, t.low, t.high, t.cdf_width, t.log2_width, t.r0, t.r1)
        negate0, negate1 = t.path_negated
        flags = (
            (F_ONE_SIDED if t.one_sided else 0)
            | (F_NEGATE0 if negate0 else 0)
            | (F_NEGATE1 if negate1 else 0)
        )
        return 6, _bits(scalars, flags)
    raise TypeError(f"no kernel for sampler {sampler!r}")


def _args(
    sampler: Sampler,
    key: StreamKey,
    start: int,
    count: int,
    dtype: DType,
    zeroed: tuple[int, int] | None,
    threads: int,
) -> tuple[object, ...]:
    kind, params = sampler_args(sampler)
    lo, hi = zeroed if zeroed is not None else (0, 0)
    return (kind, params, (key.k0, key.k1, key.c2, key.c3), start, count, DTYPE_CODES[dtype], lo, hi, threads)


def generate(
    sampler: Sampler,
    key: StreamKey,
    start: int,
    count: int,
    dtype: DType,
    zeroed: tuple[int, int] | None = None,
    threads: int = 1,
) -> bytes:
    """Little-endian bytes of elements [start, start + count); elements in ``zeroed`` are +0.0."""
    if _module is None:
        raise RuntimeError("the compiled kernel is not built")
    out: bytes = _module.generate(*_args(sampler, key, start, count, dtype, zeroed, threads))
    return out


def fill(
    out: Buffer,
    sampler: Sampler,
    key: StreamKey,
    start: int,
    count: int,
    dtype: DType,
    zeroed: tuple[int, int] | None = None,
    threads: int = 1,
) -> None:
    """Like ``generate`` but into a writable C-contiguous buffer (e.g. a reused chunk buffer)."""
    if _module is None:
        raise RuntimeError("the compiled kernel is not built")
    _module.fill(out, *_args(sampler, key, start, count, dtype, zeroed, threads))

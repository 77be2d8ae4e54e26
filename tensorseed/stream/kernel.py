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
from tensorseed.stream.key import StreamKey
from tensorseed.stream.samplers import Constant, Normal, Sampler, TruncNormal, Uniform

_module: ModuleType | None
try:
    from tensorseed.stream import _kernel as _module
except ImportError:  # built without a compiler: the reference backend takes over
    _module = None

AVAILABLE = _module is not None

DTYPE_CODES = {DType.float32: 0, DType.float64: 1, DType.float16: 2, DType.bfloat16: 3}

Params = tuple[float, float, float, float, float, float, float, float, bool]


def isa() -> str | None:
    """The instruction set the kernel dispatched to on this CPU (None without the kernel)."""
    return None if _module is None else str(_module.isa())


def default_threads() -> int:
    """The CPUs this process may run on (cgroup/affinity aware where the OS tells)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def sampler_args(sampler: Sampler) -> tuple[int, Params]:
    """The kernel's (kind, params) for a sampler; the per-tensor scalars come from the sampler."""
    if isinstance(sampler, Constant):
        return 0, (sampler.value, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, False)
    if isinstance(sampler, Uniform):
        return 1, (sampler.low, sampler.high, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, False)
    if isinstance(sampler, Normal):
        return 2, (sampler.mean, sampler.std, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, False)
    if isinstance(sampler, TruncNormal):
        s = sampler
        return 3, (s.mean, s.std, s.alpha, s.beta, s.low, s.high, s.cdf_low, s.cdf_width, s.flip)
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

"""Backends turn (tensor plan, element range) into output bytes.

The reference backend is the readable numpy implementation of the spec; any faster backend
must produce identical bytes for every range (tests compare them).
"""

from __future__ import annotations

import logging
from typing import Protocol

import numpy as np

from tensorseed.engine.gather import permuted_fill
from tensorseed.recipe.plan import TensorPlan
from tensorseed.stream import kernel
from tensorseed.stream.dtypes import DType, round_to_dtype
from tensorseed.stream.fmath import F64
from tensorseed.stream.samplers import sample

log = logging.getLogger("tensorseed")


class Backend(Protocol):
    name: str

    def fill(self, tensor: TensorPlan, start: int, count: int) -> bytes:
        """Little-endian bytes of elements [start, start + count) of ``tensor``."""
        ...


def reference_values(tensor: TensorPlan, start: int, count: int) -> F64:
    """Binary64 values before dtype rounding, with the zeroed row (Embedding padding_idx)."""
    values = sample(tensor.sampler, tensor.key, start, count, tensor.dtype.wide_uniforms)
    if tensor.zero_row is not None:
        row_len = tensor.row_elements
        lo = max(start, tensor.zero_row * row_len)
        hi = min(start + count, (tensor.zero_row + 1) * row_len)
        if lo < hi:
            values[lo - start : hi - start] = 0.0
    return values


class ReferenceBackend:
    """numpy reference: slow, readable, and the definition every other backend is held to."""

    name = "reference"

    #: Elements per numpy pass: the reference holds ~10 binary64 temporaries per element, so a
    #: whole 4 MiB chunk of bfloat16 at once would cost ~150 MiB; slices keep it near 20 MiB.
    batch_elements = 1 << 18

    def fill(self, tensor: TensorPlan, start: int, count: int) -> bytes:
        if tensor.torch_draw is not None:
            return tensor.torch_draw.fill(start, count)
        parts = []
        for pos in range(start, start + count, self.batch_elements):
            n = min(self.batch_elements, start + count - pos)
            rounded = round_to_dtype(reference_values(tensor, pos, n), tensor.dtype)
            parts.append(np.ascontiguousarray(rounded).tobytes())
        return b"".join(parts)


_REFERENCE = ReferenceBackend()


def fast_path_can_fill(tensor: TensorPlan) -> bool:
    """Whether the compiled and Triton kernels implement this tensor: the elementwise samplers in
    float dtypes. Position-defined and orthogonal samplers, int64 buffers and torch-exact
    tensors always come from the reference (they are small, or not elementwise)."""
    return tensor.torch_draw is None and kernel.supports(tensor.sampler) and tensor.dtype is not DType.int64


def reference_fill(tensor: TensorPlan, start: int, count: int) -> bytes:
    """The reference's bytes: what fast backends hand back for what they do not implement."""
    return _REFERENCE.fill(tensor, start, count)


def zeroed_elements(tensor: TensorPlan) -> tuple[int, int] | None:
    """The element range [lo, hi) of the tensor's zeroed row, if it has one."""
    if tensor.zero_row is None:
        return None
    row_len = tensor.row_elements
    return tensor.zero_row * row_len, (tensor.zero_row + 1) * row_len


class KernelBackend:
    """The compiled CPU kernel: same bytes as the reference, vectorized, on ``threads`` threads."""

    name = "cpu-kernel"

    def __init__(self, threads: int) -> None:
        if not kernel.AVAILABLE:
            raise RuntimeError("the compiled kernel is not built")
        self.threads = max(1, threads)

    def fill(self, tensor: TensorPlan, start: int, count: int) -> bytes:
        if not fast_path_can_fill(tensor):
            # An exported tensor that permutes one source: the kernel fills its runs.
            permuted = permuted_fill(tensor, start, count)
            return permuted if permuted is not None else reference_fill(tensor, start, count)
        return kernel.generate(
            tensor.sampler, tensor.key, start, count, tensor.dtype, zeroed_elements(tensor), self.threads
        )


def cpu_backend(threads: int = 0, prefer_kernel: bool = True) -> Backend:
    """The fastest CPU backend this build has; says so in the log when it has to fall back.

    ``threads`` <= 0 means every CPU this process may use.
    """
    if prefer_kernel and kernel.AVAILABLE:
        return KernelBackend(threads if threads > 0 else kernel.default_threads())
    if prefer_kernel:
        log.warning("compiled kernel not available: generating with the numpy reference (slow)")
    return ReferenceBackend()

"""Backends turn (tensor plan, element range) into output bytes.

The reference backend is the readable numpy implementation of the spec; any faster backend
must produce identical bytes for every range (tests compare them).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from app.recipe.plan import TensorPlan
from app.stream.dtypes import round_to_dtype
from app.stream.fmath import F64
from app.stream.samplers import sample


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

    def fill(self, tensor: TensorPlan, start: int, count: int) -> bytes:
        if tensor.torch_draw is not None:
            return tensor.torch_draw.fill(start, count)
        rounded = round_to_dtype(reference_values(tensor, start, count), tensor.dtype)
        return np.ascontiguousarray(rounded).tobytes()

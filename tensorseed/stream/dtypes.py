"""Output dtypes and the one rounding path: binary64 -> float32 (RNE) -> float16/bfloat16 (RNE)."""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]


class DType(StrEnum):
    """Element types a recipe may ask for."""

    float32 = "float32"
    float64 = "float64"
    float16 = "float16"
    bfloat16 = "bfloat16"
    #: Not a recipe dtype: only for buffers a library keeps as integers (torch num_batches_tracked).
    int64 = "int64"

    @property
    def itemsize(self) -> int:
        return 8 if self in (DType.float64, DType.int64) else 4 if self is DType.float32 else 2

    @property
    def safetensors_code(self) -> str:
        codes = {"float32": "F32", "float64": "F64", "float16": "F16", "bfloat16": "BF16", "int64": "I64"}
        return codes[self.value]

    @property
    def wide_uniforms(self) -> bool:
        """float64 outputs draw 53-bit uniforms; every other dtype draws 24-bit ones."""
        return self is DType.float64

    @property
    def max_finite(self) -> float:
        return {
            "float64": float(np.finfo(np.float64).max),
            "float32": float(np.finfo(np.float32).max),
            "float16": 65504.0,
            "bfloat16": 3.3895313892515355e38,
            "int64": float(2**63 - 1024),  # the largest binary64 below 2^63
        }[self.value]


def float32_to_bfloat16_bits(x: npt.NDArray[np.float32]) -> npt.NDArray[np.uint16]:
    """Round float32 to bfloat16, nearest-even, on the bit pattern (inputs are never NaN)."""
    bits = x.view(np.uint32).astype(np.uint64)
    rounded = (bits + np.uint64(0x7FFF) + ((bits >> np.uint64(16)) & np.uint64(1))) >> np.uint64(16)
    return rounded.astype(np.uint16)


def round_to_dtype(values: F64, dtype: DType) -> npt.NDArray[np.generic]:
    """Round binary64 values to the output dtype; the result's bytes are what files contain.

    bfloat16 comes back as uint16 bit patterns (numpy has no bfloat16). int64 tensors hold
    integral constants only; their values convert exactly.
    """
    if dtype is DType.int64:
        return values.astype("<i8")
    if dtype is DType.float64:
        return values.astype("<f8", copy=False)
    # Overflow to infinity is the specified result (section 7), not an accident to warn about.
    with np.errstate(over="ignore"):
        as_f32 = values.astype("<f4")
        if dtype is DType.float32:
            return as_f32
        if dtype is DType.float16:
            return as_f32.astype("<f2")
    return float32_to_bfloat16_bits(as_f32).astype("<u2", copy=False)


def decode_to_float64(raw: bytes, dtype: DType) -> F64:
    """Read little-endian tensor bytes of ``dtype`` back as binary64 (exact widening)."""
    if dtype is DType.bfloat16:
        bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << np.uint32(16)
        return bits.view(np.float32).astype(np.float64)
    code = {"float64": "<f8", "float32": "<f4", "float16": "<f2", "int64": "<i8"}[dtype.value]
    return np.frombuffer(raw, dtype=code).astype(np.float64)

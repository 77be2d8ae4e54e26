"""The code a GPU would run: compiled ahead of time for sm_90 (no GPU needed), then read.

Bit-equality on a device rests on three instruction-level facts the interpreter cannot show:
binary64 division and square root are the correctly rounded forms, no multiply-add was fused,
and no approximate instruction slipped in. (Compiled with fusion on, the normal kernel holds
hundreds of ``fma``: this test would catch a lost ``enable_fp_fusion=False``.)
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("triton", reason="triton is not installed (it is a Linux x86-64 dev dependency)")
from app.stream import triton_kernels
from app.stream.dtypes import DType

CASES = [
    (1, DType.float32, False),
    (1, DType.float64, False),
    (2, DType.float32, False),
    (2, DType.bfloat16, False),
    (3, DType.float16, True),
    (3, DType.float64, False),
]


@pytest.mark.parametrize(("kind", "dtype", "flip"), CASES)
def test_ptx_is_correctly_rounded_and_unfused(kind: int, dtype: DType, flip: bool) -> None:
    try:
        ptx = triton_kernels.compile_ptx(kind, dtype, flip)
    except (ImportError, RuntimeError) as exc:  # a triton build without the NVIDIA backend
        pytest.skip(f"cannot compile for sm_90 here: {exc}")
    assert re.search(r"\bfma\.", ptx) is None
    assert ".approx" not in ptx and ".ftz" not in ptx
    if kind in (2, 3):  # normal and truncated normal: AS 241's divisions and sqrt(-log r)
        assert re.search(r"\bdiv\.rn\.f64", ptx) and re.search(r"\bsqrt\.rn\.f64", ptx)
        assert re.search(r"\bdiv\.(?!rn\.f64)", ptx) is None
    if dtype is DType.float16:
        assert "cvt.rn.f16.f32" in ptx
    if dtype is not DType.float64:
        assert "cvt.rn.f32.f64" in ptx

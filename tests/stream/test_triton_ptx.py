"""The code a GPU would run: compiled ahead of time for sm_90 (no GPU needed), then read.

Bit-equality on a device rests on three instruction-level facts the interpreter cannot show:
binary64 division and square root are the correctly rounded forms, no multiply-add was fused,
and no approximate instruction slipped in. (Compiled with fusion on, the truncated-normal kernel
holds hundreds of ``fma``: this test would catch a lost ``enable_fp_fusion=False``.) The suite
runs Triton interpreted (tests/conftest.py), so the compilation happens in a child process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("triton", reason="triton is not installed (it is a Linux x86-64 dev dependency)")

ROOT = Path(__file__).resolve().parents[2]
#: (kind, dtype, flags): v1's binary64 kinds 1-3 (flags: 1 = flip) and v2's binary32 kinds 4-6
#: (flags of the truncated normal: 2 = one-sided, 4 / 8 = path 0 / 1 negates).
CASES = [
    (1, "float32", 0),
    (1, "float64", 0),
    (2, "float32", 0),
    (2, "bfloat16", 0),
    (3, "float16", 1),
    (3, "float64", 0),
    (4, "float32", 0),
    (5, "float32", 0),
    (5, "bfloat16", 0),
    (6, "float32", 8),
    (6, "float16", 2 | 4 | 8),
]
COMPILE = """
import json, sys
from tensorseed.stream.dtypes import DType
from tensorseed.stream.triton_kernels import compile_ptx
cases = json.loads(sys.argv[1])
print(json.dumps([compile_ptx(k, DType(d), bool(f & 1) if k < 4 else False, flags=f) for k, d, f in cases]))
"""


@pytest.fixture(scope="module")
def ptx() -> dict[tuple[int, str, int], str]:
    env = {k: v for k, v in os.environ.items() if k != "TRITON_INTERPRET"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", COMPILE, json.dumps(CASES)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(zip(CASES, json.loads(done.stdout.splitlines()[-1]), strict=True))


@pytest.mark.parametrize("case", CASES, ids=[f"{k}-{d}-{f}" for k, d, f in CASES])
def test_ptx_is_correctly_rounded_and_unfused(
    ptx: dict[tuple[int, str, int], str], case: tuple[int, str, int]
) -> None:
    code = ptx[case]
    kind, dtype, _ = case
    assert re.search(r"\bfma\.", code) is None
    assert ".approx" not in code and ".ftz" not in code
    if kind in (2, 3):  # normal and truncated normal: AS 241's divisions and sqrt(-log r)
        assert re.search(r"\bdiv\.rn\.f64", code) and re.search(r"\bsqrt\.rn\.f64", code)
        assert re.search(r"\bdiv\.(?!rn\.f64)", code) is None
    if kind in (5, 6):  # v2's binary32 quantile: log2's and the tail's divisions, the tail's sqrt
        assert re.search(r"\bdiv\.rn\.f32", code) and re.search(r"\bsqrt\.rn\.f32", code)
        assert re.search(r"\bdiv\.(?!rn\.f32)", code) is None
        assert re.search(r"\bsqrt\.(?!rn\.f32)", code) is None
        assert "f64" not in code  # binary32 all the way
    if kind >= 4:
        # Every binary32 product and sum is the rounded IEEE form, which ptxas may not contract.
        assert re.search(r"\b(mul|add|sub)\.f32", code) is None
        assert re.search(r"\bmul\.rn\.f32", code) and re.search(r"\badd\.rn\.f32", code)
    if dtype == "float16":
        assert "cvt.rn.f16.f32" in code
    if dtype != "float64" and kind < 4:
        assert "cvt.rn.f32.f64" in code

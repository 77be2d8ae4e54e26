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
CASES = [
    (1, "float32", False),
    (1, "float64", False),
    (2, "float32", False),
    (2, "bfloat16", False),
    (3, "float16", True),
    (3, "float64", False),
]
COMPILE = """
import json, sys
from tensorseed.stream.dtypes import DType
from tensorseed.stream.triton_kernels import compile_ptx
cases = json.loads(sys.argv[1])
print(json.dumps([compile_ptx(kind, DType(dtype), flip) for kind, dtype, flip in cases]))
"""


@pytest.fixture(scope="module")
def ptx() -> dict[tuple[int, str, bool], str]:
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
    ptx: dict[tuple[int, str, bool], str], case: tuple[int, str, bool]
) -> None:
    code = ptx[case]
    kind, dtype, _ = case
    assert re.search(r"\bfma\.", code) is None
    assert ".approx" not in code and ".ftz" not in code
    if kind in (2, 3):  # normal and truncated normal: AS 241's divisions and sqrt(-log r)
        assert re.search(r"\bdiv\.rn\.f64", code) and re.search(r"\bsqrt\.rn\.f64", code)
        assert re.search(r"\bdiv\.(?!rn\.f64)", code) is None
    if dtype == "float16":
        assert "cvt.rn.f16.f32" in code
    if dtype != "float64":
        assert "cvt.rn.f32.f64" in code

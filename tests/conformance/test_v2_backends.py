"""Every exact scheme and dtype of tensorseed-stream/2, through every backend: the committed v2
vectors (foundation and catalogue) give the same file from the numpy reference, the compiled
kernel on 1, 2 and 3 threads with chunk edges inside Philox blocks, and the Triton kernels
(under TRITON_INTERPRET=1 here; on a device with scripts/gpu_check.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tensorseed.engine.backend import KernelBackend, ReferenceBackend, fast_path_can_fill, zeroed_elements
from tensorseed.formats.safetensors import iter_file
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import Plan, build_plan
from tests.kernel_required import require_kernel

VECTOR_DIR = Path(__file__).parent / "vectors"
CASES = [
    case
    for name in ("tensorseed-stream-2.json", "catalogue-tensorseed-stream-2.json")
    for case in json.loads((VECTOR_DIR / name).read_text(encoding="utf-8"))["cases"]
]
IDS = [case["name"] for case in CASES]


def plan_of(case: dict[str, Any]) -> Plan:
    return build_plan(Recipe.model_validate(case["recipe"]))


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_compiled_kernel_gives_the_committed_v2_files(case: dict[str, Any]) -> None:
    require_kernel()
    plan = plan_of(case)
    for threads, chunk in ((1, 1 << 16), (2, 97), (3, 4097)):
        with np.errstate(over="ignore"):
            data = b"".join(iter_file(plan, KernelBackend(threads), chunk))
        assert hashlib.sha256(data).hexdigest() == case["file_sha256"], (threads, chunk)


#: Triton runs interpreted here (slow): one seed per dtype of the foundation's scheme cases (the
#: kernel tests vary seeds and ranges), everything else.
TRITON_CASES = [
    c for c in CASES if not (c["name"].startswith("schemes-") and not c["name"].endswith("seed0"))
]


@pytest.mark.parametrize("case", TRITON_CASES, ids=[c["name"] for c in TRITON_CASES])
def test_triton_gives_the_reference_bytes_of_every_v2_tensor(case: dict[str, Any]) -> None:
    pytest.importorskip("triton", reason="triton is not installed (it is a Linux x86-64 dev dependency)")
    torch = pytest.importorskip("torch")
    from tensorseed.stream import triton_kernels

    reference = ReferenceBackend()
    checked = 0
    for t in plan_of(case).tensors:
        if not fast_path_can_fill(t):
            continue  # position-defined, orthogonal, int64: the reference serves them everywhere
        out = torch.empty(t.nbytes, dtype=torch.uint8)
        with np.errstate(over="ignore"):
            triton_kernels.launch(out, t.sampler, t.key, 0, t.numel, t.dtype, zeroed_elements(t), 64)
            want = reference.fill(t, 0, t.numel)
        assert bytes(out.numpy()) == want, t.name
        assert hashlib.sha256(want).hexdigest() == case["tensors"][t.name]["sha256"], t.name
        checked += 1
    elementwise = {"zeros", "ones", "constant", "uniform", "normal", "trunc_normal", "truncated_normal"}
    if any(t.get("init", {}).get("scheme") in elementwise for t in case["recipe"].get("tensors", [])):
        assert checked

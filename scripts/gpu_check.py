"""Triton kernels on a CUDA device: bit-equality with the CPU, generated code, throughput.

Run on a machine with a GPU (``make gpu-check``; well under 5 minutes on one device):
  1. equality: every sampler and dtype of both spec versions (v1's binary64 samplers in every
     float dtype, v2's binary32 ones in float32, float16 and bfloat16), odd ranges (starts inside
     a Philox block, partial programs, past 2^32 blocks) against the numpy reference, and 64
     Mi-element ranges against the CPU kernel;
  2. the PTX: division and square root are the correctly rounded forms (div.rn.f64/sqrt.rn.f64
     for v1, div.rn.f32/sqrt.rn.f32 for v2), and no fma, approximate or flush-to-zero (.ftz)
     instruction appears;
  3. throughput of tensorseed-stream/2's float32 normal (target: at least 1 TB/s on an H200),
     bfloat16 normal, uniform and trunc_normal, and v1's float32 normal, kernel only, and
     through TritonBackend.fill (with the pinned-memory copy).
Writes JSON to $OUT/gpu_check.json (or bench-results/gpu_check.json) and exits 1 on any
inequality, or on PTX it could not inspect.

``--dry-run`` runs the same script on the CPU under TRITON_INTERPRET=1 with small sizes (the
test suite does, so that a lent GPU's minutes are never spent on a bug in this script): every
equality check runs, the PTX checks and the timings are skipped and say so.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

DRY_RUN = "--dry-run" in sys.argv[1:]
if DRY_RUN:  # before anything imports triton
    os.environ["TRITON_INTERPRET"] = "1"

import torch  # noqa: E402

if not DRY_RUN and not torch.cuda.is_available():
    sys.exit("gpu_check needs a CUDA device (or --dry-run)")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tensorseed.engine.backend import KernelBackend, ReferenceBackend, zeroed_elements  # noqa: E402
from tensorseed.engine.gpu import TritonBackend  # noqa: E402
from tensorseed.recipe.fans import Fans  # noqa: E402
from tensorseed.recipe.plan import TensorPlan  # noqa: E402
from tensorseed.stream import kernel, triton_kernels  # noqa: E402
from tensorseed.stream.dtypes import DType  # noqa: E402
from tensorseed.stream.key import stream_key  # noqa: E402
from tensorseed.stream.samplers import (  # noqa: E402
    Constant,
    Normal,
    Normal32,
    Sampler,
    TruncNormal,
    TruncNormal32,
    Uniform,
    Uniform32,
)

DEVICE = torch.device("cpu" if DRY_RUN else "cuda:0")
#: The dtypes the Triton kernels write (int64 buffers always come from the reference); v2's
#: binary32 samplers write the three binary32 ones (float64 uses v1's samplers in v2 too).
DTYPES = [d for d in DType if d is not DType.int64]
DTYPES32 = [DType.float32, DType.float16, DType.bfloat16]
#: (start, count) ranges checked against the reference: from 0, inside a Philox block with a
#: partial program, past the first 2^32 blocks.
RANGES = [(0, 1), (3, 1001), (5, 1501 if DRY_RUN else 70001), ((1 << 34) - 3, 517)]
#: Elements compared with the CPU kernel per sampler and dtype (the GPU's whole-range check).
LARGE = 1 << 12 if DRY_RUN else 1 << 26
SAMPLERS: dict[str, Sampler] = {
    "constant": Constant(0.3),
    "uniform": Uniform(-0.0625, 0.0625),
    "normal": Normal(0.0, 1.0),
    "trunc_normal": TruncNormal(0.0, 1.0, -2.0, 2.0, -2.0, 2.0),
    "trunc_normal_right_tail": TruncNormal(1.0, 2.0, 5.0, 6.0, 11.0, 13.0),
    "trunc_normal_far_tail": TruncNormal(0.0, 1.0, 7.0, 8.0, 7.0, 8.0),
    "trunc_normal_near_one": TruncNormal(0.0, 1.0, -1.0, 8.5, -1.0, 8.5),
}
#: tensorseed-stream/2's binary32 samplers, every regime of spec section 15.
SAMPLERS32: dict[str, Sampler] = {
    "uniform32": Uniform32(-0.0625, 0.0625),
    "normal32": Normal32(0.0, 1.0),
    "normal32_subnormal_std": Normal32(0.0, 1e-40),
    "trunc32": TruncNormal32(0.0, 1.0, -2.0, 2.0, -2.0, 2.0),
    "trunc32_asymmetric": TruncNormal32(0.0, 1.0, -1.0, 6.0, -1.0, 6.0),
    "trunc32_right_tail": TruncNormal32(1.0, 2.0, 5.0, 6.0, 11.0, 13.0),
    "trunc32_underflow": TruncNormal32(0.0, 1.0, 14.0, 15.0, 14.0, 15.0),
    "trunc32_w_zero": TruncNormal32(0.0, 1.0, 30.0, 37.0, 30.0, 37.0),
}
#: Checked over LARGE elements against the CPU kernel.
LARGE_CHECKS = {"uniform", "normal", "trunc_normal", "uniform32", "normal32", "trunc32", "trunc32_asymmetric"}


def plan(sampler: Sampler, dtype: DType, seed: int = 2**64 - 1, zero_row: int | None = None,
         shape: tuple[int, ...] = (1 << 40,)) -> TensorPlan:  # fmt: skip
    return TensorPlan("t", shape, dtype, "check", sampler, stream_key(seed, "t"), Fans(None, None),
                      None, zero_row)  # fmt: skip


def on_gpu(tensor: TensorPlan, start: int, count: int) -> tuple[bytes, object]:
    out = torch.empty(count * tensor.dtype.itemsize, dtype=torch.uint8, device=DEVICE)
    compiled = triton_kernels.launch(
        out, tensor.sampler, tensor.key, start, count, tensor.dtype, zeroed_elements(tensor)
    )
    if not DRY_RUN:
        torch.cuda.synchronize()
    return out.cpu().numpy().tobytes(), compiled


def main() -> int:
    device = "cpu (dry run: TRITON_INTERPRET=1)" if DRY_RUN else torch.cuda.get_device_name(DEVICE)
    report: dict[str, object] = {"device": device, "dry_run": DRY_RUN, "equal": {}, "ptx": {},
                                 "throughput_gb_s": {}}  # fmt: skip
    failures: list[str] = []
    started = time.perf_counter()
    reference = ReferenceBackend()
    cpu = KernelBackend(kernel.default_threads()) if kernel.AVAILABLE else None
    equal: dict[str, bool] = {}
    ptx_checks: dict[str, dict[str, bool]] = {}
    cases = [(n, s, d) for n, s in SAMPLERS.items() for d in DTYPES]
    cases += [(n, s, d) for n, s in SAMPLERS32.items() for d in DTYPES32]
    for name, sampler, dtype in cases:
        tensor = plan(sampler, dtype)
        ok = True
        for start, count in RANGES:
            got, compiled = on_gpu(tensor, start, count)
            ok &= got == reference.fill(tensor, start, count)
        if cpu is not None and name in LARGE_CHECKS:
            got, _ = on_gpu(tensor, 1, LARGE if dtype.itemsize <= 4 else LARGE // 2)
            ok &= got == cpu.fill(tensor, 1, len(got) // dtype.itemsize)
        equal[f"{name}/{dtype.value}"] = ok
        if not ok:
            failures.append(f"{name}/{dtype.value} differs")
        if DRY_RUN or name == "constant":
            continue
        asm = getattr(compiled, "asm", {}) or {}
        ptx = str(asm.get("ptx", ""))
        if not ptx:
            failures.append(f"{name}/{dtype.value}: no PTX to inspect (Triton's API changed?)")
        else:
            width = "f32" if name in SAMPLERS32 else "f64"
            needs = {}
            if not name.startswith("uniform"):
                needs[f"div.rn.{width}"] = f"div.rn.{width}" in ptx
                needs[f"sqrt.rn.{width}"] = f"sqrt.rn.{width}" in ptx
            needs["no fma"] = re.search(r"\bfma\.", ptx) is None
            needs["no approx"] = ".approx" not in ptx
            needs["no ftz"] = ".ftz" not in ptx
            ptx_checks[f"{name}/{dtype.value}"] = needs
            failures += [f"{name}/{dtype.value}: PTX {k}" for k, v in needs.items() if not v]
    for label, sampler in (("zero_row", SAMPLERS["normal"]), ("zero_row32", SAMPLERS32["normal32"])):
        zero = plan(sampler, DType.bfloat16, 0, zero_row=3, shape=(100, 77))
        equal[label] = on_gpu(zero, 0, 7700)[0] == reference.fill(zero, 0, 7700)
        if not equal[label]:
            failures.append(f"{label} differs")
    report["equal"] = equal
    report["ptx"] = ptx_checks

    report["ptx_checked"] = not DRY_RUN
    if DRY_RUN:
        report["throughput_gb_s"] = "skipped (dry run)"
        return finish(report, failures, started)

    # Throughput: 1 GiB of output per launch, median of 5.
    throughput: dict[str, float] = {}
    out = torch.empty(1 << 30, dtype=torch.uint8, device=DEVICE)
    timed = [
        ("normal32", DType.float32),
        ("normal32", DType.bfloat16),
        ("uniform32", DType.float32),
        ("trunc32", DType.float32),
        ("normal", DType.float32),
        ("trunc_normal", DType.float32),
    ]
    for name, dtype in timed:
        sampler = SAMPLERS32[name] if name in SAMPLERS32 else SAMPLERS[name]
        count = (1 << 30) // dtype.itemsize
        tensor = plan(sampler, dtype)
        triton_kernels.launch(out, tensor.sampler, tensor.key, 0, count, dtype)
        times = []
        for _ in range(5):
            begin, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            begin.record()
            triton_kernels.launch(out, tensor.sampler, tensor.key, 0, count, dtype)
            end.record()
            end.synchronize()
            times.append(begin.elapsed_time(end) / 1e3)
        version = "v2" if name in SAMPLERS32 else "v1"
        throughput[f"{version} {name}/{dtype.value} kernel"] = (1 << 30) / sorted(times)[2] / 1e9
    backend = TritonBackend("cuda:0")
    tensor = plan(SAMPLERS32["normal32"], DType.float32)
    backend.fill(tensor, 0, 1 << 24)
    t0 = time.perf_counter()
    for i in range(8):
        backend.fill(tensor, i << 24, 1 << 24)
    throughput["v2 normal32/float32 TritonBackend.fill (64 MiB chunks, to host bytes)"] = (
        8 * (1 << 26) / (time.perf_counter() - t0) / 1e9
    )
    report["throughput_gb_s"] = throughput
    report["target_v2_normal_f32_tb_s"] = 1.0
    return finish(report, failures, started)


def finish(report: dict[str, object], failures: list[str], started: float) -> int:
    report["seconds"] = time.perf_counter() - started
    report["failures"] = failures
    print(json.dumps(report, indent=2))
    out_dir = Path(os.environ.get("OUT") or "bench-results")
    out_dir.mkdir(parents=True, exist_ok=True)
    name = "gpu_check_dry_run.json" if DRY_RUN else "gpu_check.json"
    (out_dir / name).write_text(json.dumps(report, indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

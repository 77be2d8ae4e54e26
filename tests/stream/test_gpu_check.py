"""scripts/gpu_check.py runs end to end before a GPU ever sees it.

A lent GPU comes with minutes, not hours: a crash in the check script itself (it once iterated
over the int64 dtype, which the Triton kernels do not write) would spend them. ``--dry-run`` runs
every equality check of the script on the CPU under TRITON_INTERPRET=1 with small sizes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("triton", reason="triton is not installed (it is a Linux x86-64 dev dependency)")

ROOT = Path(__file__).resolve().parents[2]


def test_gpu_check_dry_run_passes_every_equality(tmp_path: Path) -> None:
    env = {**os.environ, "OUT": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "scripts/gpu_check.py", "--dry-run"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads((tmp_path / "gpu_check_dry_run.json").read_text())
    assert report["dry_run"] is True and report["failures"] == []
    equal = report["equal"]
    # v1: 7 samplers x 4 float dtypes; v2: 8 binary32 samplers x 3 dtypes; 2 zeroed rows
    assert len(equal) == 7 * 4 + 8 * 3 + 2 and all(equal.values())

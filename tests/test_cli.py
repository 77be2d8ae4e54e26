"""`tensorseed generate | stats` do the service's work locally, byte for byte."""

from __future__ import annotations

import hashlib
import json
import struct
import subprocess
import sys
from pathlib import Path

from tensorseed.cli import main
from tests.support import file_bytes

ROOT = Path(__file__).resolve().parent.parent
RECIPE = {
    "seed": 3,
    "dtype": "float16",
    "layers": [{"type": "linear", "name": "fc", "in_features": 5, "out_features": 4}],
}


def test_generate_writes_the_service_bytes(tmp_path: Path) -> None:
    recipe = tmp_path / "recipe.json"
    recipe.write_text(json.dumps(RECIPE))
    out = tmp_path / "w.safetensors"
    assert main(["generate", str(recipe), "-o", str(out)]) == 0
    assert out.read_bytes() == file_bytes(RECIPE)


def test_generate_reads_stdin_and_writes_stdout() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tensorseed.cli", "generate", "-"],
        input=json.dumps(RECIPE).encode(), capture_output=True, cwd=ROOT, check=True,
    )  # fmt: skip
    assert result.stdout == file_bytes(RECIPE)


def test_stats_prints_the_sha256_of_each_tensor(tmp_path: Path) -> None:
    recipe = tmp_path / "recipe.json"
    recipe.write_text(json.dumps(RECIPE))
    result = subprocess.run(
        [sys.executable, "-m", "tensorseed.cli", "stats", str(recipe), "--bins", "4"],
        capture_output=True, cwd=ROOT, check=True, text=True,
    )  # fmt: skip
    stats = json.loads(result.stdout)
    assert [t["name"] for t in stats["tensors"]] == ["fc.bias", "fc.weight"]
    data = file_bytes(RECIPE)
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    for t in stats["tensors"]:
        lo, hi = header[t["name"]]["data_offsets"]
        assert t["sha256"] == hashlib.sha256(data[8 + n + lo : 8 + n + hi]).hexdigest()


def test_invalid_recipe_exits_2_with_a_message(tmp_path: Path) -> None:
    recipe = tmp_path / "bad.json"
    recipe.write_text(
        json.dumps({"seed": 1, "tensors": [{"name": "t", "shape": [0], "init": {"scheme": "zeros"}}]})
    )
    result = subprocess.run(
        [sys.executable, "-m", "tensorseed.cli", "generate", str(recipe)],
        capture_output=True,
        cwd=ROOT,
        text=True,
    )
    assert result.returncode == 2
    assert "tensors.0.shape.0" in result.stderr

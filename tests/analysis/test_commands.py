"""`tensorseed stats --table/--plot` and `tensorseed propagation`: what a person at a terminal sees."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tensorseed.cli import main

RECIPE = {"seed": 3, "layers": [{"type": "linear", "name": "fc", "in_features": 30, "out_features": 20}]}


def test_the_cli_module_loads_no_plotting_library() -> None:
    code = "import sys, tensorseed.cli; sys.exit('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_stats_table_and_plots(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    recipe = tmp_path / "r.json"
    recipe.write_text(json.dumps(RECIPE))
    assert main(["stats", str(recipe), "--table", "--plot", str(tmp_path / "std.svg")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:4] == ["tensor", "shape", "scheme", "exp"]
    rows = {line.split()[0]: line.split() for line in out[2:4]}
    assert set(rows) == {"fc.bias", "fc.weight"} and rows["fc.weight"][1] == "20x30"
    assert (tmp_path / "std.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert main(["stats", str(recipe), "--plot", str(tmp_path / "h.png"), "--kind", "histograms"]) == 0
    assert (tmp_path / "h.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads(capsys.readouterr().out)["tensors"]  # without --table: JSON, as before
    assert main(["stats", str(recipe), "--plot", str(tmp_path / "x.png"), "--match", "nothing*"]) == 2


def test_propagation_table_json_and_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "propagation",
        "--width",
        "32",
        "--depth",
        "6",
        "--batch",
        "16",
        "--init",
        "fan_in_uniform",
        "--no-bias",
    ]
    assert main([*args, "--plot", str(tmp_path / "p.png")]) == 0
    text = capsys.readouterr().out
    assert "verdict: activations vanishing" in text and text.splitlines()[0].startswith("layer")
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
    assert main([*args, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["recipe"]["layers"][0]["init"]["weight"] == {"scheme": "fan_in_uniform"}
    assert main(["propagation", "--width", "16", "--depth", "4", "--batch", "8", "--compare",
                 "--plot", str(tmp_path / "c.svg")]) == 0  # fmt: skip
    table = capsys.readouterr().out
    assert all(label in table for label in ("zeros", "U(+-1/sqrt(n))", "He", "LeCun"))
    assert main(["propagation", "--width", "8", "--depth", "100000"]) == 2  # over the limit: an error


def test_the_parser_lists_every_activation() -> None:
    from tensorseed.analysis import activations, commands

    assert commands.ACTIVATIONS == activations.ACTIVATIONS

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


def _imported_after(argv: list[str]) -> set[str]:
    """Top-level modules a fresh interpreter has imported after running the CLI with ``argv``."""
    code = (
        "import sys\nfrom tensorseed.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, cwd=ROOT, check=True, text=True
    )
    return set(result.stdout.split())


def test_commands_that_need_no_torch_do_not_import_it(tmp_path: Path) -> None:
    # --help of every command starts on the standard library alone; generate/stats of a portable
    # recipe need numpy and pydantic, never torch or the web stack. (Start-up times: the report.)
    heavy = {"torch", "fastapi", "starlette", "uvicorn", "triton", "transformers"}
    for argv in (["--help"], ["pull", "--help"], ["stats", "--help"], ["serve", "--help"]):
        imported = _imported_after(argv)
        assert not imported & (heavy | {"numpy", "pydantic", "httpx"}), (argv, imported & heavy)
    recipe = tmp_path / "recipe.json"
    recipe.write_text(json.dumps(RECIPE))
    for argv in (["stats", str(recipe)], ["generate", str(recipe), "-o", str(tmp_path / "w")]):
        imported = _imported_after(argv)
        assert "numpy" in imported and not imported & heavy, (argv, imported & heavy)


def test_serve_without_the_service_extra_says_how_to_install_it() -> None:
    code = (
        "import sys\nsys.modules['uvicorn'] = None  # as if the service extra were not installed\n"
        "from tensorseed.cli import main\nsys.exit(main(['serve']))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, text=True)
    assert result.returncode == 1
    assert "pip install 'tensorseed[service]'" in result.stderr and "uvicorn" in result.stderr


def test_errors_have_the_http_body_shape(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings

    cases = {
        "typo.json": json.dumps(
            {"seed": 1, "layers": [{"type": "lnear", "name": "a", "in_features": 2, "out_features": 2}]}
        ),
        "syntax.json": '{"seed": 1,\n "layers": [\n  {"type": "linear",, }]}',
        "plan.json": json.dumps(
            {"seed": 1, "tensors": [{"name": "t", "shape": [3], "init": {"scheme": "xavier_uniform"}}]}
        ),
    }
    with TestClient(create_app(Settings())) as client:
        for name, text in cases.items():
            path = tmp_path / name
            path.write_text(text)
            result = subprocess.run(
                [sys.executable, "-m", "tensorseed.cli", "generate", str(path), "-o", str(tmp_path / "out")],
                capture_output=True, cwd=ROOT, text=True,
            )  # fmt: skip
            assert result.returncode == 2, result.stderr
            printed = json.loads(result.stderr)
            served = client.post("/v1/weights", content=text, headers={"content-type": "application/json"})
            body = served.json()
            assert served.status_code == 422
            assert set(printed) == set(body), name
            assert printed["error_type"] == body["error_type"], name
            assert printed.get("details") == body.get("details"), name
            assert "pydantic.dev" not in result.stderr
    assert "did you mean 'linear'" in json.loads(subprocess.run(
        [sys.executable, "-m", "tensorseed.cli", "stats", str(tmp_path / "typo.json")],
        capture_output=True, cwd=ROOT, text=True).stderr)["error"]  # fmt: skip

"""What `pip install tensorseed` puts in a user's environment: the library as ``tensorseed``, the
service as ``tensorseed_service``, and no top-level ``app`` (the name of many users' own package).

The wheel is built for real (``pip wheel``, no dependencies, this environment's setuptools) from
a copy of the tracked files, so the test sees what a release would ship, not the working tree.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    tracked = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True)
        .stdout.decode()
        .split("\0")
    )
    for relative in filter(None, tracked):
        if (ROOT / relative).is_file():
            (source / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / relative, source / relative)
    out = tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = out.glob("tensorseed-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_the_wheel_installs_the_library_and_the_service_under_their_own_names(wheel_names: list[str]) -> None:
    top = {name.split("/")[0] for name in wheel_names}
    packages = {name for name in top if not name.endswith(".dist-info")}
    assert packages == {"tensorseed", "tensorseed_service"}, sorted(top)
    assert not any(name.startswith(("app/", "tests/", "scripts/")) for name in wheel_names)


def test_the_wheel_carries_the_compiled_code_and_the_web_page(wheel_names: list[str]) -> None:
    names = set(wheel_names)
    compiled = {Path(n).name.split(".")[0] for n in names if n.endswith(".so")}
    assert compiled == {"_kernel", "_reduce"}
    for asset in ("index.html", "app.js", "charts.js", "style.css"):
        assert f"tensorseed_service/ui/{asset}" in names
    assert "tensorseed_service/main.py" in names and "tensorseed/cli.py" in names

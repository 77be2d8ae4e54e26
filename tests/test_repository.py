"""Repository hygiene that no linter covers: no merge conflict left in a tracked file."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKER = re.compile(rb"^(<{7} |>{7} |={7}$)", re.MULTILINE)


def test_no_tracked_file_holds_conflict_markers() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    bad = []
    for name in filter(None, tracked):
        path = ROOT / name.decode()
        if path.is_file() and MARKER.search(path.read_bytes()):
            bad.append(name.decode())
    assert not bad, f"conflict markers in {bad}"

"""The porting guide's example (docs/porting.md) runs as written, against the real libraries."""

from __future__ import annotations

import re
from pathlib import Path

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "porting.md"


def test_the_porting_guide_example_runs_and_its_outputs_agree() -> None:
    blocks = re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 1
    exec(compile(blocks[0], str(GUIDE), "exec"), {"__name__": "guide"})  # its asserts compare outputs

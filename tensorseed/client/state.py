"""Resume state of a download: which byte ranges of the partial file are written, for which ETag.

Kept in a small JSON sidecar next to the partial file and replaced atomically, so a download
killed at any moment resumes from what was recorded, and never against a different file.
"""

from __future__ import annotations

import bisect
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STATE_VERSION = 1


@dataclass
class Intervals:
    """A set of bytes as sorted, disjoint, non-adjacent half-open intervals."""

    spans: list[tuple[int, int]] = field(default_factory=list)

    def add(self, start: int, stop: int) -> None:
        if start >= stop:
            return
        starts = [s for s, _ in self.spans]
        i = bisect.bisect_left(starts, start)
        if i > 0 and self.spans[i - 1][1] >= start:  # touches or overlaps the previous span
            i -= 1
        j = i
        while j < len(self.spans) and self.spans[j][0] <= stop:
            start, stop = min(start, self.spans[j][0]), max(stop, self.spans[j][1])
            j += 1
        self.spans[i:j] = [(start, stop)]

    def remove(self, start: int, stop: int) -> None:
        if start >= stop:
            return
        kept: list[tuple[int, int]] = []
        for s, e in self.spans:
            if e <= start or s >= stop:
                kept.append((s, e))
                continue
            if s < start:
                kept.append((s, start))
            if e > stop:
                kept.append((stop, e))
        self.spans = kept

    @property
    def total(self) -> int:
        return sum(e - s for s, e in self.spans)

    def missing(self, size: int) -> list[tuple[int, int]]:
        """The gaps in [0, size)."""
        gaps, pos = [], 0
        for s, e in self.spans:
            if s > pos:
                gaps.append((pos, min(s, size)))
            pos = max(pos, e)
        if pos < size:
            gaps.append((pos, size))
        return [(s, e) for s, e in gaps if s < e]


@dataclass
class PullState:
    """What the sidecar records: the file's identity and the ranges already written."""

    etag: str
    size: int
    token: str
    done: Intervals = field(default_factory=Intervals)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": STATE_VERSION,
            "etag": self.etag,
            "size": self.size,
            "token": self.token,
            "done": [list(span) for span in self.done.spans],
        }

    def save(self, path: Path) -> None:
        """Write atomically: a reader sees the old state or the new one, never half of one."""
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json()), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> PullState | None:
        """The recorded state, or None if there is none or it is unreadable (then start over)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != STATE_VERSION:
                return None
            done = Intervals()
            for start, stop in data["done"]:
                done.add(int(start), int(stop))
            return cls(str(data["etag"]), int(data["size"]), str(data["token"]), done)
        except (OSError, ValueError, KeyError, TypeError):
            return None

"""A progress line on stderr: bytes done, percentage, rate and ETA, like curl or tqdm.

On a terminal the line is redrawn in place; otherwise (logs, CI) a line is printed every few
seconds, so the output stays readable.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import TextIO

UNITS = ("B", "KiB", "MiB", "GiB", "TiB")


def human_bytes(n: float) -> str:
    for unit in UNITS:
        if abs(n) < 1024 or unit == UNITS[-1]:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def human_duration(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def render_line(
    label: str, done: int, total: int, rate: float | None, elapsed: float, width: int = 20
) -> str:
    """One progress line; rate in bytes per second (None until it can be measured)."""
    fraction = done / total if total else 1.0
    filled = int(fraction * width)
    bar = "#" * filled + "-" * (width - filled)
    speed = f"{human_bytes(rate)}/s" if rate else "--/s"
    if rate and done < total:
        eta = human_duration((total - done) / rate)
    elif done >= total:
        eta = "00:00"
    else:
        eta = "--:--"
    return (
        f"{label} {fraction:4.0%} [{bar}] {human_bytes(done)}/{human_bytes(total)} "
        f"{speed} elapsed {human_duration(elapsed)} ETA {eta}"
    )


class Progress:
    """Thread-safe byte counter; ``tick`` draws at most every ``interval`` seconds."""

    def __init__(self, label: str, total: int, already: int, out: TextIO | None, window: float = 3.0) -> None:
        self.label = label
        self.total = total
        self.done = already
        self.already = already
        self.out = out
        self.tty = bool(out is not None and out.isatty())
        self.started = time.monotonic()
        self._window = window
        self._samples: deque[tuple[float, int]] = deque([(self.started, already)])
        self._lock = threading.Lock()
        self._last_draw = 0.0
        self._drawn: int | None = None
        self._interval = 0.2 if self.tty else 5.0

    def add(self, n: int) -> None:
        with self._lock:
            self.done += n

    def rate(self) -> float | None:
        """Bytes per second over the last few seconds (a moving window, so ETA follows changes)."""
        now = time.monotonic()
        with self._lock:
            self._samples.append((now, self.done))
            while len(self._samples) > 2 and now - self._samples[1][0] > self._window:
                self._samples.popleft()
            (t0, d0), (t1, d1) = self._samples[0], self._samples[-1]
        return (d1 - d0) / (t1 - t0) if t1 - t0 > 0.2 else None

    def tick(self, force: bool = False) -> None:
        now = time.monotonic()
        rate = self.rate()
        if self.out is None or (not force and now - self._last_draw < self._interval):
            return
        if force and not self.tty and self._drawn == self.done:
            return  # a log already shows this line
        self._last_draw, self._drawn = now, self.done
        line = render_line(self.label, self.done, self.total, rate, now - self.started)
        self.out.write(f"\r{line}\x1b[K" if self.tty else line + "\n")
        self.out.flush()

    def finish(self) -> None:
        self.tick(force=True)
        if self.out is not None and self.tty:
            self.out.write("\n")
            self.out.flush()

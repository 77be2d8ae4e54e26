"""Stream a recipe from a fresh server and report bytes, time and the server's peak RSS growth.

    python scripts/measure_stream_memory.py '{"seed": 1, "dtype": "bfloat16", "model": {"preset": "gpt2"}}'

A measurement, not a test: prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import running_server


def _kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def main() -> None:
    recipe = json.loads(sys.argv[1])
    with running_server() as server:
        before = _kib(server.pid, "VmRSS")
        started = time.perf_counter()
        received = 0
        with httpx.stream("POST", f"{server.url}/v1/weights", json=recipe, timeout=None) as response:
            response.raise_for_status()
            for chunk in response.iter_bytes(1 << 20):
                received += len(chunk)
        elapsed = time.perf_counter() - started
        peak = _kib(server.pid, "VmHWM")
    print(
        json.dumps(
            {
                "bytes": received,
                "seconds": round(elapsed, 2),
                "MB_per_s": round(received / elapsed / 1e6, 1),
                "rss_before_MiB": round(before / 1024, 1),
                "peak_rss_growth_MiB": round((peak - before) / 1024, 1),
            }
        )
    )


if __name__ == "__main__":
    main()

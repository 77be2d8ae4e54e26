"""How long `POST /v1/stats` takes next to `POST /v1/weights` for the same recipe (GPT-2 by default).

Starts `tensorseed serve` on a free loopback port, then alternates the two requests `--repeat`
times (weights streamed to nowhere, stats read whole) and prints the medians and their ratio.
Not a test: numbers depend on the machine, and on a shared one the ratio measured in the same
run is what to read.

    .venv/bin/python scripts/bench_stats.py --repeat 3
    .venv/bin/python scripts/bench_stats.py --recipe my_recipe.json --bins 64
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
GPT2 = {"seed": 0, "dtype": "float32", "model": {"preset": "gpt2"}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_ready(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited during start-up")
        try:
            if httpx.get(f"{base}/v2/health/ready", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not become ready in 60 s")


def time_weights(client: httpx.Client, recipe: dict[str, Any]) -> tuple[float, int]:
    start = time.perf_counter()
    size = 0
    with client.stream("POST", "/v1/weights", json=recipe) as response:
        response.raise_for_status()
        for chunk in response.iter_raw(1 << 20):
            size += len(chunk)
    return time.perf_counter() - start, size


def time_stats(client: httpx.Client, recipe: dict[str, Any], bins: int) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.post("/v1/stats", params={"bins": bins}, json=recipe)
    response.raise_for_status()
    tensors = len(response.json()["tensors"])
    return time.perf_counter() - start, tensors


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--recipe", help="recipe JSON file (default: the gpt2 preset, float32)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bins", type=int, default=32)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    recipe = json.loads(Path(args.recipe).read_text()) if args.recipe else GPT2
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen(
        [sys.executable, "-m", "tensorseed.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_ready(base, server)
        weights: list[float] = []
        stats: list[float] = []
        size = tensors = 0
        with httpx.Client(base_url=base, timeout=600) as client:
            time_weights(client, recipe)  # warm-up: imports, page cache, thread start
            for _ in range(args.repeat):
                seconds, size = time_weights(client, recipe)
                weights.append(seconds)
                seconds, tensors = time_stats(client, recipe, args.bins)
                stats.append(seconds)
    finally:
        server.terminate()
        server.wait(timeout=60)
    result = {
        "bytes": size,
        "tensors": tensors,
        "bins": args.bins,
        "weights_s": weights,
        "stats_s": stats,
        "weights_median_s": statistics.median(weights),
        "stats_median_s": statistics.median(stats),
    }
    result["ratio"] = result["stats_median_s"] / result["weights_median_s"]
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{tensors} tensors, {size / 1e6:.0f} MB: weights {result['weights_median_s']:.2f} s, "
            f"stats {result['stats_median_s']:.2f} s (median of {args.repeat}); "
            f"stats / weights = {result['ratio']:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long `POST /v1/stats` takes next to `POST /v1/weights` for the same recipe (GPT-2 by default).

Starts `tensorseed serve` on a free loopback port, then alternates the two requests `--repeat`
times (weights streamed to nowhere, stats read whole) and prints the medians and their ratio, in
wall time and in the server process's CPU time (all its threads; Linux /proc).
Not a test: numbers depend on the machine, and on a shared one the ratio measured in the same
run is what to read.

    .venv/bin/python scripts/bench_stats.py --repeat 3
    .venv/bin/python scripts/bench_stats.py --dtype bfloat16          # the gpt2 preset in bfloat16
    .venv/bin/python scripts/bench_stats.py --recipe my_recipe.json --bins 64
    .venv/bin/python scripts/bench_stats.py --repo /tmp/old-checkout   # the same, on older code
    PYTHONPATH=/tmp/old-checkout .venv/bin/python scripts/bench_stats.py --in-process  # no HTTP
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all threads (Linux); NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def in_process(recipe: dict[str, Any], repeat: int, bins: int) -> dict[str, Any]:
    """The same two jobs without HTTP, in this process (the code on PYTHONPATH): generating the
    file's bytes vs computing the statistics; the minimum over repeats (least disturbed by load)."""
    from tensorseed.engine.backend import cpu_backend
    from tensorseed.formats.safetensors import iter_file
    from tensorseed.formats.stats import plan_stats
    from tensorseed.recipe.models import Recipe
    from tensorseed.recipe.plan import build_plan

    plan = build_plan(Recipe.model_validate(recipe))
    backend = cpu_backend()
    chunk = (4 << 20) // plan.dtype.itemsize
    weights: list[float] = []
    stats: list[float] = []
    weights_cpu: list[float] = []
    stats_cpu: list[float] = []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        size = sum(len(piece) for piece in iter_file(plan, backend, chunk))
        weights.append(time.perf_counter() - start)
        weights_cpu.append(time.process_time() - cpu)
        start, cpu = time.perf_counter(), time.process_time()
        plan_stats(plan, backend, chunk, bins)
        stats.append(time.perf_counter() - start)
        stats_cpu.append(time.process_time() - cpu)
    return {
        "bytes": size,
        "tensors": len(plan.tensors),
        "weights_s": weights,
        "stats_s": stats,
        "weights_cpu_s": weights_cpu,
        "stats_cpu_s": stats_cpu,
        "weights_best_s": min(weights),
        "stats_best_s": min(stats),
        "ratio": min(stats) / min(weights),
        "cpu_ratio": min(stats_cpu) / min(weights_cpu),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--recipe", help="recipe JSON file (default: the gpt2 preset, float32)")
    parser.add_argument("--dtype", help="the recipe's dtype (default: the recipe's own, float32 for gpt2)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bins", type=int, default=32)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument(
        "--repo", type=Path, default=REPO, help="checkout the server runs (an export of an older commit)"
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="no server: generate and reduce here (PYTHONPATH picks the code)",
    )
    args = parser.parse_args()
    recipe = json.loads(Path(args.recipe).read_text()) if args.recipe else GPT2
    if args.dtype:
        recipe = {**recipe, "dtype": args.dtype}
    if args.in_process:
        measured = in_process(recipe, args.repeat, args.bins)
        print(
            json.dumps(measured)
            if args.json
            else f"{measured['tensors']} tensors, {measured['bytes'] / 1e6:.0f} MB in process: file bytes "
            f"{measured['weights_best_s']:.2f} s, stats {measured['stats_best_s']:.2f} s (best of "
            f"{args.repeat}); stats / file = {measured['ratio']:.2f} wall, {measured['cpu_ratio']:.2f} CPU "
            f"({min(measured['weights_cpu_s']):.2f} s vs {min(measured['stats_cpu_s']):.2f} s)"
        )
        return 0
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    repo = args.repo.resolve()
    # The service installs as tensorseed_service (the checkout's app/): a link puts --repo's own
    # first on the path, and the server starts in --repo (``-m`` puts the working directory first).
    shim = Path(tempfile.mkdtemp(prefix="bench-stats-"))
    (shim / "tensorseed_service").symlink_to(repo / "app", target_is_directory=True)
    env = {**os.environ, "PYTHONPATH": f"{shim}{os.pathsep}{repo}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "tensorseed.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=repo,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(base, server)
        weights: list[float] = []
        stats: list[float] = []
        weights_cpu: list[float] = []
        stats_cpu: list[float] = []
        size = tensors = 0
        with httpx.Client(base_url=base, timeout=600) as client:
            time_weights(client, recipe)  # warm-up: imports, page cache, thread start
            for _ in range(args.repeat):
                cpu = cpu_seconds(server.pid)
                seconds, size = time_weights(client, recipe)
                weights.append(seconds)
                weights_cpu.append(cpu_seconds(server.pid) - cpu)
                cpu = cpu_seconds(server.pid)
                seconds, tensors = time_stats(client, recipe, args.bins)
                stats.append(seconds)
                stats_cpu.append(cpu_seconds(server.pid) - cpu)
    finally:
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(shim)
    result = {
        "bytes": size,
        "tensors": tensors,
        "bins": args.bins,
        "weights_s": weights,
        "stats_s": stats,
        "weights_median_s": statistics.median(weights),
        "stats_median_s": statistics.median(stats),
        "weights_cpu_s": weights_cpu,
        "stats_cpu_s": stats_cpu,
        "weights_cpu_median_s": statistics.median(weights_cpu),
        "stats_cpu_median_s": statistics.median(stats_cpu),
    }
    result["ratio"] = result["stats_median_s"] / result["weights_median_s"]
    result["cpu_ratio"] = result["stats_cpu_median_s"] / result["weights_cpu_median_s"]
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{tensors} tensors, {size / 1e6:.0f} MB: weights {result['weights_median_s']:.2f} s, "
            f"stats {result['stats_median_s']:.2f} s (median of {args.repeat}); "
            f"stats / weights = {result['ratio']:.2f} wall, {result['cpu_ratio']:.2f} server CPU "
            f"({result['weights_cpu_median_s']:.2f} s vs {result['stats_cpu_median_s']:.2f} s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load run (not a test): concurrent large downloads against a real server on loopback.

Starts ``tensorseed serve`` on a free loopback port (settings from the environment, as usual),
then for ``--seconds`` keeps ``--clients`` clients each downloading ``--mib`` MiB files (whole
files from POST /v1/weights, and byte ranges of a token's file, alternately), plus, with
``--mix``, orthogonal and torch-exact statistics requests, while a prober asks
/v2/health/live every 50 ms on a kept-alive connection. Prints the status-code histogram,
bytes received and throughput, the server's peak RSS and growth, and health latency p50/p99/max.
Every loop is bounded in count and time; traffic goes to 127.0.0.1 only.

    PYTHONPATH=. .venv/bin/python scripts/load_test.py --clients 8 --mib 256 --seconds 60 --mix
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.attacks.support import Prober, status_kib
from tests.server_process import running_server


def file_recipe(mib: int, seed: int) -> dict[str, Any]:
    elements = mib * 1024 * 1024 // 4
    return {"seed": seed, "tensors": [{"name": "w", "shape": [elements], "init": {"scheme": "normal"}}]}


def heavy_recipes() -> list[tuple[str, dict[str, Any]]]:
    orthogonal = {"name": "q", "shape": [1024, 1024], "init": {"scheme": "orthogonal"}}
    linear = {"type": "linear", "name": "fc", "in_features": 1024, "out_features": 1024}
    return [
        ("/v1/stats?bins=8", {"seed": 9, "tensors": [orthogonal]}),
        ("/v1/stats?bins=8", {"seed": 9, "rng": "torch", "layers": [linear]}),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--mib", type=int, default=256, help="size of each downloaded file")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--mix", action="store_true", help="add orthogonal and torch-exact statistics")
    args = parser.parse_args()

    statuses: Counter[str] = Counter()
    received = 0
    lock = threading.Lock()
    stop = threading.Event()

    with running_server({"TENSORSEED_MAX_JOBS_PER_CLIENT": "0"}) as server:
        url = server.base_url
        info = httpx.post(f"{url}/v1/recipes", json=file_recipe(args.mib, 1), timeout=60).json()
        size = info["size"]
        baseline_rss = status_kib(server.process.pid, "VmRSS")

        def client(index: int) -> None:
            nonlocal received
            n = 0
            with httpx.Client(base_url=url, timeout=120) as http:
                while not stop.is_set() and n < 10_000:
                    n += 1
                    got = 0
                    try:
                        if args.mix and index == 0:
                            path, body = heavy_recipes()[n % 2]
                            response = http.post(path, json=body)
                            status, got = response.status_code, len(response.content)
                        elif n % 2:
                            with http.stream("POST", "/v1/weights", json=file_recipe(args.mib, index)) as r:
                                status = r.status_code
                                for chunk in r.iter_bytes(1 << 20):
                                    got += len(chunk)
                        else:
                            lo = (index * 7919 * 1024 * 1024) % max(1, size - (64 << 20))
                            headers = {"Range": f"bytes={lo}-{lo + (64 << 20) - 1}"}
                            with http.stream("GET", info["urls"]["weights"], headers=headers) as r:
                                status = r.status_code
                                for chunk in r.iter_bytes(1 << 20):
                                    got += len(chunk)
                        if status == 429:
                            time.sleep(float(r.headers.get("retry-after", "1")) if status == 429 else 0)
                    except httpx.HTTPError as exc:
                        status = type(exc).__name__  # type: ignore[assignment]
                    with lock:
                        statuses[str(status)] += 1
                        received += got

        prober = Prober(url, interval=0.05)
        threads = [threading.Thread(target=prober.run, daemon=True)]
        threads += [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
        started = time.monotonic()
        for t in threads:
            t.start()
        peak_rss = baseline_rss
        while time.monotonic() - started < args.seconds:
            time.sleep(0.5)
            peak_rss = max(peak_rss, status_kib(server.process.pid, "VmRSS"))
        stop.set()
        prober._stop.set()
        for t in threads:
            t.join(180)
        elapsed = time.monotonic() - started
        hwm = status_kib(server.process.pid, "VmHWM")

    latencies = sorted(prober.latencies)
    finite = [x for x in latencies if x != float("inf")]
    quantiles = statistics.quantiles(finite, n=100) if len(finite) > 2 else [float("nan")] * 99
    report = {
        "command": " ".join(sys.argv),
        "clients": args.clients,
        "file_mib": args.mib,
        "seconds": round(elapsed, 1),
        "status_histogram": dict(sorted(statuses.items())),
        "received_gib": round(received / 2**30, 2),
        "throughput_mib_s": round(received / 2**20 / elapsed, 1),
        "server_rss_baseline_mib": round(baseline_rss / 1024),
        "server_rss_peak_mib": round(max(peak_rss, hwm) / 1024),
        "health_probes": len(latencies),
        "health_failures": len(latencies) - len(finite),
        "health_p50_ms": round(quantiles[49] * 1000, 1),
        "health_p99_ms": round(quantiles[98] * 1000, 1),
        "health_max_ms": round(max(finite) * 1000, 1) if finite else None,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time `tensorseed pull` of one file with 1 connection and with N, against one local server.

    PYTHONPATH=. python scripts/bench_pull.py [--gib 1] [--connections 4] [--repeat 2]

By default the recipe is float32 ones (cheap to generate), so the numbers measure the download
path (server streaming, HTTP, client writes), not the sampler; --scheme uniform makes the
server's generation the bottleneck instead. A warm-up pull (not counted) comes first: the first
request to a fresh server, and the first GiB of page cache, cost more than the rest. Runs then
alternate 1 and N connections (1, N, then N, 1, ...: neither always goes first), and each
run's output is checked against the first run's sha256 and then removed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tensorseed.client.pull import PullOptions, pull
from tests.conftest import running_server


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while piece := f.read(8 << 20):
            digest.update(piece)
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gib", type=float, default=1.0, help="file size in GiB (default 1)")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=1, help="pulls not counted, before the runs")
    parser.add_argument(
        "--scheme",
        default="ones",
        help="ones measures the download path; uniform or "
        "normal make the server's generation the bottleneck (what parallel ranges are for)",
    )
    parser.add_argument(
        "--dir", help="where to write (default: a temporary folder; /dev/shm takes the disk out)"
    )
    args = parser.parse_args()
    elements = int(args.gib * 2**30) // 4
    recipe = json.dumps(
        {"seed": 1, "tensors": [{"name": "w", "shape": [elements], "init": {"scheme": args.scheme}}]}
    )
    results: dict[int, list[float]] = {1: [], args.connections: []}
    with running_server() as server, tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        reference = None
        order = (1, args.connections)
        rounds = [order[::-1] if i % 2 else order for i in range(args.repeat)]
        for i, round_ in enumerate([(args.connections,)] * args.warmup + rounds):
            warmup = i < args.warmup
            for connections in round_:
                out = Path(tmp) / f"w{connections}.safetensors"
                opts = PullOptions(servers=(server.url,), connections=connections, verify="none")
                started = time.perf_counter()
                result = pull(recipe, out, opts)
                seconds = time.perf_counter() - started
                digest = sha256_file(out)
                reference = reference or digest
                assert digest == reference, "downloads differ"
                out.unlink()
                if not warmup:
                    results[connections].append(seconds)
                rate = result["size"] / seconds / 2**20
                print(
                    f"{'warm-up, ' if warmup else ''}{connections} connection(s): {result['size']} bytes, "
                    f"{seconds:.2f} s, {rate:.0f} MiB/s"
                )
    size = elements * 4
    for connections, times in results.items():
        best, median = min(times), statistics.median(times)
        rate = size / best / 2**20
        print(
            f"best of {len(times)}, {connections} connection(s): {best:.2f} s, {rate:.0f} MiB/s "
            f"(median {median:.2f} s)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

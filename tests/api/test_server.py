"""Against real uvicorn processes: identical bytes across processes, fast refusals, bounded memory."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import running_server

pytestmark = pytest.mark.server

RECIPE = {
    "seed": "18446744073709551615",
    "dtype": "bfloat16",
    "layers": [
        {"type": "conv2d", "name": "stem", "in_channels": 3, "out_channels": 16, "kernel_size": 3},
        {"type": "embedding", "name": "tok", "num_embeddings": 100, "embedding_dim": 8, "padding_idx": 1},
    ],
    "tensors": [
        {"name": "tn", "shape": [999], "init": {"scheme": "trunc_normal", "a": 5.0, "b": 6.0}},
        {"name": "xn", "shape": [31, 17], "init": {"scheme": "xavier_normal", "gain": 1.5}},
    ],
}


def vm_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def test_two_processes_serve_identical_bytes() -> None:
    bodies = []
    for _ in range(2):
        with running_server() as server:
            response = httpx.post(f"{server.url}/v1/weights", json=RECIPE, timeout=60)
            assert response.status_code == 200
            bodies.append(response.content)
    assert bodies[0] == bodies[1]


def test_trillion_elements_refused_fast_and_server_keeps_serving() -> None:
    huge = {"seed": 1, "tensors": [{"name": "t", "shape": [10**6, 10**6], "init": {"scheme": "normal"}}]}
    with running_server() as server, httpx.Client(base_url=server.url, timeout=30) as http:
        http.get("/v2/health/live")  # warm the connection
        started = time.perf_counter()
        response = http.post("/v1/weights", json=huge)
        elapsed = time.perf_counter() - started
        assert response.status_code == 413
        assert elapsed < 1.0, f"refusal took {elapsed:.3f} s"
        assert http.post("/v1/weights", json=RECIPE).status_code == 200


def test_streaming_a_large_file_keeps_server_memory_bounded() -> None:
    # 1 GiB of float32 ones: cheap to generate, so the test measures the pipeline, not the sampler.
    recipe = {"seed": 1, "tensors": [{"name": "big", "shape": [256, 1024, 1024], "init": {"scheme": "ones"}}]}
    with running_server({"TENSORSEED_CHUNK_BYTES": str(4 * 1024 * 1024)}) as server:
        before = vm_kib(server.pid, "VmRSS")
        received = 0
        with httpx.stream("POST", f"{server.url}/v1/weights", json=recipe, timeout=120) as response:
            assert response.status_code == 200
            expected = int(response.headers["content-length"])
            for chunk in response.iter_bytes(1 << 20):
                received += len(chunk)
        peak = vm_kib(server.pid, "VmHWM")
    assert received == expected > 2**30
    growth_mib = (peak - before) / 1024
    assert growth_mib < 200, f"server peak RSS grew by {growth_mib:.0f} MiB for a 1 GiB file"


def test_gpt2_small_streams_in_bounded_memory() -> None:
    recipe = {"seed": 1, "dtype": "bfloat16", "model": {"preset": "gpt2"}}
    with running_server() as server:
        before = vm_kib(server.pid, "VmRSS")
        received = 0
        with httpx.stream("POST", f"{server.url}/v1/weights", json=recipe, timeout=300) as response:
            assert response.status_code == 200
            for chunk in response.iter_bytes(1 << 20):
                received += len(chunk)
        peak = vm_kib(server.pid, "VmHWM")
    assert received == 326_089_824  # 124M parameters + the tied lm_head, in bfloat16, + header
    growth_mib = (peak - before) / 1024
    assert growth_mib < 100, f"server peak RSS grew by {growth_mib:.0f} MiB for a 311 MiB file"

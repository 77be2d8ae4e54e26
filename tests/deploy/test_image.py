"""The built CPU image, run: as its non-root user on a read-only root, healthy, byte-identical.

``make image-check`` builds the image (scripts/build_image.py) and runs these tests with its name
in TENSORSEED_IMAGE; ``make test`` skips them. The server container is started the way the cpu
overlay's pod runs (tests/deploy/containers.py: user, read-only root with /tmp as its only
writable mount, no capabilities, the ConfigMap's TENSORSEED_* variables and nothing else).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from safetensors.numpy import load

from scripts.build_image import PODMAN, RUN_OPTIONS
from tests.deploy.containers import Container, built_image, inspect_image, pod_run_options, podman
from tests.deploy.dockerfile import parse_dockerfile
from tests.deploy.manifest_checks import (
    AppFacts,
    ImageFacts,
    Resource,
    consistency_problems,
    one,
    pod_spec,
    render_overlay,
    server_container,
)
from tests.server_process import REPO

pytestmark = pytest.mark.image

# Every sampler the compiled kernel has (uniform, normal, truncated normal, constant), generated
# in each dtype it writes, so that the image's kernel is compared with this machine's generation.
RECIPE: dict[str, Any] = {
    "seed": 20261205,
    "layers": [
        {"name": "fc", "type": "linear", "in_features": 1024, "out_features": 768},
        {"name": "emb", "type": "embedding", "num_embeddings": 3000, "embedding_dim": 256},
    ],
    "tensors": [
        {"name": "tn", "shape": [500, 777], "init": {"scheme": "trunc_normal", "std": 0.02}},
        {"name": "n", "shape": [123457], "init": {"scheme": "normal", "std": 3.0}},
        {"name": "u", "shape": [70000], "init": {"scheme": "uniform", "a": -2, "b": 5}},
        {"name": "c", "shape": [10], "init": {"scheme": "constant", "value": 0.25}},
    ],
}
DTYPES = ("float32", "bfloat16", "float16", "float64")
# 200 MB, far more than the sockets hold: the server is still generating when SIGTERM arrives.
BIG_ELEMENTS = 50_000_000
BIG = {
    "seed": 7,
    "dtype": "float32",
    "tensors": [{"name": "big", "shape": [BIG_ELEMENTS], "init": {"scheme": "constant", "value": 0.5}}],
}
COMPILERS = ("cc", "gcc", "c++", "g++", "cpp", "clang", "tcc", "ld", "as", "make")
# A one-off container of the image with nothing writable but /tmp (no --user: the image's own).
ONE_OFF = (
    "run",
    "--rm",
    *RUN_OPTIONS,
    "--read-only",
    "--read-only-tmpfs=false",
    "--tmpfs",
    "/tmp:rw,mode=1777",
)


@pytest.fixture(scope="module")
def image() -> str:
    return built_image()


@pytest.fixture(scope="module")
def cpu_pod() -> list[Resource]:
    return render_overlay(REPO / "k8s", "cpu")


@pytest.fixture(scope="module")
def server(image: str, cpu_pod: list[Resource]) -> Iterator[Container]:
    """One container run as the cpu overlay's pod, for the tests that do not stop it."""
    options, port = pod_run_options(cpu_pod)
    container = Container(image, options, port)
    try:
        container.start()
        yield container
    finally:
        container.remove()


def local_sha256(recipe: dict[str, Any], tmp_path: Path) -> str:
    """The file generated on this machine, by this checkout's `tensorseed generate`."""
    source = tmp_path / "recipe.json"
    source.write_text(json.dumps(recipe))
    out = tmp_path / "local.safetensors"
    subprocess.run(
        [sys.executable, "-m", "tensorseed.cli", "generate", str(source), "-o", str(out)],
        cwd=REPO, check=True, timeout=300,
    )  # fmt: skip
    return hashlib.sha256(out.read_bytes()).hexdigest()


def test_the_image_runs_as_its_non_root_user_on_a_read_only_root(image: str) -> None:
    """No --user: the image's own USER. Only /tmp (HOME and the caches) is writable."""
    probe = (
        "import os, pathlib\n"
        "print(os.getuid(), os.getgid(), os.environ['HOME'])\n"
        "pathlib.Path(os.environ['XDG_CACHE_HOME']).mkdir(parents=True)\n"
        "for path in ('/probe', '/opt/venv/probe'):\n"
        "    try:\n"
        "        open(path, 'w')\n"
        "    except OSError as exc:\n"
        "        print(path, exc.errno)\n"
    )
    result = podman(*ONE_OFF, "--entrypoint", "python", image, "-c", probe, check=False)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "10001 10001 /tmp"
    assert lines[1:] == ["/probe 30", "/opt/venv/probe 30"]  # EROFS: the root is read-only


def test_the_server_process_is_pid_1_without_privileges(server: Container) -> None:
    status = server.exec("cat", "/proc/1/status")
    assert status.returncode == 0, status.stderr
    fields = dict(line.split(":", 1) for line in status.stdout.splitlines())
    assert fields["Uid"].split()[:2] == ["10001", "10001"] and fields["Gid"].split()[:2] == ["10001", "10001"]
    assert int(fields["CapEff"], 16) == 0 and int(fields["CapBnd"], 16) == 0
    assert fields["NoNewPrivs"].strip() == "1"
    assert "tensorseed" in server.exec("cat", "/proc/1/cmdline").stdout


def test_the_images_own_healthcheck_passes(server: Container) -> None:
    deadline = time.monotonic() + 60
    while True:
        result = podman("healthcheck", "run", server.name, check=False)
        if result.returncode == 0:
            break
        assert time.monotonic() < deadline, f"healthcheck still failing: {result.stdout} {result.stderr}"
        time.sleep(1)


def test_the_probe_and_scrape_paths_answer_on_the_pods_port(
    server: Container, cpu_pod: list[Resource]
) -> None:
    container = server_container(cpu_pod)
    annotations = one(cpu_pod, "Deployment")["spec"]["template"]["metadata"]["annotations"]
    paths = {container[p]["httpGet"]["path"] for p in ("startupProbe", "readinessProbe", "livenessProbe")}
    for path in sorted(paths | {annotations["prometheus.io/path"]}):
        assert httpx.get(server.base_url + path, timeout=10).status_code == 200, path


@pytest.mark.parametrize("dtype", DTYPES)
def test_the_file_from_the_container_equals_a_local_generation(
    server: Container, tmp_path: Path, dtype: str
) -> None:
    recipe = {**RECIPE, "dtype": dtype}
    digest = hashlib.sha256()
    with httpx.stream("POST", f"{server.base_url}/v1/weights", json=recipe, timeout=120) as response:
        assert response.status_code == 200, response.read()
        for chunk in response.iter_bytes():
            digest.update(chunk)
    assert digest.hexdigest() == local_sha256(recipe, tmp_path)


def test_the_images_command_line_generates_the_same_file(image: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [*PODMAN, *ONE_OFF, "-i", image, "generate", "-"],
        input=json.dumps({**RECIPE, "dtype": "bfloat16"}).encode(), capture_output=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert hashlib.sha256(result.stdout).hexdigest() == local_sha256(
        {**RECIPE, "dtype": "bfloat16"}, tmp_path
    )


def test_the_compiled_kernel_generates(server: Container) -> None:
    metrics = httpx.get(f"{server.base_url}/metrics", timeout=10).text
    backends = [line for line in metrics.splitlines() if line.startswith("tensorseed_device_backend{")]
    assert backends == ['tensorseed_device_backend{backend="cpu-kernel",device="cpu"} 1.0'], backends


def test_the_cpu_image_has_no_compiler(image: str) -> None:
    script = (
        f"for tool in {' '.join(COMPILERS)}; do command -v $tool; done;"
        " dpkg-query -W -f '${Package}\\n'"
        " | grep -E '^(gcc|cpp|g\\+\\+|clang|tcc)(-[0-9]+)?$|^(binutils|make|libc6-dev)$' || true"
    )
    result = podman(*ONE_OFF, "--entrypoint", "sh", image, "-c", script, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"build tools in the CPU image: {result.stdout}"


def test_the_manifests_agree_with_the_built_image(image: str, cpu_pod: list[Resource]) -> None:
    """tests/deploy/test_manifests.py checks the manifests against the Dockerfile; this checks
    them against what was built, and that the build kept what the Dockerfile declares."""
    built = ImageFacts.of_image(inspect_image(image))
    assert consistency_problems(cpu_pod, AppFacts.of_app(), built) == []
    declared = ImageFacts.of_dockerfile(parse_dockerfile(REPO / "Dockerfile"), "cpu")
    assert (built.user, built.exposed_ports, built.healthcheck) == (
        declared.user, declared.exposed_ports, declared.healthcheck,
    )  # fmt: skip
    for name, value in declared.env.items():
        assert built.env[name] == value.replace("$PATH", built.env["PATH"].split(":", 1)[1]), name
    assert built.env["PATH"].startswith("/opt/venv/bin:")


def test_sigterm_mid_stream_completes_the_stream_within_the_grace_period(
    image: str, cpu_pod: list[Resource]
) -> None:
    """`podman stop` as Kubernetes stops a pod: SIGTERM, then SIGKILL after the grace period.
    The stream in flight must end complete, and the container by itself, before the SIGKILL."""
    options, port = pod_run_options(cpu_pod)
    grace = pod_spec(cpu_pod)["terminationGracePeriodSeconds"]
    container = Container(image, options, port)
    stopped: list[subprocess.CompletedProcess[str]] = []
    try:
        container.start()
        with (
            httpx.Client(timeout=120) as client,
            client.stream("POST", f"{container.base_url}/v1/weights", json=BIG) as response,
        ):
            assert response.status_code == 200
            expected = int(response.headers["content-length"])
            chunks = response.iter_bytes()
            body = bytearray()
            while len(body) < 1 << 20:
                body += next(chunks)
            stopper = threading.Thread(
                target=lambda: stopped.append(
                    podman("stop", "--time", str(grace), container.name, check=False)
                ),
            )
            stopper.start()
            # Read no further until the server has taken the SIGTERM: a 200 MB constant stream
            # can otherwise end before `podman stop` delivers it, and nothing would be drained.
            # The response waits meanwhile (the server blocks on the full socket).
            deadline = time.monotonic() + 30
            while "Shutting down" not in container.logs() and time.monotonic() < deadline:
                time.sleep(0.1)
            for chunk in chunks:
                body += chunk
            stopper.join(timeout=grace + 30)
        state = json.loads(
            podman("container", "inspect", "--format", "{{json .State}}", container.name).stdout
        )
        logs = container.logs()
    finally:
        container.remove()
    assert stopped and stopped[0].returncode == 0, stopped
    assert len(body) == expected
    assert np.all(load(bytes(body))["big"] == np.float32(0.5))
    # 0 or 128 + SIGTERM: it drained and exited; 137 would be the SIGKILL at the grace period's end.
    assert state["ExitCode"] in (0, 143) and not state["OOMKilled"], state
    assert "Waiting for connections to close" in logs

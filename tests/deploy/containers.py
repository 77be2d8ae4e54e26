"""Containers of the built image, run with podman the way the Kubernetes manifests run pods.

``make image-check`` builds the image (scripts/build_image.py) and names it in TENSORSEED_IMAGE;
without it the tests that need it skip, saying how to run them. ``pod_run_options`` turns the
rendered Deployment's pod into ``podman run`` options (user, read-only root, writable mounts,
dropped capabilities, resources, the ConfigMap's variables, the port), so a container started here
is the pod the manifests describe, and what the manifests promise is tried, not just compared.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from scripts.build_image import PODMAN, RUN_OPTIONS
from tests.deploy.manifest_checks import Resource, environment, pod_spec, server_container
from tests.server_process import free_port

IMAGE_VARIABLE = "TENSORSEED_IMAGE"
STARTUP_DEADLINE_S = 90.0


def built_image() -> str:
    """The image ``make image-check`` built; skips the test where none was built."""
    image = os.environ.get(IMAGE_VARIABLE)
    if not image:
        pytest.skip(f"no image built: `make image-check` builds one and runs this test ({IMAGE_VARIABLE})")
    return image


def podman(*args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PODMAN, *args], capture_output=True, text=True, check=check, timeout=timeout)


def inspect_image(image: str) -> dict[str, Any]:
    (facts,) = json.loads(podman("image", "inspect", image).stdout)
    result: dict[str, Any] = facts
    return result


def _quantity(text: str) -> str:
    """A Kubernetes memory quantity (``2Gi``) as podman writes it (``2g``)."""
    match = re.fullmatch(r"(\d+)([KMGT]i)?", str(text))
    if match is None:
        raise ValueError(f"memory quantity {text!r} is not one this translation knows")
    return match.group(1) + {"Ki": "k", "Mi": "m", "Gi": "g", "Ti": "t", None: ""}[match.group(2)]


def pod_run_options(resources: list[Resource]) -> tuple[list[str], int]:
    """``podman run`` options for the server container of a rendered overlay, and its port.

    Raises ValueError on a pod setting this translation does not carry over, so a manifest change
    cannot silently go untried.
    """
    pod = pod_spec(resources)
    container = server_container(resources)
    security = {**pod.get("securityContext", {}), **container.get("securityContext", {})}
    options = [f"--user={security['runAsUser']}:{security['runAsGroup']}"]
    if security.get("readOnlyRootFilesystem"):
        options += ["--read-only", "--read-only-tmpfs=false"]
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for mount in container.get("volumeMounts", []):
        volume = volumes[mount["name"]]
        secret = volume.get("secret")
        if set(volume) == {"name", "secret"} and secret.get("optional") is True and mount.get("readOnly"):
            # An optional Secret the test has not created: Kubernetes mounts an empty folder, read-only.
            options += ["--tmpfs", f"{mount['mountPath']}:ro,mode=0555,size=4k"]
            continue
        if set(volume) != {"name", "emptyDir"}:
            raise ValueError(
                f"volume {mount['name']} is not an emptyDir (nor an optional Secret mounted read-only)"
            )
        size = volume["emptyDir"].get("sizeLimit")
        # An emptyDir is writable by the pod's fsGroup; a tmpfs with the sticky world-writable mode
        # is the nearest podman has.
        options += [
            "--tmpfs",
            f"{mount['mountPath']}:rw,mode=1777" + (f",size={_quantity(size)}" if size else ""),
        ]
    for capability in security.get("capabilities", {}).get("drop", []):
        options += ["--cap-drop", capability.lower()]
    if security.get("allowPrivilegeEscalation") is False:
        options += ["--security-opt", "no-new-privileges"]
    limits = container.get("resources", {}).get("limits", {})
    if "memory" in limits:
        options += ["--memory", _quantity(limits["memory"])]
    if "cpu" in limits:
        options += ["--cpus", str(limits["cpu"])]
    for name, value in sorted(environment(resources).items()):
        options += ["--env", f"{name}={value}"]
    (port,) = [p["containerPort"] for p in container["ports"] if p.get("name") == "http"]
    return options, int(port)


@dataclass
class Container:
    """One container of ``image`` published on a loopback port; started again under the same name."""

    image: str
    options: list[str]
    container_port: int
    port: int = field(default_factory=free_port)
    name: str = field(default_factory=lambda: f"tensorseed-test-{uuid.uuid4().hex[:10]}")
    created: bool = False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Create and start it (or start it again), and wait until it is ready."""
        if self.created:
            podman("start", self.name)
        else:
            podman(
                "run", "--detach", "--name", self.name, *RUN_OPTIONS, *self.options,
                "--publish", f"127.0.0.1:{self.port}:{self.container_port}", self.image,
            )  # fmt: skip
            self.created = True
        self.wait_ready()

    def wait_ready(self, path: str = "/v2/health/ready") -> None:
        deadline = time.monotonic() + STARTUP_DEADLINE_S
        while time.monotonic() < deadline:
            if not self.running():
                raise RuntimeError(f"container {self.name} exited while starting:\n{self.logs()}")
            try:
                if httpx.get(self.base_url + path, timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"container {self.name} not ready after {STARTUP_DEADLINE_S} s:\n{self.logs()}")

    def running(self) -> bool:
        state = podman("container", "inspect", "--format", "{{.State.Running}}", self.name, check=False)
        return state.stdout.strip() == "true"

    def signal(self, name: str) -> None:
        podman("kill", "--signal", name, self.name)

    def terminate(self) -> None:
        """What ``podman stop`` and Kubernetes send first: the image's STOPSIGNAL."""
        self.signal("TERM")

    def kill(self) -> None:
        self.signal("KILL")

    def wait(self, timeout: float) -> int:
        """The exit code, once the container has stopped."""
        return int(podman("wait", self.name, timeout=timeout).stdout.strip())

    def exec(self, *command: str) -> subprocess.CompletedProcess[str]:
        return podman("exec", self.name, *command, check=False)

    def logs(self) -> str:
        result = podman("logs", self.name, check=False)
        return result.stdout + result.stderr

    def remove(self) -> None:
        if self.created:
            podman("rm", "--force", "--time", "0", self.name, check=False)
            self.created = False

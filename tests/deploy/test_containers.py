"""tests/deploy/containers.py: the cpu overlay's pod as podman options, and refusal beyond them."""

from __future__ import annotations

import copy

import pytest

from tests.deploy.containers import pod_run_options
from tests.deploy.manifest_checks import environment, pod_spec, render_overlay, server_container
from tests.server_process import REPO


def test_the_cpu_pod_becomes_these_podman_options() -> None:
    rendered = render_overlay(REPO / "k8s", "cpu")
    options, port = pod_run_options(rendered)
    assert port == 8000
    env = [f"{name}={value}" for name, value in sorted(environment(rendered).items())]
    assert options == [
        "--user=10001:10001",
        "--read-only", "--read-only-tmpfs=false",
        "--tmpfs", "/tmp:rw,mode=1777,size=1g",
        "--tmpfs", "/etc/tensorseed/keys:ro,mode=0555,size=4k",  # the optional API keys Secret, absent
        "--cap-drop", "all",
        "--security-opt", "no-new-privileges",
        "--memory", "2g", "--cpus", "2",
        *[word for variable in env for word in ("--env", variable)],
    ]  # fmt: skip
    assert all(variable.startswith("TENSORSEED_") for variable in env)


def test_a_volume_it_cannot_run_as_the_pod_would_is_refused() -> None:
    rendered = copy.deepcopy(render_overlay(REPO / "k8s", "cpu"))
    pod_spec(rendered)["volumes"][0] = {"name": "tmp", "hostPath": {"path": "/srv"}}
    with pytest.raises(ValueError, match="not an emptyDir"):
        pod_run_options(rendered)
    pod_spec(rendered)["volumes"][0] = {"name": "tmp", "emptyDir": {}}
    keys = next(v for v in pod_spec(rendered)["volumes"] if v["name"] == "api-keys")
    keys["secret"]["optional"] = False  # a Secret the test would have to invent
    with pytest.raises(ValueError, match="not an emptyDir"):
        pod_run_options(rendered)
    keys["secret"]["optional"] = True
    server_container(rendered)["resources"]["limits"]["memory"] = "2G"
    pod_spec(rendered)["volumes"][0] = {"name": "tmp", "emptyDir": {}}
    with pytest.raises(ValueError, match="memory quantity"):
        pod_run_options(rendered)

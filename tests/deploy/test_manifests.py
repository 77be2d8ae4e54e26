"""The Kubernetes manifests, rendered per overlay: consistent with the app, hardened, GPU-ready.

``make deploy-check`` lints them (yamllint) and validates the rendered overlays against the
Kubernetes API schemas (kubernetes-validate --strict). These tests check what a schema cannot:
that they agree with the code, and that a rename in one place without the other is caught.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tensorseed import __version__
from tests.deploy.dockerfile import Dockerfile, parse_dockerfile
from tests.deploy.manifest_checks import (
    PENDING_SETTINGS,
    AppFacts,
    ImageFacts,
    Resource,
    consistency_problems,
    environment,
    one,
    pod_spec,
    render_overlay,
    server_container,
)
from tests.server_process import REPO

K8S = REPO / "k8s"
OVERLAYS = {"cpu": "cpu", "gpu": "cuda"}  # overlay -> the Dockerfile target its image is built from


@pytest.fixture(scope="module")
def app_facts() -> AppFacts:
    return AppFacts.of_app()


@pytest.fixture(scope="module")
def dockerfile() -> Dockerfile:
    return parse_dockerfile(REPO / "Dockerfile")


@pytest.fixture(scope="module", params=sorted(OVERLAYS))
def overlay(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture(scope="module")
def rendered(overlay: str) -> list[Resource]:
    return render_overlay(K8S, overlay)


def test_manifests_agree_with_the_app(
    overlay: str, rendered: list[Resource], app_facts: AppFacts, dockerfile: Dockerfile
) -> None:
    """Against the Dockerfile's image for the overlay (tests/deploy/test_image.py also checks the
    cpu overlay against the image `make image-check` builds)."""
    image = ImageFacts.of_dockerfile(dockerfile, OVERLAYS[overlay])
    assert consistency_problems(rendered, app_facts, image) == []


def test_probe_and_scrape_paths_answer_200_from_the_real_app(rendered: list[Resource]) -> None:
    container = server_container(rendered)
    annotations = one(rendered, "Deployment")["spec"]["template"]["metadata"]["annotations"]
    paths = {container[p]["httpGet"]["path"] for p in ("startupProbe", "readinessProbe", "livenessProbe")}
    with TestClient(create_app(Settings())) as client:
        for path in sorted(paths | {annotations["prometheus.io/path"]}):
            assert client.get(path).status_code == 200, path


class Mutation(NamedTuple):
    """An edit to one file under k8s/, and words the resulting problem must contain."""

    file: str
    old: str
    new: str
    named_by: str


MUTATIONS = {
    "renamed readiness path": Mutation(
        "base/deployment.yaml", "path: /v2/health/ready", "path: /v2/health/readiness", "readinessProbe path"
    ),
    "renamed liveness path": Mutation(
        "base/deployment.yaml", "path: /v2/health/live", "path: /healthz", "livenessProbe path"
    ),
    "renamed env variable": Mutation(
        "base/configmap.yaml",
        "TENSORSEED_MAX_ACTIVE_JOBS",
        "TENSORSEED_MAX_ACTIVE_JOB",
        "env TENSORSEED_MAX_ACTIVE_JOB ",
    ),
    "variable outside the prefix": Mutation(
        "base/configmap.yaml", "TENSORSEED_LOG_LEVEL", "LOG_LEVEL", "env LOG_LEVEL "
    ),
    "port changed in the settings only": Mutation(
        "base/configmap.yaml",
        'TENSORSEED_PORT: "8000"',
        'TENSORSEED_PORT: "9000"',
        "is not TENSORSEED_PORT=9000",
    ),
    "container port changed": Mutation(
        "base/deployment.yaml", "containerPort: 8000", "containerPort: 8080", "container port 'http'"
    ),
    "drain longer than the grace period": Mutation(
        "base/configmap.yaml",
        'TENSORSEED_SHUTDOWN_TIMEOUT: "60"',
        'TENSORSEED_SHUTDOWN_TIMEOUT: "300"',
        "terminationGracePeriodSeconds",
    ),
    "invalid setting value": Mutation(
        "base/configmap.yaml",
        'TENSORSEED_MAX_QUEUED_JOBS: "16"',
        'TENSORSEED_MAX_QUEUED_JOBS: "-1"',
        "invalid",
    ),
    "scrape path renamed": Mutation(
        "base/deployment.yaml", "prometheus.io/path: /metrics", "prometheus.io/path: /m", "prometheus.io/path"
    ),
    "user differs from the image": Mutation(
        "base/deployment.yaml", "runAsUser: 10001", "runAsUser: 10002", "pod runs as 10002"
    ),
    "caches outside the writable mount": Mutation(
        "base/deployment.yaml", "mountPath: /tmp", "mountPath: /scratch", "XDG_CACHE_HOME"
    ),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_consistency_check_catches_a_mutated_copy(
    mutation: str, tmp_path: Path, app_facts: AppFacts, dockerfile: Dockerfile
) -> None:
    """Rename something in the manifests only, as a careless edit would: the check must say so."""
    edit = MUTATIONS[mutation]
    copy = tmp_path / "k8s"
    shutil.copytree(K8S, copy)
    target = copy / edit.file
    text = target.read_text()
    assert edit.old in text, f"the mutation no longer applies: {edit.old!r} not in {edit.file}"
    target.write_text(text.replace(edit.old, edit.new))
    for overlay, image_target in OVERLAYS.items():
        image = ImageFacts.of_dockerfile(dockerfile, image_target)
        problems = consistency_problems(render_overlay(copy, overlay), app_facts, image)
        assert any(edit.named_by in p for p in problems), (overlay, problems)


IMAGE_MUTATIONS: dict[str, tuple[dict[str, Any], str]] = {
    "another user": ({"user": "10002:10002"}, "the image as 10002:10002"),
    "another port": ({"exposed_ports": frozenset({9000})}, "the image exposes {9000}"),
    "health check elsewhere": ({"healthcheck": ("python", "-c", "print('/healthz')")}, "HEALTHCHECK"),
    "cache outside /tmp": ({"env": {"XDG_CACHE_HOME": "/var/cache/tensorseed"}}, "XDG_CACHE_HOME=/var/cache"),
}


@pytest.mark.parametrize("mutation", sorted(IMAGE_MUTATIONS))
def test_consistency_check_catches_an_image_that_differs(
    mutation: str, app_facts: AppFacts, dockerfile: Dockerfile
) -> None:
    """The image side of the check: an image built differently from what the pods expect."""
    change, named_by = IMAGE_MUTATIONS[mutation]
    for overlay, target in OVERLAYS.items():
        image = dataclasses.replace(ImageFacts.of_dockerfile(dockerfile, target), **change)
        problems = consistency_problems(render_overlay(K8S, overlay), app_facts, image)
        assert any(named_by in p for p in problems), (overlay, problems)


def test_pending_settings_are_still_pending() -> None:
    """An entry here excuses a manifest variable the app does not read yet; drop it once it does."""
    assert not set(PENDING_SETTINGS) & set(Settings.model_fields)


def test_overlay_image_is_the_matching_dockerfile_target(
    overlay: str, rendered: list[Resource], dockerfile: Dockerfile
) -> None:
    target = OVERLAYS[overlay]
    assert target in dockerfile.stages()
    assert server_container(rendered)["image"] == f"tensorseed:{__version__}-{target}"


def test_pods_are_hardened(rendered: list[Resource]) -> None:
    pod = pod_spec(rendered)
    container = server_container(rendered)
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    volumes = {v["name"]: v for v in pod["volumes"]}
    for mount in container["volumeMounts"]:
        volume = volumes[mount["name"]]
        # Scratch space, or a read-only Secret (the optional API keys file).
        assert "emptyDir" in volume or ("secret" in volume and mount.get("readOnly") is True), mount
    assert pod["automountServiceAccountToken"] is False
    account = one(rendered, "ServiceAccount")
    assert pod["serviceAccountName"] == account["metadata"]["name"]
    assert account["automountServiceAccountToken"] is False


def test_resources_are_requested_and_limited(rendered: list[Resource]) -> None:
    resources = server_container(rendered)["resources"]
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(resources[kind]), kind


def test_selectors_match_the_pods_and_the_autoscaler_owns_the_replica_count(rendered: list[Resource]) -> None:
    deployment = one(rendered, "Deployment")
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    selectors = [
        deployment["spec"]["selector"]["matchLabels"],
        one(rendered, "Service")["spec"]["selector"],
        one(rendered, "PodDisruptionBudget")["spec"]["selector"]["matchLabels"],
        one(rendered, "NetworkPolicy")["spec"]["podSelector"]["matchLabels"],
    ]
    for selector in selectors:
        assert selector.items() <= labels.items(), selector
    hpa = one(rendered, "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1", "kind": "Deployment", "name": deployment["metadata"]["name"],
    }  # fmt: skip
    assert "replicas" not in deployment["spec"], "an applied replicas field would fight the autoscaler"
    assert hpa["spec"]["minReplicas"] >= 2, "one replica cannot survive a voluntary disruption"
    assert one(rendered, "PodDisruptionBudget")["spec"]["maxUnavailable"] == 1


def test_gpu_overlay_asks_for_one_gpu_and_only_gpu_nodes(rendered: list[Resource], overlay: str) -> None:
    pod = pod_spec(rendered)
    limits = server_container(rendered)["resources"]["limits"]
    env = environment(rendered)
    if overlay == "cpu":
        assert "nvidia.com/gpu" not in limits
        assert "tolerations" not in pod and "nodeSelector" not in pod
        assert "TENSORSEED_DEVICES" not in env
        return
    assert limits["nvidia.com/gpu"] == 1
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in pod["tolerations"]
    assert pod["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    assert env["TENSORSEED_DEVICES"] == "cuda:0"
    # No surge: a rollout must not wait for a spare GPU that may not exist.
    assert one(rendered, "Deployment")["spec"]["strategy"]["rollingUpdate"]["maxSurge"] == 0


def test_the_api_keys_file_is_an_optional_secret_mount(rendered: list[Resource]) -> None:
    """TENSORSEED_API_KEYS_FILE names a file inside the read-only mount of an optional Secret."""
    pod = pod_spec(rendered)
    container = server_container(rendered)
    path = environment(rendered)["TENSORSEED_API_KEYS_FILE"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    (mount,) = [m for m in container["volumeMounts"] if path.startswith(m["mountPath"].rstrip("/") + "/")]
    secret = volumes[mount["name"]]["secret"]
    assert secret["optional"] is True and mount["readOnly"] is True
    assert path.rsplit("/", 1)[1] == "api-keys"

"""Do the rendered manifests agree with the app? Ports, probe paths, settings, shutdown timing.

``consistency_problems`` lists every disagreement between one rendered overlay and what the app
really serves (its FastAPI routes), reads (its Settings fields) and runs as (its image: the
Dockerfile's target, or the metadata of a built image, ``ImageFacts``). The tests run it on the
real manifests, expecting none, and on mutated copies, expecting the mutation to be named.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.main import create_app
from app.settings import Settings
from scripts.render_kustomize import render
from tests.deploy.dockerfile import Dockerfile

Resource = dict[str, Any]

ENV_PREFIX = "TENSORSEED_"
# Settings the manifests set for a field that a parallel issue adds to app/settings.py.
# test_pending_settings_are_still_pending fails once the field exists: then delete the entry.
PENDING_SETTINGS: dict[str, str] = {}
# Seconds the pod needs on top of the preStop sleep and the drain: interpreter exit, log flush.
SHUTDOWN_MARGIN_S = 5
# The image keeps HOME and its caches here (Dockerfile ENV); they must be writable mounts.
WRITABLE_PATH_VARIABLES = ("HOME", "XDG_CACHE_HOME", "TRITON_CACHE_DIR")


@dataclass(frozen=True)
class AppFacts:
    """What the app serves and reads, taken from the code rather than restated."""

    routes: dict[str, str]  # operationId (the endpoint's name) -> path
    settings_fields: frozenset[str]

    @classmethod
    def of_app(cls) -> AppFacts:
        paths = create_app().openapi()["paths"]
        routes = {op["operationId"]: path for path, methods in paths.items() for op in methods.values()}
        return cls(routes, frozenset(Settings.model_fields))


@dataclass(frozen=True)
class ImageFacts:
    """What a container of an image starts as: user, exposed ports, environment, health check."""

    user: str  # "uid:gid"
    exposed_ports: frozenset[int]
    env: dict[str, str]
    healthcheck: tuple[str, ...]

    @classmethod
    def of_dockerfile(cls, dockerfile: Dockerfile, target: str) -> ImageFacts:
        """The facts the Dockerfile declares for ``target`` (and the stages it builds on)."""
        (healthcheck,) = dockerfile.of_stage(target, "HEALTHCHECK")
        return cls(
            user=dockerfile.of_stage(target, "USER")[-1].arguments,
            exposed_ports=frozenset(int(i.arguments) for i in dockerfile.of_stage(target, "EXPOSE")),
            env=dockerfile.env(target),
            healthcheck=tuple(healthcheck.exec_form()),
        )

    @classmethod
    def of_image(cls, inspected: dict[str, Any]) -> ImageFacts:
        """The facts of a built image, from its metadata (``podman image inspect``)."""
        config = inspected["Config"]
        # podman reports the health check beside the config, docker inside it.
        test = (inspected.get("Healthcheck") or config.get("Healthcheck") or {}).get("Test", [])
        return cls(
            user=config.get("User", ""),
            exposed_ports=frozenset(int(p.split("/")[0]) for p in config.get("ExposedPorts", {})),
            env=dict(e.split("=", 1) for e in config.get("Env", [])),
            # ["CMD", argv...] (exec form) or ["CMD-SHELL", command]; none: ["NONE"] or nothing.
            healthcheck=tuple(test[1:]) if test[:1] in (["CMD"], ["CMD-SHELL"]) else (),
        )


def render_overlay(k8s: Path, overlay: str) -> list[Resource]:
    return render(k8s / "overlays" / overlay)


def one(resources: list[Resource], kind: str) -> Resource:
    (found,) = [r for r in resources if r["kind"] == kind]
    return found


def pod_spec(resources: list[Resource]) -> dict[str, Any]:
    spec: dict[str, Any] = one(resources, "Deployment")["spec"]["template"]["spec"]
    return spec


def server_container(resources: list[Resource]) -> dict[str, Any]:
    (container,) = pod_spec(resources)["containers"]
    return container


def environment(resources: list[Resource]) -> dict[str, str]:
    """The variables the server container starts with: its ConfigMaps, then its own ``env``."""
    container = server_container(resources)
    configmaps = {r["metadata"]["name"]: r for r in resources if r["kind"] == "ConfigMap"}
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        env.update(configmaps[source["configMapRef"]["name"]].get("data", {}))
    env.update({e["name"]: e.get("value", "") for e in container.get("env", [])})
    return env


def _port_number(container: dict[str, Any], port: int | str) -> int | None:
    """A probe's or Service's port, by number or by the container port's name."""
    for declared in container.get("ports", []):
        if port in (declared["containerPort"], declared.get("name")):
            return int(declared["containerPort"])
    return None


def consistency_problems(resources: list[Resource], app: AppFacts, image: ImageFacts) -> list[str]:
    """Disagreements between one rendered overlay, the app, and the image its pods run."""
    problems: list[str] = []
    container = server_container(resources)
    env = environment(resources)

    # Every TENSORSEED_* variable names a setting, and together they are valid settings.
    known = app.settings_fields | set(PENDING_SETTINGS)
    fields: dict[str, str] = {}
    for name, value in env.items():
        field = name.removeprefix(ENV_PREFIX).lower()
        if not name.startswith(ENV_PREFIX) or field not in known:
            problems.append(f"env {name} is not a TENSORSEED_* setting the app reads")
        elif field in app.settings_fields:
            fields[field] = value
    try:
        settings = Settings.model_validate(fields)
    except ValidationError as exc:
        return [*problems, f"the manifests' settings are invalid: {exc}"]

    # One port everywhere: the setting, the container, the image, the Service, the policy.
    port = settings.port
    if _port_number(container, "http") != port:
        problems.append(f"container port 'http' is not TENSORSEED_PORT={port}")
    if image.exposed_ports != {port}:
        problems.append(f"the image exposes {set(image.exposed_ports)}, not TENSORSEED_PORT={port}")
    for service_port in one(resources, "Service")["spec"]["ports"]:
        if _port_number(container, service_port["targetPort"]) != port:
            problems.append(f"Service targetPort {service_port['targetPort']} is not the server's port")
    for rule in one(resources, "NetworkPolicy")["spec"].get("ingress", []):
        for allowed in rule.get("ports", []):
            if _port_number(container, allowed["port"]) != port:
                problems.append(f"NetworkPolicy admits port {allowed['port']}, not the server's port")

    # Probes and scraping hit routes the app serves, on the server's port.
    expected_paths = {
        "startupProbe": app.routes["health_ready"],
        "readinessProbe": app.routes["health_ready"],
        "livenessProbe": app.routes["health_live"],
    }
    for probe, path in expected_paths.items():
        get = container.get(probe, {}).get("httpGet", {})
        if get.get("path") != path:
            problems.append(f"{probe} path {get.get('path')!r} is not the app's {path!r}")
        if _port_number(container, get.get("port", -1)) != port:
            problems.append(f"{probe} port {get.get('port')!r} is not the server's port")
    annotations = one(resources, "Deployment")["spec"]["template"]["metadata"].get("annotations", {})
    if annotations.get("prometheus.io/path") != app.routes["metrics"]:
        problems.append(f"prometheus.io/path is not the app's {app.routes['metrics']!r}")
    if annotations.get("prometheus.io/port") != str(port):
        problems.append(f"prometheus.io/port is not TENSORSEED_PORT={port}")

    # The pod outlives the drain: preStop sleep, then shutdown_timeout, then exit.
    pod = pod_spec(resources)
    pre_stop = container.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
    needed = pre_stop + settings.shutdown_timeout + SHUTDOWN_MARGIN_S
    grace = pod.get("terminationGracePeriodSeconds", 30)
    if grace < needed:
        problems.append(
            f"terminationGracePeriodSeconds {grace} < preStop {pre_stop} + TENSORSEED_SHUTDOWN_TIMEOUT "
            f"{settings.shutdown_timeout} + margin {SHUTDOWN_MARGIN_S}"
        )

    # The image's own health check probes what the liveness probe probes.
    if not any(app.routes["health_live"] in word for word in image.healthcheck):
        problems.append(f"the image's HEALTHCHECK does not probe the app's {app.routes['health_live']!r}")

    # The user the image is built for, and writable mounts where the image writes.
    security = pod.get("securityContext", {})
    if f"{security.get('runAsUser')}:{security.get('runAsGroup')}" != image.user:
        problems.append(f"pod runs as {security.get('runAsUser')}, the image as {image.user}")
    mounts = [m["mountPath"] for m in container.get("volumeMounts", [])]
    for variable in WRITABLE_PATH_VARIABLES:
        writable = image.env.get(variable)
        if writable is not None and not any(
            writable == m or writable.startswith(f"{m.rstrip('/')}/") for m in mounts
        ):
            problems.append(f"{variable}={writable} (set by the image) is on no writable mount")
    return problems

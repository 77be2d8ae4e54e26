"""Render a kustomization folder (``k8s/overlays/gpu``) to YAML, as ``kubectl kustomize`` would.

No kustomize binary installs offline from the registries CI reaches, so CI renders the overlays
with this script. It implements a strict subset of kustomize, whose semantics are exact:

- ``resources``: YAML files (one or more documents) and folders holding a kustomization.yaml;
- ``images``: ``name`` with ``newName``, ``newTag`` and/or ``digest``, applied to containers;
- ``patches``: JSON 6902 operations (add, remove, replace, test) inline or from a file, each with
  a ``target`` naming the ``kind`` and ``name`` of one resource.

Anything else in a kustomization (strategic merge patches, generators, name prefixes, labels...)
is refused rather than ignored, so that what `kubectl apply -k` deploys is what CI validated.

Usage: ``python scripts/render_kustomize.py k8s/overlays/gpu > gpu.yaml``
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path
from typing import Any

import yaml

Resource = dict[str, Any]

KUSTOMIZATION_KEYS = {"apiVersion", "kind", "resources", "images", "patches"}
TARGET_KEYS = {"kind", "name"}
IMAGE_KEYS = {"name", "newName", "newTag", "digest"}
POD_SPEC_PATHS = {  # where each workload kind keeps its pod spec
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


class KustomizeError(Exception):
    """A kustomization this renderer cannot render exactly as kustomize would."""


def render(folder: Path) -> list[Resource]:
    """The resources of the kustomization in ``folder``, images set and patches applied."""
    path = folder / "kustomization.yaml"
    if not path.is_file():
        raise KustomizeError(f"{folder}: no kustomization.yaml")
    spec = yaml.safe_load(path.read_text()) or {}
    unknown = set(spec) - KUSTOMIZATION_KEYS
    if unknown:
        raise KustomizeError(f"{path}: unsupported fields {sorted(unknown)}")
    resources: list[Resource] = []
    for entry in spec.get("resources", []):
        target = folder / entry
        found = render(target) if target.is_dir() else _load_documents(target)
        for resource in found:
            if any(_id(r) == _id(resource) for r in resources):
                raise KustomizeError(f"{path}: {_id(resource)} is defined twice")
            resources.append(resource)
    for image in spec.get("images", []):
        _set_image(resources, image, path)
    for patch in spec.get("patches", []):
        _apply_patch(resources, patch, folder)
    return resources


def _id(resource: Resource) -> tuple[str, str]:
    return resource["kind"], resource["metadata"]["name"]


def _load_documents(path: Path) -> list[Resource]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def _set_image(resources: list[Resource], image: dict[str, str], source: Path) -> None:
    unknown = set(image) - IMAGE_KEYS
    if unknown or "name" not in image:
        raise KustomizeError(f"{source}: image entry {image} (supported: {sorted(IMAGE_KEYS)})")
    for resource in resources:
        pod = _pod_spec(resource)
        for container in (pod or {}).get("containers", []) + (pod or {}).get("initContainers", []):
            name, tag, digest = _split_image(container["image"])
            if name != image["name"]:
                continue
            name = image.get("newName", name)
            if "digest" in image:
                container["image"] = f"{name}@{image['digest']}"
            else:
                tag = image.get("newTag", tag)
                container["image"] = name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")


def _pod_spec(resource: Resource) -> dict[str, Any] | None:
    node: Any = resource
    for key in POD_SPEC_PATHS.get(resource["kind"], ()):
        node = node.get(key, {})
    return node if resource["kind"] in POD_SPEC_PATHS else None


def _split_image(image: str) -> tuple[str, str, str]:
    """``registry:5000/name:tag@sha256:...`` -> (``registry:5000/name``, ``tag``, ``sha256:...``)."""
    rest, _, digest = image.partition("@")
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        return rest[:colon], rest[colon + 1 :], digest
    return rest, "", digest


def _apply_patch(resources: list[Resource], patch: dict[str, Any], folder: Path) -> None:
    target = patch.get("target", {})
    if set(patch) - {"target", "patch", "path"} or set(target) != TARGET_KEYS:
        raise KustomizeError(f"{folder}: patches need exactly a target {{kind, name}} and a patch or path")
    text = patch["patch"] if "patch" in patch else (folder / patch["path"]).read_text()
    operations = yaml.safe_load(text)
    if not isinstance(operations, list):
        raise KustomizeError(f"{folder}: only JSON 6902 patches (a list of operations) are supported")
    matches = [r for r in resources if _id(r) == (target["kind"], target["name"])]
    if not matches:
        raise KustomizeError(f"{folder}: patch target {target} matches no resource")
    for resource in matches:
        for operation in operations:
            apply_operation(resource, operation)


def _pointer(path: str) -> list[str]:
    if not path.startswith("/"):
        raise KustomizeError(f"JSON pointer {path!r} must start with /")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _child(node: Any, key: str, path: str) -> Any:
    try:
        return node[int(key)] if isinstance(node, list) else node[key]
    except (KeyError, IndexError, ValueError) as exc:
        raise KustomizeError(f"JSON pointer {path!r}: no {key!r}") from exc


def apply_operation(document: Resource, operation: dict[str, Any]) -> None:
    """One RFC 6902 operation (add, remove, replace, test) applied to ``document`` in place."""
    op, path = operation.get("op"), operation.get("path", "")
    *parents, last = _pointer(path)
    parent: Any = document
    for key in parents:
        parent = _child(parent, key, path)
    value = copy.deepcopy(operation.get("value"))
    if op == "test":
        if _child(parent, last, path) != value:
            raise KustomizeError(f"test failed at {path!r}: expected {value!r}")
    elif op == "remove":
        _child(parent, last, path)
        del parent[int(last) if isinstance(parent, list) else last]
    elif op == "replace":
        _child(parent, last, path)
        parent[int(last) if isinstance(parent, list) else last] = value
    elif op == "add":
        if isinstance(parent, list):
            index = len(parent) if last == "-" else int(last)
            if not 0 <= index <= len(parent):
                raise KustomizeError(f"JSON pointer {path!r}: index out of range")
            parent.insert(index, value)
        elif isinstance(parent, dict):
            parent[last] = value
        else:
            raise KustomizeError(f"JSON pointer {path!r}: parent is not a container")
    else:
        raise KustomizeError(f"unsupported JSON 6902 operation {op!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="a folder holding a kustomization.yaml")
    args = parser.parse_args(argv)
    try:
        resources = render(args.folder)
    except KustomizeError as exc:
        print(f"render_kustomize: {exc}", file=sys.stderr)
        return 1
    yaml.safe_dump_all(resources, sys.stdout, sort_keys=False, explicit_start=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

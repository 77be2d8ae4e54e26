"""scripts/render_kustomize.py: kustomize's semantics for the subset it accepts, refusal beyond."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.render_kustomize import KustomizeError, apply_operation, main, render
from tests.server_process import REPO

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "annotations": {"a/b": "1"}},
    "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "web"}]}}},
}


def _write(folder: Path, kustomization: dict[str, Any], resources: dict[str, Any] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kustomization.yaml").write_text(yaml.safe_dump(kustomization))
    for name, documents in (resources or {}).items():
        (folder / name).write_text(yaml.safe_dump_all(documents))
    return folder


def _base(tmp_path: Path) -> Path:
    return _write(tmp_path / "base", {"resources": ["web.yaml"]}, {"web.yaml": [DEPLOYMENT]})


@pytest.mark.parametrize(
    ("operation", "expected"),
    [
        ({"op": "add", "path": "/x", "value": {"y": 1}}, {"x": {"y": 1}, "l": [1, 2]}),
        ({"op": "add", "path": "/l/0", "value": 0}, {"l": [0, 1, 2]}),
        ({"op": "add", "path": "/l/-", "value": 3}, {"l": [1, 2, 3]}),
        ({"op": "replace", "path": "/l/1", "value": 5}, {"l": [1, 5]}),
        ({"op": "remove", "path": "/l/0"}, {"l": [2]}),
        ({"op": "test", "path": "/l", "value": [1, 2]}, {"l": [1, 2]}),
        ({"op": "add", "path": "/a~1b~0c", "value": 1}, {"l": [1, 2], "a/b~c": 1}),
    ],
)
def test_json6902_operations(operation: dict[str, Any], expected: dict[str, Any]) -> None:
    document: dict[str, Any] = {"l": [1, 2]}
    apply_operation(document, operation)
    assert document == expected


@pytest.mark.parametrize(
    "operation",
    [
        {"op": "test", "path": "/l", "value": [2, 1]},
        {"op": "replace", "path": "/missing", "value": 1},
        {"op": "remove", "path": "/l/5"},
        {"op": "add", "path": "/l/7", "value": 1},
        {"op": "move", "from": "/l", "path": "/m"},
        {"op": "add", "path": "no-slash", "value": 1},
    ],
)
def test_json6902_failures_are_errors(operation: dict[str, Any]) -> None:
    with pytest.raises(KustomizeError):
        apply_operation({"l": [1, 2]}, operation)


def test_overlay_sets_images_and_applies_patches_to_the_named_target(tmp_path: Path) -> None:
    _base(tmp_path)
    overlay = _write(
        tmp_path / "overlay",
        {
            "resources": ["../base"],
            "images": [{"name": "web", "newName": "registry.example:5000/web", "newTag": "1.2"}],
            "patches": [
                {
                    "target": {"kind": "Deployment", "name": "web"},
                    "patch": "- {op: add, path: /metadata/annotations/a~1c, value: '2'}",
                }
            ],
        },
    )
    (deployment,) = render(overlay)
    assert deployment["metadata"]["annotations"] == {"a/b": "1", "a/c": "2"}
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "registry.example:5000/web:1.2"
    (unchanged,) = render(tmp_path / "base")
    assert unchanged == DEPLOYMENT


def test_image_digest_replaces_the_tag_and_other_images_are_untouched(tmp_path: Path) -> None:
    _base(tmp_path)
    overlay = _write(
        tmp_path / "overlay",
        {"resources": ["../base"], "images": [{"name": "web", "digest": "sha256:ab"}, {"name": "other"}]},
    )
    (deployment,) = render(overlay)
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "web@sha256:ab"


@pytest.mark.parametrize(
    "kustomization",
    [
        {"resources": ["../base"], "namePrefix": "x-"},
        {
            "resources": ["../base"],
            "patches": [{"target": {"kind": "Deployment", "name": "web"}, "patch": "a: 1"}],
        },
        {
            "resources": ["../base"],
            "patches": [{"target": {"kind": "Service", "name": "web"}, "patch": "[]"}],
        },
        {"resources": ["../base"], "patches": [{"target": {"labelSelector": "a=b"}, "patch": "[]"}]},
        {"resources": ["../base", "../base"]},
        {"resources": ["../base"], "images": [{"name": "web", "newImage": "x"}]},
    ],
    ids=["unknown field", "strategic merge", "no target", "selector target", "duplicate", "image field"],
)
def test_what_it_cannot_render_exactly_is_refused(tmp_path: Path, kustomization: dict[str, Any]) -> None:
    _base(tmp_path)
    with pytest.raises(KustomizeError):
        render(_write(tmp_path / "overlay", kustomization))


def test_cli_prints_the_rendered_documents(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(REPO / "k8s/overlays/gpu")]) == 0
    assert list(yaml.safe_load_all(capsys.readouterr().out)) == render(REPO / "k8s/overlays/gpu")


def test_cli_reports_an_error_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path)]) == 1
    assert "no kustomization.yaml" in capsys.readouterr().err

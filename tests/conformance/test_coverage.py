"""Every stream version, exact scheme and layer type of the service is implemented by both ports,
exercised by the golden recipes and the committed vectors, and named in the spec: adding a
version, a scheme or a layer without its port support fails the build."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.conformance.golden import (
    DTYPES,
    EXAMPLE_INITS,
    golden_recipes,
    layer_types_used,
    load_vectors,
    schemes_used,
)
from tests.conformance.ports import ROOT, capabilities, declared_versions

#: Ports known to lag a version the service serves, with why; their coverage test is a strict
#: xfail, which fails (XPASS) as soon as the port declares every version: then delete the entry.
LAGGING: dict[str, str] = {}

SPEC = (ROOT / "docs" / "stream-spec.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def catalogue() -> Iterator[dict[str, Any]]:
    # The service's finite-values policy is off: here it must accept exactly what the reference does.
    with TestClient(create_app(Settings(finite_values=False))) as c:
        schemes = c.get("/v1/schemes").json()["schemes"]
        layers = c.get("/v1/layers").json()["layers"]
        specs = c.get("/v1/specs").json()
    yield {
        "exact": sorted(s["name"] for s in schemes if s["tier"] == "exact"),
        "layers": sorted(entry["type"] for entry in layers),
        "specs": [v["name"] for v in specs["versions"]],
        "default_spec": specs["default"],
    }


@pytest.mark.parametrize("port", ["c", "js"])
def test_ports_declare_every_served_version(
    port: str, catalogue: dict[str, Any], commands: dict[str, list[str]], request: pytest.FixtureRequest
) -> None:
    # The conformance suite checks each port on the versions its --capabilities declares
    # ("spec_versions"); a port that lags a version the service serves must fail here, loudly.
    if port in LAGGING:
        request.applymarker(pytest.mark.xfail(reason=LAGGING[port], strict=True))
    caps = capabilities(commands[port])
    versions, reads_spec = declared_versions(caps)
    missing = set(catalogue["specs"]) - set(versions)
    assert not missing, f"the {port} port does not implement {sorted(missing)}"
    assert reads_spec and caps["spec_version"] == catalogue["default_spec"]


@pytest.mark.parametrize("port", ["c", "js"])
def test_ports_implement_the_catalogue(
    port: str, catalogue: dict[str, Any], commands: dict[str, list[str]]
) -> None:
    caps = capabilities(commands[port])
    for version in declared_versions(caps)[0]:
        assert f"`{version}`" in SPEC
    missing = set(catalogue["exact"]) - set(caps["schemes"])
    assert not missing, f"exact scheme(s) {sorted(missing)} have no support in the {port} port"
    missing = set(catalogue["layers"]) - set(caps["layers"])
    assert not missing, f"layer type(s) {sorted(missing)} have no support in the {port} port"
    assert set(caps["dtypes"]) == set(DTYPES)


def test_golden_recipes_cover_the_catalogue(catalogue: dict[str, Any]) -> None:
    missing = set(catalogue["exact"]) - set(EXAMPLE_INITS)
    assert not missing, f"add an example init for {sorted(missing)} to tests/conformance/golden.py"
    recipes = golden_recipes()
    assert set().union(*map(schemes_used, recipes)) >= set(catalogue["exact"])
    assert set().union(*map(layer_types_used, recipes)) >= set(catalogue["layers"])


def test_committed_vectors_cover_the_catalogue(catalogue: dict[str, Any]) -> None:
    vectors = load_vectors()
    if not vectors:
        pytest.skip("no tests/conformance/vectors/*.json on this branch")
    for spec in catalogue["specs"]:
        recipes = [json.loads(v["case"].text) for v in vectors if v["spec"] == spec]
        schemes = set().union(*map(schemes_used, recipes))
        missing = set(catalogue["exact"]) - schemes
        assert not missing, f"no committed {spec} vector uses {sorted(missing)}"
        missing = set(catalogue["layers"]) - set().union(*map(layer_types_used, recipes))
        assert not missing, f"no committed {spec} vector uses layer type(s) {sorted(missing)}"


def test_spec_documents_the_catalogue(catalogue: dict[str, Any]) -> None:
    for name in catalogue["exact"] + catalogue["layers"]:
        assert f"`{name}`" in SPEC, f"docs/stream-spec.md does not define `{name}`"


def test_js_core_is_browser_safe() -> None:
    # Only cli.mjs may use Node: the core modules must run in a browser as they are.
    core = [p for p in (ROOT / "ports" / "js").glob("*.mjs") if p.name != "cli.mjs"]
    assert core
    for path in core:
        source = path.read_text(encoding="utf-8")
        for node_only in ("node:", "require(", "process.", "Buffer", "__dirname"):
            assert node_only not in source, f"{path.name} uses {node_only!r}"

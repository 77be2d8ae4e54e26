"""GET /v1/specs, /v1/schemes, /v1/layers, /v1/presets: what a recipe may ask for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel

from tensorseed.recipe.gains import GAIN_FORMULAS, calculate_gain
from tensorseed.recipe.layers import LIBRARY_VERSIONS
from tensorseed.recipe.layers.catalogue import LAYERS, describe
from tensorseed.recipe.presets import presets
from tensorseed.recipe.schemes import SCHEMES
from tensorseed.stream import SPEC_V1, SPEC_V2, SPEC_VERSION, SPEC_VERSIONS, spec_major

from .clients import client_key
from .schemas import LayersResponse, PresetsResponse, SchemesResponse, SpecsResponse

router = APIRouter(prefix="/v1", tags=["catalogue"])

#: The catalogue never changes while the process runs: each answer is built once (off the event
#: loop: the layer catalogue takes ~0.7 s to describe) and its JSON bytes served from then on.
_BUILT: dict[str, bytes] = {}


async def _once(
    request: Request, name: str, model: type[BaseModel], build: Callable[[], dict[str, Any]]
) -> Response:
    body = _BUILT.get(name)
    if body is None:
        engine = request.app.state.engine
        body = await engine.prepare(
            lambda: model.model_validate(build()).model_dump_json().encode(), client_key(request)
        )
        _BUILT[name] = body
    return Response(body, media_type="application/json")


SPEC_SUMMARIES = {
    SPEC_V1: "Frozen: every sampler in binary64, two Philox words per normal. Name it in a recipe "
    "('spec') to get its bytes forever.",
    SPEC_V2: "The default: float32, float16 and bfloat16 outputs sampled in binary32 with one Philox "
    "word per element; float64 outputs keep v1's binary64 samplers (under v2's keys).",
}
assert set(SPEC_SUMMARIES) == set(SPEC_VERSIONS)


@router.get("/specs", response_model=SpecsResponse, summary="The stream versions served")
async def list_specs() -> dict[str, Any]:
    """Every stream version this service generates, and the default."""
    return {
        "default": SPEC_VERSION,
        "versions": [
            {"name": spec, "token_prefix": f"{spec_major(spec)}.", "summary": SPEC_SUMMARIES[spec]}
            for spec in SPEC_VERSIONS
        ],
        "document": "docs/stream-spec.md",
    }


@router.get("/schemes", response_model=SchemesResponse, summary="The initialization schemes")
async def list_schemes(request: Request) -> Response:
    """Every scheme: parameters with defaults, formula, distribution, tier, source, and what each
    library means by the name; plus torch's calculate_gain table."""
    return await _once(request, "schemes", SchemesResponse, _schemes)


def _schemes() -> dict[str, Any]:
    return {
        "spec_version": SPEC_VERSION,
        "spec_versions": list(SPEC_VERSIONS),
        "conventions": ["torch", "keras", "jax", "flax"],
        "library_versions": LIBRARY_VERSIONS,
        "exports": ["torch", "keras", "flax"],
        "schemes": [
            {
                "name": s.name,
                "aliases": list(s.aliases),
                "parameters": s.parameters(),
                "formula": s.formula,
                "distribution": s.distribution,
                "tier": s.tier,
                "source": s.source,
                "uses_fans": s.uses_fans,
                "libraries": s.libraries,
                "notes": s.notes,
            }
            for s in SCHEMES.values()
        ],
        "gains": [
            {"nonlinearity": name, "formula": formula, "gain": calculate_gain(name)}
            for name, formula in GAIN_FORMULAS.items()
        ],
    }


@router.get("/presets", response_model=PresetsResponse, summary="The model presets")
async def list_presets(request: Request) -> Response:
    """Every architecture a recipe's ``model`` may name, with its config keys and defaults."""
    return await _once(request, "presets", PresetsResponse, _presets)


def _presets() -> dict[str, Any]:
    return {
        "presets": [
            {"name": p.name, "description": p.description, "source": p.source, "config": p.config}
            for p in presets().values()
        ]
    }


@router.get("/layers", response_model=LayersResponse, summary="The layer types")
async def list_layers(request: Request) -> Response:
    """Every layer type: its fields, and per convention the library class and the parameters it
    registers for an example (names, shapes, default init, fans)."""
    return await _once(
        request, "layers", LayersResponse, lambda: {"layers": [describe(info) for info in LAYERS]}
    )

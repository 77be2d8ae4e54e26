"""GET /v1/specs, /v1/schemes, /v1/layers, /v1/presets: what a recipe may ask for."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tensorseed.recipe.gains import GAIN_FORMULAS, calculate_gain
from tensorseed.recipe.layers.catalogue import LAYERS, describe
from tensorseed.recipe.presets import presets
from tensorseed.recipe.schemes import SCHEMES
from tensorseed.stream import SPEC_V1, SPEC_V2, SPEC_VERSION, SPEC_VERSIONS, spec_major

from .schemas import LayersResponse, PresetsResponse, SchemesResponse, SpecsResponse

router = APIRouter(prefix="/v1", tags=["catalogue"])

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
async def list_schemes() -> dict[str, Any]:
    """Every scheme: parameters with defaults, formula, distribution, tier, source, and what each
    library means by the name; plus torch's calculate_gain table."""
    return {
        "spec_version": SPEC_VERSION,
        "spec_versions": list(SPEC_VERSIONS),
        "conventions": ["torch", "keras", "jax", "flax"],
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
async def list_presets() -> dict[str, Any]:
    """Every architecture a recipe's ``model`` may name, with its config keys and defaults."""
    return {
        "presets": [
            {"name": p.name, "description": p.description, "source": p.source, "config": p.config}
            for p in presets().values()
        ]
    }


@router.get("/layers", response_model=LayersResponse, summary="The layer types")
async def list_layers() -> dict[str, Any]:
    """Every layer type: its fields, and per convention the library class and the parameters it
    registers for an example (names, shapes, default init, fans)."""
    return {"layers": [describe(info) for info in LAYERS]}

"""GET /v1/schemes and /v1/layers: what a recipe may ask for, with formulas and sources."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tensorseed.recipe.gains import GAIN_FORMULAS, calculate_gain
from tensorseed.recipe.layers import LIBRARY_VERSIONS
from tensorseed.recipe.layers.catalogue import LAYERS, describe
from tensorseed.recipe.presets import presets
from tensorseed.recipe.schemes import SCHEMES
from tensorseed.stream import SPEC_VERSION

from .schemas import LayersResponse, PresetsResponse, SchemesResponse

router = APIRouter(prefix="/v1", tags=["catalogue"])


@router.get("/schemes", response_model=SchemesResponse, summary="The initialization schemes")
async def list_schemes() -> dict[str, Any]:
    """Every scheme: parameters with defaults, formula, distribution, tier, source, and what each
    library means by the name; plus torch's calculate_gain table."""
    return {
        "spec_version": SPEC_VERSION,
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

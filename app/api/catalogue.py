"""GET /v1/schemes and /v1/layers: what a recipe may ask for, with formulas and sources."""

from __future__ import annotations

from typing import Any, get_args

from fastapi import APIRouter

from app.api.schemas import LayersResponse, PresetsResponse, SchemesResponse
from app.recipe import models as m
from app.recipe.layers import layer_parameters
from app.recipe.presets import presets
from app.recipe.schemes import SCHEMES
from app.stream import SPEC_VERSION

router = APIRouter(prefix="/v1", tags=["catalogue"])


@router.get("/schemes", response_model=SchemesResponse, summary="The initialization schemes")
async def list_schemes() -> dict[str, Any]:
    """Every scheme: parameters with defaults, formula, distribution, tier and source."""
    return {
        "spec_version": SPEC_VERSION,
        "schemes": [
            {
                "name": s.name,
                "parameters": s.parameters(),
                "formula": s.formula,
                "distribution": s.distribution,
                "tier": s.tier,
                "source": s.source,
                "uses_fans": s.uses_fans,
                "notes": s.notes,
            }
            for s in SCHEMES.values()
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


def _layer_models() -> list[type[m.Strict]]:
    union = get_args(m.Layer)[0]
    return list(get_args(union))


@router.get("/layers", response_model=LayersResponse, summary="The layer types")
async def list_layers() -> dict[str, Any]:
    """Every layer type: its fields (JSON schema) and the parameters it expands to."""
    out = []
    for model in _layer_models():
        schema = model.model_json_schema()
        type_name = schema["properties"]["type"]["const"]
        out.append(
            {
                "type": type_name,
                "parameters": _parameter_names(model),
                "fields": {k: v for k, v in schema["properties"].items() if k != "type"},
            }
        )
    return {"layers": out}


def _parameter_names(model: type[m.Strict]) -> list[str]:
    examples: dict[str, dict[str, Any]] = {
        "linear": {"in_features": 1, "out_features": 1},
        "embedding": {"num_embeddings": 1, "embedding_dim": 1},
    }
    type_name = model.model_json_schema()["properties"]["type"]["const"]
    fields = examples.get(type_name, {"in_channels": 1, "out_channels": 1, "kernel_size": 1})
    layer = model.model_validate({"type": type_name, "name": "x", **fields})
    return [p.suffix for p in layer_parameters(layer, ())]  # type: ignore[arg-type]

"""POST /v1/stats: per-tensor statistics of what /v1/weights would serve."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from app.api.deps import EngineDep
from app.api.errors import ERROR_RESPONSES
from app.api.schemas import StatsResponse
from app.recipe.models import Recipe

router = APIRouter(prefix="/v1", tags=["stats"])


@router.post("/stats", response_model=StatsResponse, responses=ERROR_RESPONSES,
             summary="Statistics and sha256 of each tensor a recipe generates")  # fmt: skip
async def compute_stats(
    recipe: Recipe,
    engine: EngineDep,
    bins: Annotated[int, Query(ge=1, description="Histogram bins over [observed min, max]")] = 32,
) -> dict[str, Any]:
    """Observed mean/std/min/max/histogram next to the scheme's expected values, plus sha256."""
    if bins > engine.settings.max_histogram_bins:
        raise HTTPException(422, f"bins must be at most {engine.settings.max_histogram_bins}")
    plan = engine.plan(recipe)
    job = await engine.admit()
    return await engine.stats(plan, bins, job)

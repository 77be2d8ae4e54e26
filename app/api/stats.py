"""POST /v1/stats: per-tensor statistics of what /v1/weights would serve."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from app.api.deps import EngineDep
from app.api.errors import ERROR_RESPONSES
from app.api.schemas import StatsResponse
from app.engine.service import Engine
from app.recipe.models import Recipe

router = APIRouter(prefix="/v1", tags=["stats"])

Bins = Annotated[int, Query(ge=1, description="Histogram bins over [observed min, max]")]


def check_bins(bins: int, engine: Engine) -> None:
    """The histogram size a request may ask for (the settings' limit), else a 422."""
    if bins > engine.settings.max_histogram_bins:
        raise HTTPException(422, f"bins must be at most {engine.settings.max_histogram_bins}")


@router.post("/stats", response_model=StatsResponse, responses=ERROR_RESPONSES,
             summary="Statistics and sha256 of each tensor a recipe generates")  # fmt: skip
async def compute_stats(
    recipe: Recipe,
    engine: EngineDep,
    bins: Bins = 32,
) -> dict[str, Any]:
    """Observed mean/std/min/max/histogram next to the scheme's expected values, plus sha256."""
    check_bins(bins, engine)
    plan = engine.plan(recipe)
    job = await engine.admit()
    return await engine.stats(plan, bins, job)

"""POST /v1/stats: per-tensor statistics of what /v1/weights would serve."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from tensorseed.engine.service import Engine, Job
from tensorseed.formats.stats import plan_stats
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import Plan

from ..settings import Settings
from .deps import EngineDep, SettingsDep
from .errors import ERROR_RESPONSES
from .schemas import StatsResponse

router = APIRouter(prefix="/v1", tags=["stats"])

Bins = Annotated[int, Query(ge=1, description="Histogram bins over [observed min, max]")]


def check_bins(bins: int, settings: Settings) -> None:
    """The histogram size a request may ask for (the settings' limit), else a 422."""
    if bins > settings.max_histogram_bins:
        raise HTTPException(422, f"bins must be at most {settings.max_histogram_bins}")


async def run_stats(engine: Engine, plan: Plan, bins: int, job: Job) -> dict[str, Any]:
    """The statistics of a plan, computed on the job's device (the job is released after)."""
    chunk = engine.chunk_elements(plan.dtype.itemsize)
    return await engine.run(job, lambda backend: plan_stats(plan, backend, chunk, bins))


@router.post("/stats", response_model=StatsResponse, responses=ERROR_RESPONSES,
             summary="Statistics and sha256 of each tensor a recipe generates")  # fmt: skip
async def compute_stats(
    recipe: Recipe,
    engine: EngineDep,
    settings: SettingsDep,
    bins: Bins = 32,
) -> dict[str, Any]:
    """Observed mean/std/min/max/histogram next to the scheme's expected values, plus sha256."""
    check_bins(bins, settings)
    plan = engine.plan(recipe)
    job = await engine.admit()
    return await run_stats(engine, plan, bins, job)

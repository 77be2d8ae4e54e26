"""POST /v1/stats: per-tensor statistics of what /v1/weights would serve."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.responses import Response

from tensorseed.engine.backend import Backend
from tensorseed.engine.demand import stats_demand, stats_keep_bytes
from tensorseed.engine.service import Engine
from tensorseed.formats.stats import plan_stats
from tensorseed.recipe.errors import LimitExceeded
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import Plan

from ..settings import Settings
from .body import RecipeBodyRoute
from .deps import ClientDep, EngineDep, SettingsDep
from .errors import BODY_ERROR_RESPONSES, ERROR_RESPONSES
from .responses import until_done_or_gone
from .schemas import StatsResponse
from .weights import charge_bytes

router = APIRouter(prefix="/v1", tags=["stats"], route_class=RecipeBodyRoute)

Bins = Annotated[int, Query(ge=1, description="Histogram bins over [observed min, max]")]


def check_bins(bins: int, settings: Settings) -> None:
    """The histogram size a request may ask for (the settings' limit), else a 422."""
    if bins > settings.max_histogram_bins:
        raise HTTPException(422, f"bins must be at most {settings.max_histogram_bins}")


def check_stats_size(plan: Plan, bins: int, settings: Settings) -> None:
    """A statistics response carries about 2 x bins numbers per tensor: bounded (413)."""
    values = bins * len(plan.tensors)
    if values > settings.max_stats_values:
        raise LimitExceeded(
            ("bins",),
            f"{len(plan.tensors)} tensors x {bins} bins = {values} histogram values, over the limit "
            f"of {settings.max_stats_values} (TENSORSEED_MAX_STATS_VALUES); ask for fewer bins",
        )


def _finite(value: Any) -> Any:
    """JSON has no infinities: a non-finite float becomes null (as pydantic serializes it)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def stats_json(stats: dict[str, Any]) -> bytes:
    """The statistics as JSON, one tensor per json.dumps call (each short: the GIL is shared)."""
    parts = []
    for tensor in stats["tensors"]:
        try:
            parts.append(json.dumps(tensor, allow_nan=False, separators=(",", ":")))
        except ValueError:
            parts.append(json.dumps(_finite(tensor), allow_nan=False, separators=(",", ":")))
    head = {k: v for k, v in stats.items() if k != "tensors"}
    return (json.dumps(head, separators=(",", ":"))[:-1] + ',"tensors":[' + ",".join(parts) + "]}").encode()


async def respond_stats(
    request: Request,
    engine: Engine,
    plan: Plan,
    bins: int,
    client: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """Admit a statistics job for ``plan`` and answer its JSON (the job stops if the client leaves)."""
    settings: Settings = request.app.state.settings
    check_stats_size(plan, bins, settings)
    charge_bytes(request, client, sum(t.nbytes for t in plan.tensors))
    narrowest = min((t.dtype.itemsize for t in plan.tensors), default=plan.dtype.itemsize)
    chunk = engine.chunk_elements(plan.dtype.itemsize)
    demand = stats_demand(plan.tensors, engine.chunk_elements(narrowest), settings.chunk_bytes)
    job = await engine.admit(demand, client)

    def work(backend: Backend) -> bytes:
        return stats_json(plan_stats(plan, backend, chunk, bins, stats_keep_bytes(settings.chunk_bytes)))

    body = await until_done_or_gone(request, job, engine.run(job, work))
    if body is None:  # the client left; nothing can be sent
        return Response(status_code=499)
    return Response(body, media_type="application/json", headers=headers)


@router.post("/stats", response_model=StatsResponse, responses={**ERROR_RESPONSES, **BODY_ERROR_RESPONSES},
             summary="Statistics and sha256 of each tensor a recipe generates")  # fmt: skip
async def compute_stats(
    recipe: Recipe,
    engine: EngineDep,
    settings: SettingsDep,
    client: ClientDep,
    request: Request,
    bins: Bins = 32,
) -> Response:
    """Observed mean/std/min/max/histogram next to the scheme's expected values, plus sha256."""
    check_bins(bins, settings)
    plan = await engine.prepare(lambda: engine.plan(recipe), client)
    return await respond_stats(request, engine, plan, bins, client)

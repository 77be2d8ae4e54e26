"""Pictures (SVG or PNG) of statistics, propagation and comparisons: the same bodies as the JSON routes.

As the JSON routes: bodies decoded and validated on a planning thread, where the recipe or
network is planned and every limit checked (panels, tensors, histogram values) before anything
is generated; then one heavy job, admitted with the memory of its computation plus that of the
picture (``plots.render_bytes``: the figure's size follows from the bounded number of panels or
tensors), computes and draws on a worker thread. A client that leaves stops the job before it
draws.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from tensorseed.analysis import plots
from tensorseed.analysis import propagation as analysis
from tensorseed.analysis.models import CompareRequest, PropagationRequest
from tensorseed.engine.backend import Backend
from tensorseed.engine.demand import Demand, stats_demand, stats_keep_bytes
from tensorseed.engine.service import Job, JobCancelled
from tensorseed.formats.stats import plan_stats
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import Plan

from .deps import ClientDep, EngineDep, SettingsDep
from .errors import BODY_ERROR_RESPONSES, ERROR_RESPONSES
from .propagation import NetworkBodyRoute, generated_bytes, propagation_limits, run_heavy
from .stats import Bins, check_bins, check_stats_size
from .weights import charge_bytes

router = APIRouter(prefix="/v1", tags=["plots"], route_class=NetworkBodyRoute)

IMAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The picture: SVG (format=svg, the default) or PNG (format=png)",
        "content": {
            "image/svg+xml": {"schema": {"type": "string", "format": "binary"}},
            "image/png": {"schema": {"type": "string", "format": "binary"}},
        },
    },
    **ERROR_RESPONSES,
    **BODY_ERROR_RESPONSES,
}
Format = Annotated[Literal["svg", "png"], Query(alias="format", description="svg or png")]
Kind = Annotated[
    Literal["std", "histograms"],
    Query(description="std: expected vs observed std; histograms: one histogram per tensor or layer"),
]
#: A tensor's statistics while the picture is drawn: its dict, and two numbers per bin.
STATS_TENSOR_BYTES = 8 * 1024
STATS_BYTES_PER_BIN = 2 * 96


def _image(data: bytes | None, image_format: str) -> Response:
    if data is None:  # the client left; nothing can be sent
        return Response(status_code=499)
    return Response(data, media_type=plots.MEDIA_TYPES[image_format], headers={"Cache-Control": "no-store"})


def _draw(job: Job, draw: Callable[[], Any], image_format: Literal["svg", "png"]) -> bytes:
    """Draw and save on the worker thread, unless the client has left meanwhile."""
    if job.cancelled.is_set():
        raise JobCancelled("the job was cancelled")
    return plots.render(draw(), image_format)


def _picture(demand: Demand, size: tuple[float, float], image_format: Literal["svg", "png"]) -> Demand:
    """A job's demand with its picture's memory added; a heavy job (it holds whole results).
    A picture too large to draw at all is a 413 here, before anything is computed."""
    try:
        plots.check_size(size)
    except plots.PlotError as exc:
        raise HTTPException(413, str(exc)) from None
    return Demand(demand.bytes + plots.render_bytes(size, image_format), heavy=True)


@router.post(
    "/stats/plot",
    response_class=Response,
    responses=IMAGE_RESPONSES,
    summary="A picture of a recipe's statistics: expected vs observed std, or histograms",
)
async def plot_stats(
    recipe: Recipe,
    engine: EngineDep,
    settings: SettingsDep,
    client: ClientDep,
    http: Request,
    image_format: Format = "svg",
    kind: Kind = "std",
    bins: Bins = 32,
    match: Annotated[str | None, Query(max_length=256, description="Glob over tensor names")] = None,
) -> Response:
    """The statistics of POST /v1/stats, drawn: every tensor's std (kind=std, at most
    TENSORSEED_MAX_PLOT_TENSORS) or histogram (kind=histograms, at most
    TENSORSEED_MAX_PLOT_PANELS); choose tensors with match."""
    check_bins(bins, settings)
    chunk_bytes = settings.chunk_bytes

    def plan_picture() -> tuple[Plan, Demand]:
        """Plan, choose the tensors and check every limit before anything is generated."""
        plan = engine.plan(recipe)
        try:
            tensors = plots.select_tensors({"tensors": [{"name": t.name} for t in plan.tensors]}, match)
        except plots.PlotError as exc:
            raise HTTPException(422, str(exc)) from None
        limit = settings.max_plot_panels if kind == "histograms" else settings.max_plot_tensors
        if len(tensors) > limit:
            raise HTTPException(
                413,
                f"{len(tensors)} tensors are over the limit of {limit} for one picture; "
                "choose some with match",
            )
        chosen = {t["name"] for t in tensors}
        subset = dataclasses.replace(plan, tensors=tuple(t for t in plan.tensors if t.name in chosen))
        check_stats_size(subset, bins, settings)
        narrowest = min(t.dtype.itemsize for t in subset.tensors)
        stats = stats_demand(subset.tensors, engine.chunk_elements(narrowest), chunk_bytes)
        size = plots.stats_std_size(len(tensors)) if kind == "std" else plots.grid_size(len(tensors))
        held = len(tensors) * (STATS_TENSOR_BYTES + bins * STATS_BYTES_PER_BIN)
        return subset, _picture(Demand(stats.bytes + held, True), size, image_format)

    subset, demand = await engine.prepare(plan_picture, client)
    charge_bytes(http, client, sum(t.nbytes for t in subset.tensors))
    chunk = engine.chunk_elements(subset.dtype.itemsize)

    def work(backend: Backend, job: Job) -> bytes:
        # stats_demand (in the declared demand) counts the chunks kept for the histogram pass
        stats = plan_stats(subset, backend, chunk, bins, stats_keep_bytes(settings.chunk_bytes))["tensors"]
        if kind == "std":
            return _draw(job, lambda: plots.stats_std_figure(stats), image_format)
        return _draw(job, lambda: plots.stats_histogram_figure(stats, settings.max_plot_panels), image_format)

    return _image(await run_heavy(http, engine, client, demand, work), image_format)


@router.post(
    "/propagation/plot",
    response_class=Response,
    responses=IMAGE_RESPONSES,
    summary="A picture of signal propagation: std per layer, or activation histograms",
)
async def plot_propagation(
    request: PropagationRequest,
    engine: EngineDep,
    settings: SettingsDep,
    client: ClientDep,
    http: Request,
    image_format: Format = "svg",
    kind: Kind = "std",
    bins: Bins = 32,
) -> Response:
    """POST /v1/propagation drawn: activation and gradient std through the layers, measured and
    mean field (kind=std), or histograms of the input and evenly spaced layers (kind=histograms,
    at most TENSORSEED_MAX_PLOT_PANELS)."""
    check_bins(bins, settings)
    limits = propagation_limits(settings)
    panels = settings.max_plot_panels
    prepared = await engine.prepare(
        lambda: analysis.plan_propagation(request, limits, engine.limits, bins), client
    )
    charge_bytes(http, client, generated_bytes([prepared]))
    depth = prepared.network.depth
    size = (
        plots.PROPAGATION_STD_SIZE
        if kind == "std"
        else plots.grid_size(plots.propagation_histogram_panels(depth, panels))
    )

    def work(backend: Backend, job: Job) -> bytes:
        result = analysis.run(prepared, backend, bins)
        if kind == "std":
            return _draw(job, lambda: plots.propagation_std_figure(result), image_format)
        return _draw(job, lambda: plots.propagation_histogram_figure(result, panels), image_format)

    demand = _picture(analysis.demand([prepared], bins), size, image_format)
    return _image(await run_heavy(http, engine, client, demand, work), image_format)


@router.post(
    "/propagation/compare/plot",
    response_class=Response,
    responses=IMAGE_RESPONSES,
    summary="A picture of the depth view: std through the layers, one curve per scheme",
)
async def plot_comparison(
    request: CompareRequest,
    engine: EngineDep,
    settings: SettingsDep,
    client: ClientDep,
    http: Request,
    image_format: Format = "svg",
) -> Response:
    """POST /v1/propagation/compare drawn: activation and gradient std per layer for each scheme."""
    limits = propagation_limits(settings)
    prepared = await engine.prepare(lambda: analysis.plan_comparison(request, limits, engine.limits), client)
    charge_bytes(http, client, generated_bytes(prepared))

    def work(backend: Backend, job: Job) -> bytes:
        result = analysis.run_comparison(request, prepared, backend, 0)
        return _draw(job, lambda: plots.compare_figure(result), image_format)

    demand = _picture(analysis.demand(prepared, 0), plots.COMPARE_SIZE, image_format)
    return _image(await run_heavy(http, engine, client, demand, work), image_format)

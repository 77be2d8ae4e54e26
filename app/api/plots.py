"""Pictures (SVG or PNG) of statistics, propagation and comparisons: the same bodies as the JSON routes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from tensorseed.analysis import plots
from tensorseed.analysis.models import CompareRequest, PropagationRequest
from tensorseed.analysis.propagation import compare, propagate
from tensorseed.engine.backend import Backend
from tensorseed.engine.demand import stats_keep_bytes
from tensorseed.formats.stats import plan_stats
from tensorseed.recipe.models import Recipe

from ..settings import Settings
from .deps import EngineDep, SettingsDep
from .errors import BODY_ERROR_RESPONSES, ERROR_RESPONSES
from .propagation import propagation_limits
from .stats import Bins, check_bins

router = APIRouter(prefix="/v1", tags=["plots"])

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


def _image(data: bytes, image_format: str) -> Response:
    return Response(data, media_type=plots.MEDIA_TYPES[image_format], headers={"Cache-Control": "no-store"})


def _drawn(draw: Callable[[], Any], image_format: Literal["svg", "png"]) -> bytes:
    """Draw on the worker thread; a picture that cannot be drawn as asked is the client's 413."""
    try:
        figure = draw()
    except plots.PlotError as exc:
        raise HTTPException(413 if exc.too_large else 422, str(exc)) from exc
    return plots.render(figure, image_format)


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
    image_format: Format = "svg",
    kind: Kind = "std",
    bins: Bins = 32,
    match: Annotated[str | None, Query(max_length=256, description="Glob over tensor names")] = None,
) -> Response:
    """The statistics of POST /v1/stats, drawn: every tensor's std (kind=std) or histogram
    (kind=histograms, at most TENSORSEED_MAX_PLOT_PANELS; choose tensors with match)."""
    check_bins(bins, settings)
    plan = engine.plan(recipe)
    chunk = engine.chunk_elements(plan.dtype.itemsize)

    def work(backend: Backend) -> bytes:
        def draw() -> Any:
            tensors = plots.select_tensors({"tensors": [{"name": t.name} for t in plan.tensors]}, match)
            limit = settings.max_plot_panels if kind == "histograms" else settings.max_plot_tensors
            if len(tensors) > limit:
                raise plots.PlotError(
                    f"{len(tensors)} tensors are over the limit of {limit} for one picture; "
                    "choose some with match",
                    too_large=True,
                )
            chosen = {t["name"] for t in tensors}
            subset = dataclasses.replace(plan, tensors=tuple(t for t in plan.tensors if t.name in chosen))
            # a light job's share (engine.admit()'s default) covers the kept chunks
            stats = plan_stats(subset, backend, chunk, bins, stats_keep_bytes(settings.chunk_bytes))[
                "tensors"
            ]
            if kind == "std":
                return plots.stats_std_figure(stats)
            return plots.stats_histogram_figure(stats, settings.max_plot_panels)

        return _drawn(draw, image_format)

    job = await engine.admit()
    return _image(await engine.run(job, work), image_format)


def _propagation_figure(result: dict[str, Any], kind: str, settings: Settings) -> Any:
    if kind == "std":
        return plots.propagation_std_figure(result)
    return plots.propagation_histogram_figure(result, settings.max_plot_panels)


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
    image_format: Format = "svg",
    kind: Kind = "std",
    bins: Bins = 32,
) -> Response:
    """POST /v1/propagation drawn: activation and gradient std through the layers, measured and
    mean field (kind=std), or histograms of the input and evenly spaced layers (kind=histograms)."""
    check_bins(bins, settings)
    limits = propagation_limits(settings)

    def work(backend: Backend) -> bytes:
        result = propagate(request, backend, limits, engine.limits, bins)
        return _drawn(lambda: _propagation_figure(result, kind, settings), image_format)

    job = await engine.admit()
    return _image(await engine.run(job, work), image_format)


@router.post(
    "/propagation/compare/plot",
    response_class=Response,
    responses=IMAGE_RESPONSES,
    summary="A picture of the depth view: std through the layers, one curve per scheme",
)
async def plot_comparison(
    request: CompareRequest, engine: EngineDep, settings: SettingsDep, image_format: Format = "svg"
) -> Response:
    """POST /v1/propagation/compare drawn: activation and gradient std per layer for each scheme."""
    limits = propagation_limits(settings)

    def work(backend: Backend) -> bytes:
        result = compare(request, backend, limits, engine.limits, 0)
        return _drawn(lambda: plots.compare_figure(result), image_format)

    job = await engine.admit()
    return _image(await engine.run(job, work), image_format)

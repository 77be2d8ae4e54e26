"""POST /v1/propagation and /v1/propagation/compare: signal propagation through a network, per layer.

Like the recipe routes, nothing of a request runs on the event loop: the body is decoded and
validated on a planning thread (JsonBodyRoute; a list longer than the limits is refused before
it is validated), the network is resolved and its recipe planned there too, and the passes run
as a heavy job admitted by the engine with the memory ``working_bytes`` declares (so the heavy
slots, their queue, the memory budget and the per-client cap apply: 429 with Retry-After when
full, 413 when one request could never fit). The answer is serialized to JSON on the worker
thread, a layer per call, and a client that leaves stops the passes at their next layer.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from tensorseed.analysis import propagation as analysis
from tensorseed.analysis.models import CompareRequest, PropagationLimits, PropagationRequest
from tensorseed.engine.backend import Backend
from tensorseed.engine.demand import Demand
from tensorseed.engine.service import Engine, Job
from tensorseed.recipe.errors import LimitExceeded

from ..settings import Settings
from .analysis_schemas import CompareResponse, PropagationResponse
from .body import json_body_route
from .deps import ClientDep, EngineDep, SettingsDep
from .errors import BODY_ERROR_RESPONSES, ERROR_RESPONSES
from .responses import until_done_or_gone
from .stats import check_bins
from .weights import charge_bytes

T = TypeVar("T")

PropagationBins = Annotated[
    int, Query(ge=0, description="Histogram bins per layer over [observed min, max]; 0 for none")
]


def propagation_limits(settings: Settings) -> PropagationLimits:
    """The work and memory one propagation request may cost, from the service's settings."""
    return PropagationLimits(
        max_batch=settings.propagation_max_batch,
        max_depth=settings.propagation_max_depth,
        max_activation_elements=settings.propagation_max_activation_elements,
        max_layer_weights=settings.propagation_max_layer_weights,
        max_macs=settings.propagation_max_macs,
        max_schemes=settings.propagation_max_schemes,
        max_histogram_values=settings.max_stats_values,
    )


def precheck_network(data: Any, settings: Settings) -> None:
    """Refuse, before validation, a ``widths`` or ``schemes`` list longer than the limits allow
    (validating a megabyte of them first would hold the GIL for a few hundred ms)."""
    if not isinstance(data, dict):
        return
    widths, schemes = data.get("widths"), data.get("schemes")
    depth = settings.propagation_max_depth
    if isinstance(widths, list) and len(widths) - 1 > depth:
        raise LimitExceeded(("widths",), f"depth {len(widths) - 1} exceeds the limit of {depth}")
    most = settings.propagation_max_schemes
    if isinstance(schemes, list) and len(schemes) > most:
        raise LimitExceeded(("schemes",), f"at most {most} schemes per comparison")


#: The route class of every route whose body is a network (here and in plots).
NetworkBodyRoute = json_body_route({PropagationRequest: precheck_network, CompareRequest: precheck_network})

router = APIRouter(prefix="/v1", tags=["propagation"], route_class=NetworkBodyRoute)


def _dumps(value: Any) -> str:
    # Results hold no infinities (non-finite values are null already); allow_nan=False makes
    # sure of it rather than write invalid JSON.
    return json.dumps(value, allow_nan=False, separators=(",", ":"))


def _object(head: dict[str, Any], key: str, parts: list[str]) -> str:
    """``head`` with ``key`` set to the JSON array of already serialized ``parts``."""
    return _dumps(head)[:-1] + f',"{key}":[' + ",".join(parts) + "]}"


def _scheme_json(result: dict[str, Any]) -> str:
    layers = [_dumps(layer) for layer in result["layers"]]
    return _object({k: v for k, v in result.items() if k != "layers"}, "layers", layers)


def propagation_json(result: dict[str, Any]) -> bytes:
    """A propagation result as JSON, one layer per json.dumps call (each short: the GIL is shared
    with the event loop between them)."""
    return _scheme_json(result).encode()


def comparison_json(result: dict[str, Any]) -> bytes:
    """A comparison as JSON, one layer per json.dumps call."""
    schemes = [_scheme_json(r) for r in result["results"]]
    return _object({k: v for k, v in result.items() if k != "results"}, "results", schemes).encode()


async def run_heavy(
    request: Request, engine: Engine, client: str, demand: Demand, work: Callable[[Backend, Job], T]
) -> T | None:
    """Admit ``work`` as a job declaring ``demand`` for ``client`` and run it on a worker thread
    (it gets the job, to see whether it was cancelled); None when the client left before it
    finished (the job is cancelled, and released once the work has stopped)."""
    job = await engine.admit(demand, client)
    return await until_done_or_gone(request, job, engine.run(job, lambda backend: work(backend, job)))


def generated_bytes(prepared: list[analysis.Prepared]) -> int:
    """The tensors a propagation generates (weights, input, gradient), charged to the client's
    generated-bytes rate limit like a download of them."""
    return sum(t.nbytes for p in prepared for t in p.plan.tensors)


def _json_response(body: bytes | None) -> Response:
    if body is None:  # the client left; nothing can be sent
        return Response(status_code=499)
    return Response(body, media_type="application/json")


@router.post(
    "/propagation",
    response_model=PropagationResponse,
    responses={**ERROR_RESPONSES, **BODY_ERROR_RESPONSES},
    summary="Signal propagation through a network: measured and mean-field statistics per layer",
)
async def propagate_signal(
    request: PropagationRequest,
    engine: EngineDep,
    settings: SettingsDep,
    client: ClientDep,
    http: Request,
    bins: PropagationBins = 32,
) -> Response:
    """Push a seeded batch through the network and a seeded gradient back: per layer the mean and
    std of pre-activations and activations, the std of the gradients with respect to activations
    and weights, the mean-field prediction next to each, and a verdict (stable, vanishing,
    exploding). Planned on a planning thread, computed as a heavy job on a worker thread (429
    when the heavy slots or the memory budget are in use), never on the event loop."""
    check_bins(bins, settings)
    limits = propagation_limits(settings)
    prepared = await engine.prepare(
        lambda: analysis.plan_propagation(request, limits, engine.limits, bins), client
    )

    charge_bytes(http, client, generated_bytes([prepared]))

    def work(backend: Backend, _: Job) -> bytes:
        return propagation_json(analysis.run(prepared, backend, bins))

    demand = analysis.demand([prepared], bins)
    return _json_response(await run_heavy(http, engine, client, demand, work))


@router.post(
    "/propagation/compare",
    response_model=CompareResponse,
    responses={**ERROR_RESPONSES, **BODY_ERROR_RESPONSES},
    summary="The same network under several initializations, side by side",
)
async def compare_initializations(
    request: CompareRequest,
    engine: EngineDep,
    settings: SettingsDep,
    client: ClientDep,
    http: Request,
    bins: PropagationBins = 0,
) -> Response:
    """The "depth" view: for each scheme (default zeros, ones, U(-1, 1), U(+-1/sqrt(n)), N(0, 1),
    Xavier, He, LeCun, biases zero) the per-layer statistics and verdict; the work limit counts
    every scheme. One heavy job runs the schemes one after another."""
    check_bins(bins, settings)
    limits = propagation_limits(settings)
    prepared = await engine.prepare(
        lambda: analysis.plan_comparison(request, limits, engine.limits, bins), client
    )

    charge_bytes(http, client, generated_bytes(prepared))

    def work(backend: Backend, _: Job) -> bytes:
        return comparison_json(analysis.run_comparison(request, prepared, backend, bins))

    demand = analysis.demand(prepared, bins)
    return _json_response(await run_heavy(http, engine, client, demand, work))

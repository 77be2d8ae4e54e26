"""POST /v1/propagation and /v1/propagation/compare: signal propagation through a network, per layer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from tensorseed.analysis.models import CompareRequest, PropagationLimits, PropagationRequest
from tensorseed.analysis.propagation import compare, propagate

from ..settings import Settings
from .analysis_schemas import CompareResponse, PropagationResponse
from .deps import EngineDep, SettingsDep
from .errors import BODY_ERROR_RESPONSES, ERROR_RESPONSES
from .stats import check_bins

router = APIRouter(prefix="/v1", tags=["propagation"])

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
    )


@router.post(
    "/propagation",
    response_model=PropagationResponse,
    responses={**ERROR_RESPONSES, **BODY_ERROR_RESPONSES},
    summary="Signal propagation through a network: measured and mean-field statistics per layer",
)
async def propagate_signal(
    request: PropagationRequest, engine: EngineDep, settings: SettingsDep, bins: PropagationBins = 32
) -> dict[str, Any]:
    """Push a seeded batch through the network and a seeded gradient back: per layer the mean and
    std of pre-activations and activations, the std of the gradients with respect to activations
    and weights, the mean-field prediction next to each, and a verdict (stable, vanishing,
    exploding). Planned, generated and computed on a worker thread, never on the event loop."""
    check_bins(bins, settings)
    limits = propagation_limits(settings)
    job = await engine.admit()
    return await engine.run(job, lambda backend: propagate(request, backend, limits, engine.limits, bins))


@router.post(
    "/propagation/compare",
    response_model=CompareResponse,
    responses={**ERROR_RESPONSES, **BODY_ERROR_RESPONSES},
    summary="The same network under several initializations, side by side",
)
async def compare_initializations(
    request: CompareRequest, engine: EngineDep, settings: SettingsDep, bins: PropagationBins = 0
) -> dict[str, Any]:
    """The "depth" view: for each scheme (default zeros, ones, U(-1, 1), U(+-1/sqrt(n)), N(0, 1),
    Xavier, He, LeCun, biases zero) the per-layer statistics and verdict; the work limit counts
    every scheme."""
    check_bins(bins, settings)
    limits = propagation_limits(settings)
    job = await engine.admit()
    return await engine.run(job, lambda backend: compare(request, backend, limits, engine.limits, bins))

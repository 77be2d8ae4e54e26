"""The propagation analysis as library calls: what POST /v1/propagation and /compare answer.

import tensorseed

result = tensorseed.propagation({"seed": 0, "width": 256, "depth": 50,
                                 "init": {"weight": {"scheme": "fan_in_uniform"}}})
print(result["verdict"]["summary"])
depth_view = tensorseed.compare_initializations({"seed": 0, "width": 128, "depth": 30})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from tensorseed.analysis.models import CompareRequest, PropagationLimits, PropagationRequest
from tensorseed.analysis.propagation import compare, propagate
from tensorseed.engine.backend import cpu_backend
from tensorseed.recipe.validation import InvalidRecipe, error_details, summary

M = TypeVar("M", bound=BaseModel)


def _validated(model: type[M], request: M | Mapping[str, Any]) -> M:
    if isinstance(request, model):
        return request
    try:
        return model.model_validate(request)
    except ValidationError as exc:  # the same error the service answers with (422)
        details = error_details(exc.errors(include_url=False))
        raise InvalidRecipe(summary(details), details, "validation_error") from None


def propagation(
    request: PropagationRequest | Mapping[str, Any],
    *,
    bins: int = 32,
    threads: int = 0,
    limits: PropagationLimits | None = None,
) -> dict[str, Any]:
    """Per-layer measured and mean-field statistics of a network, and the verdict.

    The request is the body of POST /v1/propagation (see docs/propagation.md); ``threads`` are
    the generation kernel's (0: every CPU).

    >>> he = {"weight": {"scheme": "kaiming_normal", "nonlinearity": "relu"}}
    >>> r = propagation({"seed": 0, "width": 64, "depth": 10, "bias": False, "init": he}, bins=0)
    >>> r["verdict"]["forward"]["state"], len(r["layers"])
    ('stable', 10)
    """
    return propagate(_validated(PropagationRequest, request), cpu_backend(threads), limits, bins=bins)


def compare_initializations(
    request: CompareRequest | Mapping[str, Any],
    *,
    bins: int = 0,
    threads: int = 0,
    limits: PropagationLimits | None = None,
) -> dict[str, Any]:
    """The same network under several initializations (default: the write-up's eight).

    >>> r = compare_initializations({"seed": 0, "width": 32, "depth": 8, "batch": 16})
    >>> {s["label"]: s["verdict"]["forward"]["state"] for s in r["results"]}["He"]
    'stable'
    """
    return compare(_validated(CompareRequest, request), cpu_backend(threads), limits, bins=bins)

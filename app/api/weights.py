"""POST /v1/weights: a recipe in, a streamed safetensors file out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response, StreamingResponse

from tensorseed.engine.demand import stream_demand
from tensorseed.engine.service import Engine
from tensorseed.formats.safetensors import file_pieces, layout
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import Plan

from .body import RecipeBodyRoute
from .deps import ClientDep, EngineDep
from .errors import BODY_ERROR_RESPONSES, ERROR_RESPONSES
from .responses import GeneratedResponse

router = APIRouter(prefix="/v1", tags=["weights"], route_class=RecipeBodyRoute)

SAFETENSORS_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The safetensors file, streamed chunk by chunk",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def charge_bytes(request: Request, client: str, nbytes: int) -> None:
    """Take a response's size from the client's generated-bytes rate limit (429 when in debt)."""
    request.app.state.byte_limits.charge(client, nbytes)


async def stream_file(
    request: Request, engine: Engine, plan: Plan, client: str, headers: dict[str, str]
) -> Response:
    """Admit a job for a whole file of ``plan`` and stream it (200)."""
    size = layout(plan).total_size(plan)
    charge_bytes(request, client, size)
    settings = engine.settings
    job = await engine.admit(
        stream_demand(plan.tensors, plan.tensors, settings.chunk_bytes, settings.chunks_in_flight), client
    )
    body = engine.stream_pieces(file_pieces(plan, engine.chunk_elements(plan.dtype.itemsize)), job)
    return GeneratedResponse(
        body, engine=engine, job=job, media_type="application/octet-stream",
        headers={**headers, "Content-Length": str(size)},
    )  # fmt: skip


@router.post(
    "/weights",
    response_class=StreamingResponse,
    responses={**SAFETENSORS_RESPONSE, **ERROR_RESPONSES, **BODY_ERROR_RESPONSES},
    summary="Generate initialized tensors as a safetensors file",
)
async def generate_weights(
    recipe: Recipe, engine: EngineDep, client: ClientDep, request: Request
) -> Response:
    """Stream the safetensors file for a recipe; its size is known up front (Content-Length)."""
    plan = await engine.prepare(lambda: engine.plan(recipe), client)
    headers = {
        "Content-Disposition": 'attachment; filename="weights.safetensors"',
        "X-Tensorseed-Spec": plan.spec,
    }
    return await stream_file(request, engine, plan, client, headers)

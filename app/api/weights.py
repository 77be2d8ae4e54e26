"""POST /v1/weights: a recipe in, a streamed safetensors file out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from tensorseed.formats.safetensors import file_pieces, layout
from tensorseed.recipe.models import Recipe

from .deps import EngineDep
from .errors import ERROR_RESPONSES

router = APIRouter(prefix="/v1", tags=["weights"])

SAFETENSORS_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The safetensors file, streamed chunk by chunk",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


class ReleasingStreamingResponse(StreamingResponse):
    """A streaming response that releases its job slot however the response ends."""

    def __init__(self, *args: object, on_close: Callable[[], None], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._on_close = on_close

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._on_close()


@router.post(
    "/weights",
    response_class=StreamingResponse,
    responses={**SAFETENSORS_RESPONSE, **ERROR_RESPONSES},
    summary="Generate initialized tensors as a safetensors file",
)
async def generate_weights(recipe: Recipe, engine: EngineDep) -> StreamingResponse:
    """Stream the safetensors file for a recipe; its size is known up front (Content-Length)."""
    plan = engine.plan(recipe)
    size = layout(plan).total_size(plan)
    job = await engine.admit()
    return ReleasingStreamingResponse(
        engine.stream_pieces(file_pieces(plan, engine.chunk_elements(plan.dtype.itemsize)), job),
        on_close=job.release,
        media_type="application/octet-stream",
        headers={
            "Content-Length": str(size),
            "Content-Disposition": 'attachment; filename="weights.safetensors"',
            "X-Tensorseed-Spec": plan.spec,
        },
    )

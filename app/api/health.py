"""KServe-style health endpoints: live while the process runs, ready while it takes work."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from .schemas import Health

router = APIRouter(prefix="/v2/health", tags=["health"])


@router.get("/live", response_model=Health, summary="Liveness")
async def health_live() -> dict[str, str]:
    return {"status": "live"}


@router.get("/ready", response_model=Health, responses={503: {"model": Health}}, summary="Readiness")
async def health_ready(request: Request) -> JSONResponse:
    """200 once started and until shutdown begins, 503 otherwise."""
    if getattr(request.app.state, "ready", False):
        return JSONResponse({"status": "ready"})
    return JSONResponse({"status": "not ready"}, status_code=503)

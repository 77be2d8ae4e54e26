"""Prometheus metrics: request counts and latencies per route, bytes generated, jobs admitted."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tensorseed.stream.orthogonal import MATRICES

from .responses import CUT_STATE, DISCONNECT_STATE

router = APIRouter(tags=["metrics"])


class Metrics:
    """One registry per app, so several apps (tests) never share or clash."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "tensorseed_requests", "HTTP requests by route and status", ["route", "status"],
            registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "tensorseed_request_seconds", "Time to the response's last byte", ["route"],
            registry=self.registry,
        )  # fmt: skip
        self.generated = Gauge(
            "tensorseed_generated_bytes", "Bytes of tensor files generated since start",
            registry=self.registry,
        )  # fmt: skip
        self.jobs = Gauge("tensorseed_jobs_admitted", "Jobs running or queued", registry=self.registry)
        self.chunks = Gauge(
            "tensorseed_generated_chunks", "Chunks generated since start (stops when clients leave)",
            registry=self.registry,
        )  # fmt: skip
        self.device_jobs = Gauge(
            "tensorseed_device_jobs", "Jobs running on each device", ["device"], registry=self.registry
        )
        self.cut = Counter(
            "tensorseed_responses_cut", "Responses cut short: the client left (disconnect) or took "
            "no data for the stall timeout (stall); counted as status 499 in tensorseed_requests",
            ["route", "reason"], registry=self.registry,
        )  # fmt: skip
        self.pool_bytes = Gauge(
            "tensorseed_memory_pool_bytes", "Bytes declared by running jobs, and each pool's capacity",
            ["device", "pool", "kind"], registry=self.registry,
        )  # fmt: skip
        self.heavy_jobs = Gauge(
            "tensorseed_heavy_jobs_admitted", "Heavy jobs (orthogonal, torch-exact) running or queued",
            registry=self.registry,
        )  # fmt: skip
        self.stalled = Gauge(
            "tensorseed_stalled_responses", "Responses cut off by the stall timeout since start",
            registry=self.registry,
        )  # fmt: skip
        self.matrices = Gauge(
            "tensorseed_orthogonal_matrices_computed", "Orthogonal matrices factorized since start "
            "(rising with repeated requests for the same tensors: the cache is too small)",
            registry=self.registry,
        )  # fmt: skip
        self.device_backend = Gauge(
            "tensorseed_device_backend", "1 for the backend each device generates with "
            "(backend=reference means the slow numpy fallback)", ["device", "backend"],
            registry=self.registry,
        )  # fmt: skip


def _client_gone(scope: Scope) -> bool:
    return bool((scope.get("state") or {}).get(DISCONNECT_STATE))


def _route_name(scope: Scope) -> str:
    """The matched endpoint's name (the operationId), set in the scope by the router."""
    endpoint = scope.get("endpoint")
    return str(getattr(endpoint, "__name__", "unmatched"))


class MetricsMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500
        complete = False

        async def record(message: Message) -> None:
            nonlocal status, complete
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                complete = True
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            route = _route_name(scope)
            cut = (scope.get("state") or {}).get(CUT_STATE)
            if cut is not None or (status == 500 and not complete and _client_gone(scope)):
                # The client left (or stopped reading): not a server error, whatever was sent.
                self.metrics.cut.labels(route, cut or "disconnect").inc()
                status = 499
            self.metrics.requests.labels(route, str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - start)


@router.get("/metrics", response_class=Response, summary="Prometheus metrics",
            responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}})  # fmt: skip
async def metrics(request: Request) -> Response:
    m: Metrics = request.app.state.metrics
    engine = request.app.state.engine
    m.generated.set(engine.generated_bytes)
    m.jobs.set(engine.slots.admitted)
    m.heavy_jobs.set(engine.heavy_slots.admitted)
    m.chunks.set(engine.generated_chunks)
    m.stalled.set(engine.stalled_responses)
    m.matrices.set(MATRICES.computed)
    for device in engine.devices:
        m.device_jobs.labels(device.name).set(device.active_jobs)
        for pool_name, pool in (("light", device.light_pool), ("heavy", device.heavy_pool)):
            m.pool_bytes.labels(device.name, pool_name, "used").set(pool.used)
            m.pool_bytes.labels(device.name, pool_name, "capacity").set(pool.capacity)
        m.device_backend.labels(device.name, device.backend.name).set(1)
    return Response(generate_latest(m.registry), media_type=CONTENT_TYPE_LATEST)

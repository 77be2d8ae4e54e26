"""One uvicorn process serving the app, draining in-flight streams when told to stop.

On SIGTERM (what Kubernetes and ``docker stop`` send) uvicorn stops accepting connections,
lets running responses finish for up to ``shutdown_timeout`` seconds, then cancels them.
uvicorn runs the app's lifespan shutdown only after that drain, so readiness would report 200
for the whole drain; ``DrainingServer`` marks the app not ready the moment the signal arrives.
"""

from __future__ import annotations

import gc
import sys
from types import FrameType

import uvicorn
from fastapi import FastAPI

from .connections import guarded_protocol
from .main import create_app
from .settings import Settings


class DrainingServer(uvicorn.Server):
    """A uvicorn server that flips the app's readiness off as soon as shutdown is requested."""

    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.app = app

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.app.state.ready = False
        super().handle_exit(sig, frame)


def build_server(settings: Settings, host: str | None = None, port: int | None = None) -> DrainingServer:
    """The server ``tensorseed serve`` runs: one process, the app built from ``settings``."""
    app = create_app(settings)
    protocol = guarded_protocol(
        header_timeout=settings.header_timeout,
        max_header_bytes=settings.max_header_bytes,
        max_connections=settings.max_connections,
        retry_after=settings.retry_after_seconds,
    )
    config = uvicorn.Config(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level,
        timeout_graceful_shutdown=settings.shutdown_timeout,
        timeout_keep_alive=settings.keep_alive_timeout,
        http=protocol,
        server_header=False,
        lifespan="on",
    )
    return DrainingServer(config, app)


#: Seconds a thread may hold the GIL while another waits for it (Python's default is 5 ms).
#: Planning and statistics threads are CPU-bound Python; a shorter slice lets the event loop
#: thread, which only needs the GIL briefly per request, get it sooner (health latency).
GIL_SWITCH_INTERVAL_S = 0.001
GC_THRESHOLDS = (50_000, 50, 100)


def serve(host: str | None = None, port: int | None = None) -> None:
    """``tensorseed serve``: settings from TENSORSEED_*, host and port overridable."""
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
    server = build_server(Settings(), host=host, port=port)
    # Everything imported so far (torch, numpy, pydantic: ~200,000 objects) lives as long as the
    # process: freezing it keeps the collector from walking it in every full collection, each of
    # which would hold the GIL for ~250 ms on the 2-core machine (the event loop waits meanwhile).
    gc.collect()
    gc.freeze()
    # A megabyte recipe is ~300,000 live objects while it is planned; with Python's default
    # thresholds (700, 10, 10) full collections walk them every few milliseconds of allocation.
    # Far rarer collections (the service's objects are acyclic: little waits for the collector).
    gc.set_threshold(*GC_THRESHOLDS)
    server.run()

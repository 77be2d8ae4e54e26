"""create_app(): routers, middleware, error handlers, lifespan; the module-level ``app``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

from tensorseed import __version__
from tensorseed.engine.service import Engine

from .api import catalogue, health, metrics, plots, propagation, recipes, stats, ui, weights
from .api.body_limit import BodyLimitMiddleware
from .api.errors import install_error_handlers
from .api.metrics import Metrics, MetricsMiddleware
from .settings import Settings


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.ready = True
        yield
        app.state.ready = False
        app.state.engine.close()

    app = FastAPI(
        title="tensorseed",
        version=__version__,
        summary="Reproducible neural-network weight initialization: same recipe, same bytes, everywhere.",
        lifespan=lifespan,
        generate_unique_id_function=_operation_id,
    )
    app.state.settings = settings
    app.state.engine = Engine(settings)
    app.state.metrics = Metrics()
    app.state.ready = False
    for module in (weights, stats, recipes, catalogue, propagation, plots, health, metrics, ui):
        app.include_router(module.router)
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    return app


app = create_app()

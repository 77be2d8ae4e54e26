"""Typed dependencies shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from tensorseed.engine.service import Engine

from ..settings import Settings
from .clients import client_key


# async: FastAPI runs plain-function dependencies on a worker thread, one hop per request.
async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_client(request: Request) -> str:
    return client_key(request)


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ClientDep = Annotated[str, Depends(get_client)]

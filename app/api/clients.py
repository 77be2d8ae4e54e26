"""Who a request is for, as the per-client limits see it: its API key, else its address."""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.types import Scope

#: Where the authentication middleware records the key's id (never the key itself).
CLIENT_STATE = "tensorseed_client"


def scope_client_key(scope: Scope) -> str:
    """``key:<id>`` for an authenticated request, else ``addr:<host>`` (the peer's address:
    behind a proxy that is the proxy, so per-client limits then apply to it as a whole)."""
    state = scope.get("state") or {}
    key = state.get(CLIENT_STATE)
    if key:
        return f"key:{key}"
    client = scope.get("client")
    return f"addr:{client[0]}" if client else "addr:unknown"


def client_key(connection: HTTPConnection) -> str:
    return scope_client_key(connection.scope)

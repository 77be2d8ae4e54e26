"""ASGI middleware: refuse request bodies over a size limit (413) or that arrive too slowly (408),
holding at most the limit."""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .responses import DISCONNECT_STATE


class BodyLimitMiddleware:
    """Reads a request body up to ``max_bytes`` before the app sees it; more gets a 413, and a
    body not complete within ``timeout`` seconds a 408 (a slow upload cannot hold a request)."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float = 30.0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def _refuse(self, send: Send, status: int = 413) -> None:
        if status == 408:
            error = {
                "error": f"request body not received within {self.timeout:g} s",
                "error_type": "body_timeout",
            }
        else:
            error = {"error": f"request body exceeds {self.max_bytes} bytes", "error_type": "body_too_large"}
        body = json.dumps(error).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await self._refuse(send)
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        deadline = asyncio.get_running_loop().time() + self.timeout
        while more:
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                await self._refuse(send, 408)
                return
            if message["type"] == "http.disconnect":
                scope.setdefault("state", {})[DISCONNECT_STATE] = True
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

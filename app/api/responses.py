"""Responses that generate: streamed bodies cut off when the client stalls or leaves, and work
that stops when its client disconnects."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Mapping
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from tensorseed.engine.service import Engine, Job, Stalled

log = logging.getLogger("tensorseed")
T = TypeVar("T")

#: Set in the request's scope state when a response was cut short: "disconnect" or "stall".
CUT_STATE = "tensorseed_cut"
#: Set in the scope state when the client left before a response could start.
DISCONNECT_STATE = "tensorseed_disconnected"


async def wait_for_disconnect(receive: Receive) -> None:
    """Return once the client has gone (after the request body, nothing else is received)."""
    while (await receive())["type"] != "http.disconnect":
        pass


def _mark_cut(scope: Scope, reason: str) -> None:
    scope.setdefault("state", {})[CUT_STATE] = reason


class GeneratedResponse(Response):
    """Streams ``body`` (from ``Engine.stream_pieces``) through ``Engine.deliver``.

    The client leaving stops generation at once; a client that takes nothing for the stall
    timeout gets its connection closed. The job is released either way.
    """

    def __init__(
        self,
        body: AsyncIterator[bytes],
        *,
        engine: Engine,
        job: Job,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        media_type: str | None = None,
    ) -> None:
        self.body_iterator = body
        self.engine = engine
        self.job = job
        self.status_code = status_code
        self.media_type = media_type
        self.background = None
        self.init_headers(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_bytes(data: bytes) -> None:
            await send({"type": "http.response.body", "body": data, "more_body": True})

        delivery = asyncio.ensure_future(self.engine.deliver(self.body_iterator, send_bytes))
        departure = asyncio.ensure_future(wait_for_disconnect(receive))
        try:
            await send(
                {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
            )
            await asyncio.wait({delivery, departure}, return_when=asyncio.FIRST_COMPLETED)
            if delivery.done():
                delivery.result()  # Stalled, or a bug
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                _mark_cut(scope, "disconnect")
        except Stalled as exc:
            _mark_cut(scope, "stall")
            log.warning("%s %s: %s; connection closed", scope.get("method"), scope.get("path"), exc)
        finally:
            for task in (delivery, departure):
                task.cancel()
            for task in (delivery, departure):
                with contextlib.suppress(asyncio.CancelledError, Stalled):
                    await task
            self.job.release()


async def until_done_or_gone(request: Request, job: Job, work: Awaitable[T]) -> T | None:
    """Await ``work``; if the client disconnects first, cancel the job, let the work stop at its
    next step (so its memory is really free when the slot is), and return None."""
    task = asyncio.ensure_future(work)
    departure = asyncio.ensure_future(wait_for_disconnect(request.receive))
    try:
        await asyncio.wait({task, departure}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            return task.result()
        job.cancel()
        _mark_cut(request.scope, "disconnect")
        with contextlib.suppress(Exception):
            await task
        return None
    finally:
        departure.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await departure

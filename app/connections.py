"""Connection-level limits uvicorn lacks: a header-read timeout, a request-head size limit, and a
connection limit that still lets health checks through.

uvicorn starts its keep-alive timer only after a response, so a connection that sends nothing,
or half a request line, stays open forever (slow loris); it reads request heads of any size with
httptools; and its ``limit_concurrency`` answers 503 to everything, health checks included (a
Kubernetes probe would then restart a pod for being busy). ``guarded_protocol`` builds a
subclass of uvicorn's httptools protocol that:

* gives every request head ``header_timeout`` seconds, counted from the connection's start or
  the end of the previous response (408 if part of a head came, else a silent close);
* answers 431 to a head longer than ``max_header_bytes``;
* beyond ``max_connections`` open connections, marks new ones *overflow*: they may ask for
  ``/v2/health/*`` (answered, then closed), anything else gets 503 with Retry-After; and at the
  hard cap (``max_connections`` + a quarter) it closes the oldest connection still waiting for
  its first request head to make room, so a flood of idle sockets cannot lock probes out or
  exhaust the process's file descriptors.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from .api.headers import NOSNIFF

log = logging.getLogger("tensorseed")

HEALTH_PREFIX = "/v2/health/"


def _raw_response(status: int, reason: str, message: str, error_type: str, retry_after: int | None) -> bytes:
    body = json.dumps({"error": message, "error_type": error_type}).encode()
    lines = [
        f"HTTP/1.1 {status} {reason}",
        "content-type: application/json",
        f"content-length: {len(body)}",
        "connection: close",
        f"{NOSNIFF[0].decode()}: {NOSNIFF[1].decode()}",
    ]
    if retry_after is not None:
        lines.append(f"retry-after: {retry_after}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def guarded_protocol(
    *,
    header_timeout: float,
    max_header_bytes: int,
    max_connections: int,
    retry_after: int,
) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with the limits of this module's docstring."""
    hard_cap = max_connections + max(16, max_connections // 4)
    overloaded = _raw_response(
        503, "Service Unavailable", "the server has too many open connections; retry later",
        "over_capacity", retry_after,
    )  # fmt: skip
    too_large = _raw_response(
        431, "Request Header Fields Too Large", f"the request head exceeds {max_header_bytes} bytes",
        "header_too_large", None,
    )  # fmt: skip
    too_slow = _raw_response(
        408, "Request Timeout", f"the request head did not arrive within {header_timeout:g} s",
        "header_timeout", None,
    )  # fmt: skip

    overflow_body = overloaded.split(b"\r\n\r\n", 1)[1]

    async def refuse_overflow(scope: Any, receive: Any, send: Any) -> None:
        data = overflow_body
        await send({"type": "http.response.start", "status": 503, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
            (b"retry-after", str(retry_after).encode()), (b"connection", b"close"), NOSNIFF,
        ]})  # fmt: skip
        await send({"type": "http.response.body", "body": data})

    class GuardedProtocol(HttpToolsProtocol):
        def __init__(
            self,
            config: Config,
            server_state: ServerState,
            app_state: dict[str, Any],
            _loop: asyncio.AbstractEventLoop | None = None,
        ) -> None:
            super().__init__(config, server_state, app_state, _loop)
            self._in_head = True
            self._head_bytes = 0
            self._head_fields = 0
            self._served = 0
            self._since = time.monotonic()
            self._head_timer: asyncio.TimerHandle | None = None
            self._overflow = False
            self._full_app = self.app

        # -- connection accounting --
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            if len(self.connections) > max_connections:
                self._overflow = True
                if len(self.connections) > hard_cap:
                    self._evict_one()
            self._arm_head_timer()

        def _evict_one(self) -> None:
            """Close the oldest connection that has not yet sent a whole first request head."""
            waiting = [
                c for c in self.connections
                if isinstance(c, GuardedProtocol) and c is not self and c._in_head and c._served == 0
            ]  # fmt: skip
            if waiting:
                oldest = min(waiting, key=lambda c: c._since)
                oldest._close_quietly()
            else:  # every connection is busy with a real request: this one cannot be taken
                self.transport.write(overloaded)
                self._close_quietly()

        def _close_quietly(self) -> None:
            self._disarm_head_timer()
            if not self.transport.is_closing():
                self.transport.close()

        # -- request heads: time and size --
        def _arm_head_timer(self) -> None:
            self._disarm_head_timer()
            self._in_head = True
            self._head_bytes = 0
            self._head_timer = self.loop.call_later(header_timeout, self._head_timed_out)

        def _disarm_head_timer(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_timed_out(self) -> None:
            self._head_timer = None
            if self._in_head and not self.transport.is_closing():
                if self._head_bytes:
                    self.transport.write(too_slow)
                self.transport.close()

        def data_received(self, data: bytes) -> None:
            if self._in_head:
                self._head_bytes += len(data)
            super().data_received(data)
            # Checked after parsing: bytes of a body that came with the end of the head are fine.
            if self._in_head and self._head_bytes > max_header_bytes and not self.transport.is_closing():
                self.transport.write(too_large)
                self._close_quietly()

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._head_fields = 0

        def on_url(self, url: bytes) -> None:
            self._head_fields += len(url)
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._head_fields += len(name) + len(value) + 4
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._in_head = False
            self._disarm_head_timer()
            if self._head_fields > max_header_bytes:  # a whole oversized head in one read
                self.transport.write(too_large)
                self._close_quietly()
                return
            if self._overflow:
                path = httptools_path(self.url)
                self.app = self._full_app if path.startswith(HEALTH_PREFIX) else refuse_overflow
            super().on_headers_complete()

        def on_body(self, body: bytes) -> None:
            if not self.transport.is_closing():  # not after a refused head
                super().on_body(body)

        def on_message_complete(self) -> None:
            if not self.transport.is_closing():
                super().on_message_complete()

        def on_response_complete(self) -> None:
            self._served += 1
            pipelined = bool(self.pipeline)  # the next request's head is already in
            super().on_response_complete()
            if self._overflow:  # an overflow connection serves one health check, then goes
                self._close_quietly()
            elif not self.transport.is_closing() and not pipelined:
                self._arm_head_timer()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm_head_timer()
            super().connection_lost(exc)

    return GuardedProtocol


def httptools_path(url: bytes) -> str:
    """The path of a request target (origin form), without query; '' if it is not decodable."""
    path = url.split(b"?", 1)[0]
    try:
        return path.decode("ascii")
    except UnicodeDecodeError:
        return ""

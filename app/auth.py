"""Optional API keys: ``Authorization: Bearer <key>`` on /v1/* (and /metrics if so configured).

Keys come from TENSORSEED_API_KEYS and/or TENSORSEED_API_KEYS_FILE (one per line, ``#`` starts
a comment: a mounted Kubernetes Secret; the file is re-read when it changes, so a rotated
Secret takes effect without a restart). A presented key is hashed and compared with every
stored key's hash with ``hmac.compare_digest`` (no early exit, no timing signal). Keys are never
logged or echoed: a request is known by ``key-<first 12 hex digits of sha256(key)>``, which is
what the per-client limits and the logs see. Health endpoints and the docs are always open.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
import time
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from .api.clients import CLIENT_STATE

log = logging.getLogger("tensorseed")

#: Seconds between checks of the keys file's modification time.
RELOAD_CHECK_S = 5.0
REALM = 'Bearer realm="tensorseed"'


def key_id(key: str) -> str:
    """A stable, non-secret name for a key (logs, metrics, per-client limits)."""
    return "key-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def read_keys_file(path: Path) -> list[str]:
    """Keys of a keys file: one per line, blank lines and ``#`` comments ignored."""
    keys = []
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            keys.append(text)
    return keys


class ApiKeys:
    """The configured keys, as (sha256 digest, id) pairs; ``identify`` names the key presented."""

    def __init__(self, keys: list[str], path: str | None = None) -> None:
        self._inline = list(keys)
        self._path = Path(path) if path else None
        self._stamp: float | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        self._digests: list[tuple[bytes, str]] = []
        self._load()

    def _load(self) -> None:
        keys = list(self._inline)
        stamp = None
        if self._path is not None:
            try:
                stamp = self._path.stat().st_mtime
                keys += read_keys_file(self._path)
            except FileNotFoundError:
                stamp = None
        for key in keys:
            if len(key) < 16:
                raise ValueError(f"API key {key_id(key)} is shorter than 16 characters")
        self._digests = [(hashlib.sha256(k.encode()).digest(), key_id(k)) for k in keys]
        self._stamp = stamp

    def _maybe_reload(self) -> None:
        if self._path is None:
            return
        now = time.monotonic()
        if now - self._checked < RELOAD_CHECK_S:
            return
        with self._lock:
            self._checked = now
            try:
                stamp: float | None = self._path.stat().st_mtime
            except FileNotFoundError:
                stamp = None
            if stamp != self._stamp:
                try:
                    self._load()
                    log.info("API keys reloaded from %s: %d keys", self._path, len(self._digests))
                except (OSError, ValueError) as exc:
                    log.error("API keys file %s not reloaded: %s", self._path, exc)

    @property
    def enabled(self) -> bool:
        self._maybe_reload()
        return bool(self._digests)

    def identify(self, presented: str) -> str | None:
        """The id of the key presented, or None; the same work whichever key (if any) matches."""
        digest = hashlib.sha256(presented.encode("utf-8", "surrogateescape")).digest()
        found = None
        for stored, ident in self._digests:
            if hmac.compare_digest(stored, digest):
                found = ident
        return found


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = bytes(value).decode("latin-1").partition(" ")
            presented: str = token.strip()
            return presented if scheme.lower() == "bearer" else ""
    return None


class AuthMiddleware:
    """401 for /v1/* (and /metrics when ``metrics`` is set) without a valid key, when keys exist."""

    def __init__(self, app: ASGIApp, keys: ApiKeys, metrics: bool) -> None:
        self.app = app
        self.keys = keys
        self.protect_metrics = metrics

    def _protected(self, path: str) -> bool:
        return path.startswith("/v1/") or (self.protect_metrics and path == "/metrics")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._protected(scope["path"]) or not self.keys.enabled:
            await self.app(scope, receive, send)
            return
        presented = _bearer(scope)
        ident = self.keys.identify(presented) if presented else None
        if ident is None:
            if presented is None:
                message, challenge = "an API key is required: send Authorization: Bearer <key>", REALM
            else:
                message, challenge = "the API key is not valid", f'{REALM}, error="invalid_token"'
            body = json.dumps({"error": message, "error_type": "unauthorized"}).encode()
            await send({"type": "http.response.start", "status": 401, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                (b"www-authenticate", challenge.encode()),
            ]})  # fmt: skip
            await send({"type": "http.response.body", "body": body})
            return
        scope.setdefault("state", {})[CLIENT_STATE] = ident
        await self.app(scope, receive, send)


def keys_from_settings(api_keys: list[str], api_keys_file: str | None, required: bool) -> ApiKeys:
    """The service's keys; with ``required``, refuse to start without any (fail closed)."""
    if api_keys_file and not os.path.exists(api_keys_file):
        log.warning("API keys file %s does not exist: no keys from it", api_keys_file)
    keys = ApiKeys(api_keys, api_keys_file)
    if required and not keys.enabled:
        raise ValueError("TENSORSEED_AUTH_REQUIRED is set but no API key is configured")
    if not keys.enabled:
        log.warning("no API keys configured: /v1 is open to every client")
    return keys

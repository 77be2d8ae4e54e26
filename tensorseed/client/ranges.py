"""The data connections of `tensorseed pull`: stdlib ``http.client``, bodies read into a buffer.

Why not httpx here (it still makes the control requests): its HTTP/1.1 path parses and copies
every piece of a body in Python, holding the GIL, so N connections' threads took turns and 4
connections came out slower than 1. ``HTTPResponse.readinto`` reads a body straight from the
socket into a preallocated buffer with the GIL released (as ``os.pwrite`` writes it out), so the
threads overlap and Python does a few steps per MiB.

Same behaviour as httpx's defaults where it matters: TLS is verified with the context httpx
builds (certifi, or $SSL_CERT_FILE / $SSL_CERT_DIR), and $HTTP_PROXY / $HTTPS_PROXY / $NO_PROXY
are honoured (plain HTTP through the proxy, HTTPS through a CONNECT tunnel).
"""

from __future__ import annotations

import base64
import http.client
import select
import socket
import ssl
import urllib.request
from urllib.parse import unquote, urlsplit

import httpx

#: What a data request can fail with at the transport level (resets, timeouts, TLS errors and
#: refused connections are OSErrors; bad status lines and the like are HTTPExceptions).
TRANSPORT_ERRORS = (OSError, http.client.HTTPException)


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _host_port(host: str, port: int) -> str:
    host = f"[{host}]" if ":" in host else host
    return f"{host}:{port}"


class RangeConnection:
    """One persistent HTTP/1.1 connection to one server (base URL, path prefix kept), reopened
    whenever it was closed or the server dropped it while idle."""

    def __init__(
        self, base_url: str, timeout: float, user_agent: str, headers: dict[str, str] | None = None
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"not an http(s) URL: {base_url!r}")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or _default_port(parts.scheme)
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self.headers = {"User-Agent": user_agent, **(headers or {})}
        self._context = httpx.create_ssl_context() if self.scheme == "https" else None
        self._proxy = self._proxy_for(base_url)
        self._conn: http.client.HTTPConnection | None = None

    def _proxy_for(self, base_url: str) -> tuple[str, int, dict[str, str]] | None:
        """The proxy from the environment for this URL (host, port, auth header), as httpx does."""
        proxy = urllib.request.getproxies().get(self.scheme)
        if not proxy or urllib.request.proxy_bypass(self.host):
            return None
        parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"unsupported proxy for the data connections: {proxy!r} (http:// only)")
        auth = {}
        if parts.username is not None:
            pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            auth["Proxy-Authorization"] = "Basic " + base64.b64encode(pair).decode()
        return parts.hostname, parts.port or 80, auth

    def _open(self) -> http.client.HTTPConnection:
        if self._proxy is None:
            if self._context is not None:
                return http.client.HTTPSConnection(
                    self.host, self.port, timeout=self.timeout, context=self._context
                )
            return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        proxy_host, proxy_port, auth = self._proxy
        if self._context is None:  # plain HTTP: absolute-form requests to the proxy
            return http.client.HTTPConnection(proxy_host, proxy_port, timeout=self.timeout)
        conn = http.client.HTTPSConnection(
            proxy_host, proxy_port, timeout=self.timeout, context=self._context
        )
        conn.set_tunnel(self.host, self.port, headers=auth)
        return conn

    def _target(self, path: str) -> tuple[str, dict[str, str]]:
        if self._proxy is not None and self._context is None:
            origin = f"http://{_host_port(self.host, self.port)}"
            return origin + self.prefix + path, self._proxy[2]
        return self.prefix + path, {}

    def get(self, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
        """Send a GET and return the response with its headers read; the caller reads the body
        to the end (then the connection is reused) or calls ``close``."""
        conn = self._conn
        if conn is not None and conn.sock is not None and _readable(conn.sock):
            conn.close()  # the server closed it while idle (or sent junk): a fresh one
        if conn is None:
            conn = self._conn = self._open()
        target, extra = self._target(path)
        conn.request("GET", target, headers={**self.headers, **extra, **headers})
        return conn.getresponse()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> RangeConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _readable(sock: socket.socket) -> bool:
    """An idle keep-alive socket that is readable has been closed by the server (EOF) or holds
    bytes nobody asked for; either way it must not carry the next request."""
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    try:
        ready, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(ready)

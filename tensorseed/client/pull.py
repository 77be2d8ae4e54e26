"""`tensorseed pull`: download a recipe's safetensors file in parallel byte ranges, resumably.

How it works, and why:
* POST the recipe to /v1/recipes once: the server validates it and returns a token, the file
  size and the strong ETag. Every later request uses the token URL, so any replica serves it.
* The file is written into ``OUT.part`` (preallocated to the final size) by N connections, each
  fetching pieces with ``Range`` + ``If-Range: <etag>``: if the file behind the URL were ever
  different, the server answers 200 instead of 206 and the download stops instead of mixing.
* ``OUT.part.json`` records the ETag and the byte ranges written; it is checkpointed about once
  a second after the data is flushed, so a killed download resumes where it stopped, and never
  against a different ETag.
* Failed ranges are retried with exponential backoff (honouring Retry-After); only what is
  still missing is asked for again.
* The data requests go through tensorseed/client/ranges.py (stdlib http.client, each body read into a
  per-connection buffer and pwritten from it, the GIL released for both), so N connections
  overlap instead of taking turns; the few control requests use httpx.
* At the end each tensor's sha256 is checked (against the server's statistics, or a local
  regeneration), and ``OUT.part`` is renamed to ``OUT``.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import httpx

from tensorseed.client.progress import Progress, human_bytes, human_duration
from tensorseed.client.ranges import TRANSPORT_ERRORS, RangeConnection
from tensorseed.client.state import Intervals, PullState
from tensorseed.client.verify import Span, file_digests, header_matches, mismatches, read_header

MIB = 1024 * 1024
USER_AGENT = "tensorseed-pull"


class PullError(Exception):
    """A download that cannot go on; the message says what to do. ``code`` is the exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PullOptions:
    servers: tuple[str, ...]
    connections: int = 4
    retries: int = 5
    verify: str = "server"  # server | local | none
    limit_rate: int | None = None  # bytes per second, all connections together
    piece_bytes: int | None = None  # default: sized from the file and the connections
    timeout: float = 60.0
    progress: TextIO | None = None  # where the progress line goes (None: silent)
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    #: Sent as ``Authorization: Bearer <key>`` to servers that require API keys.
    api_key: str | None = None

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}


def _error_message(status: int, body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    try:
        data = json.loads(text)
        return f"{status} {data.get('error_type', '')}: {data.get('error', text)}"
    except (ValueError, AttributeError):
        return f"{status}: {text[:200]}"


def _error_text(response: httpx.Response) -> str:
    return _error_message(response.status_code, response.content)


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (the HTTP-date form is not used by tensorseed servers)."""
    value = (value or "").strip()
    return float(value) if value.isdigit() else None


def retry_delay(failures: int, retry_after: float | None, base: float, cap: float) -> float:
    """Seconds to wait before attempt ``failures + 1``: jittered exponential backoff, but never
    sooner than the server's Retry-After."""
    delay: float = min(cap, base * 2 ** (failures - 1)) * random.uniform(0.5, 1.0)
    return max(retry_after or 0.0, delay)


def _datasync(fd: int) -> None:
    sync: Callable[[int], None] = getattr(os, "fdatasync", os.fsync)  # macOS has no fdatasync
    sync(fd)


class _RateLimit:
    """All connections together at most ``rate`` bytes per second (a shared schedule)."""

    def __init__(self, rate: int | None) -> None:
        self.rate = rate
        self._next = time.monotonic()
        self._lock = threading.Lock()

    def take(self, n: int) -> None:
        if not self.rate:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + n / self.rate
            wait = self._next - now
        if wait > 0:
            time.sleep(wait)


#: Bytes per read of a response body, into each connection's buffer: large enough that the
#: per-read Python work (rate limit, bookkeeping, progress) is noise, small enough to stay in cache.
BODY_READ_BYTES = 1 << 20
#: Most bytes of an error response's body that are read (for the message).
ERROR_BODY_BYTES = 64 * 1024


class _Download:
    """One run of the parallel download: pieces in a queue, N worker threads, one checkpointer."""

    def __init__(
        self, opts: PullOptions, token: str, state: PullState, part: Path, state_path: Path, label: str
    ) -> None:
        self.opts = opts
        self.state = state
        self.part = part
        self.state_path = state_path
        self.url = f"/v1/recipes/{token}/weights.safetensors"
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.failure: PullError | None = None
        self.pieces: queue.SimpleQueue[tuple[int, int]] = queue.SimpleQueue()
        self.limit = _RateLimit(opts.limit_rate)
        self.progress = Progress(label, state.size, state.done.total, opts.progress)
        self.fd = -1

    def _piece_bytes(self, missing: int) -> int:
        if self.opts.piece_bytes:
            return self.opts.piece_bytes
        # Enough pieces that connections finishing early find work, each big enough that the
        # per-request cost (a round trip, a job slot) stays small.
        return max(MIB, min(64 * MIB, missing // (4 * self.opts.connections) + 1))

    def run(self) -> None:
        gaps = self.state.done.missing(self.state.size)
        missing = sum(e - s for s, e in gaps)
        step = self._piece_bytes(missing)
        count = 0
        for start, stop in gaps:
            for lo in range(start, stop, step):
                self.pieces.put((lo, min(stop, lo + step)))
                count += 1
        self.fd = os.open(self.part, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if os.fstat(self.fd).st_size != self.state.size:
                os.ftruncate(self.fd, self.state.size)
            workers = [
                threading.Thread(target=self._worker, args=(i,), name=f"pull-{i}", daemon=True)
                for i in range(min(self.opts.connections, count))
            ]
            for w in workers:
                w.start()
            try:
                while any(w.is_alive() for w in workers):
                    for w in workers:
                        w.join(timeout=1.0)
                    self.checkpoint()
                    self.progress.tick()
            except BaseException:
                self.stop.set()  # Ctrl-C: workers stop at their next chunk; what is written is kept
                for w in workers:
                    w.join(timeout=10)
                raise
            finally:
                self.checkpoint()
                self.progress.finish()
            os.fsync(self.fd)
        finally:
            os.close(self.fd)
        if self.failure is not None:
            raise self.failure
        if self.state.done.missing(self.state.size):
            raise PullError("download incomplete; run the same command again to resume")

    def checkpoint(self) -> None:
        """Flush the data, then record the ranges written before the flush."""
        with self.lock:
            snapshot = PullState(
                self.state.etag, self.state.size, self.state.token, Intervals(list(self.state.done.spans))
            )
        _datasync(self.fd)
        snapshot.save(self.state_path)

    def _fail(self, error: PullError) -> None:
        with self.lock:
            if self.failure is None:
                self.failure = error
        self.stop.set()

    def _read_bytes(self) -> int:
        if not self.opts.limit_rate:
            return BODY_READ_BYTES
        # About 8 reads a second under a rate limit, so the rate stays smooth.
        return max(16 * 1024, min(BODY_READ_BYTES, self.opts.limit_rate // 8))

    def _worker(self, index: int) -> None:
        server = self.opts.servers[index % len(self.opts.servers)]
        buffer = memoryview(bytearray(self._read_bytes()))
        try:
            conn = RangeConnection(server, self.opts.timeout, USER_AGENT, self.opts.auth_headers())
        except ValueError as exc:
            self._fail(PullError(f"{server}: {exc}"))
            return
        with conn:
            while not self.stop.is_set():
                try:
                    start, stop = self.pieces.get_nowait()
                except queue.Empty:
                    return
                try:
                    self._fetch(conn, server, buffer, start, stop)
                except PullError as exc:
                    self._fail(exc)
                except Exception as exc:  # a bug must stop the download, not hang it
                    self._fail(PullError(f"unexpected error: {exc!r}"))

    def _fetch(self, conn: RangeConnection, server: str, buffer: memoryview, start: int, stop: int) -> None:
        """Bytes [start, stop) into the file, resuming within the piece after each failure."""
        pos = start
        failures = 0
        while pos < stop and not self.stop.is_set():
            before = pos
            retry_after: float | None = None
            problem = ""
            response: http.client.HTTPResponse | None = None
            try:
                response = conn.get(
                    self.url, {"Range": f"bytes={pos}-{stop - 1}", "If-Range": self.state.etag}
                )
                if response.status == 206:
                    self._check_part(response, pos, stop)
                    pos, problem = self._copy_body(response, buffer, pos, stop)
                elif response.status == 200:
                    raise PullError(
                        f"{server.rstrip('/')} ignored the range with If-Range {self.state.etag}: the file "
                        "behind this URL changed (another spec version?). Delete the partial download "
                        "and pull again."
                    )
                else:
                    text = _error_message(response.status, response.read(ERROR_BODY_BYTES))
                    if response.status not in (429, 503) and response.status < 500:
                        raise PullError(f"{server.rstrip('/')}: {text}")
                    problem = text
                    retry_after = _retry_after(response.getheader("retry-after"))
            except TRANSPORT_ERRORS as exc:
                problem = f"{type(exc).__name__}: {exc}"
            finally:
                if response is None or not response.isclosed():
                    conn.close()  # a body not read to the end (or no response): the connection is spent
            if pos >= stop or self.stop.is_set():
                return
            failures = 0 if pos > before else failures + 1
            if failures > self.opts.retries:
                raise PullError(
                    f"bytes {pos}-{stop - 1} failed {failures} times in a row (last: {problem}); "
                    "run the same command again to resume"
                )
            if failures:
                self.stop.wait(
                    retry_delay(failures, retry_after, self.opts.backoff_base, self.opts.backoff_cap)
                )

    def _copy_body(
        self, response: http.client.HTTPResponse, buffer: memoryview, pos: int, stop: int
    ) -> tuple[int, str]:
        """Read the body into ``buffer`` and pwrite it at ``pos``. Returns the position reached and,
        if it is short of ``stop`` (and the download is not stopping), what went wrong."""
        try:
            while pos < stop and not self.stop.is_set():
                n = response.readinto(buffer[: stop - pos])
                if not n:
                    return pos, "connection closed early"
                self.limit.take(n)
                self._write(buffer[:n], pos)
                with self.lock:
                    self.state.done.add(pos, pos + n)
                self.progress.add(n)
                pos += n
        except TRANSPORT_ERRORS as exc:  # what was written before counts as progress
            return pos, f"{type(exc).__name__}: {exc}"
        return pos, ""

    def _write(self, data: memoryview, pos: int) -> None:
        """A local write error stops the download (it is not the network's: no retries)."""
        try:
            written = os.pwrite(self.fd, data, pos)
        except OSError as exc:
            raise PullError(f"cannot write {self.part}: {exc}") from exc
        if written != len(data):
            raise PullError(f"short write to {self.part} ({written} of {len(data)} bytes): disk full?")

    def _check_part(self, response: http.client.HTTPResponse, start: int, stop: int) -> None:
        expected = f"bytes {start}-{stop - 1}/{self.state.size}"
        got = response.getheader("content-range")
        if got != expected:
            raise PullError(f"asked for {expected}, got {got!r}")
        etag = response.getheader("etag")
        if etag != self.state.etag:
            raise PullError(f"ETag changed from {self.state.etag} to {etag}")


def _request_with_retries(
    opts: PullOptions, send: Callable[[httpx.Client], httpx.Response], what: str
) -> httpx.Response:
    """One request to the first server, retried on transport errors, 429 and 5xx."""
    last = ""
    for attempt in range(opts.retries + 1):
        response: httpx.Response | None = None
        try:
            with httpx.Client(
                base_url=opts.servers[0],
                timeout=opts.timeout,
                headers={"User-Agent": USER_AGENT, **opts.auth_headers()},
            ) as http:
                response = send(http)
            if response.status_code != 429 and response.status_code < 500:
                return response
            last = _error_text(response)
        except httpx.TransportError as exc:
            last = f"{type(exc).__name__}: {exc}"
        if attempt < opts.retries:
            retry_after = _retry_after(response.headers.get("retry-after")) if response is not None else None
            time.sleep(retry_delay(attempt + 1, retry_after, opts.backoff_base, opts.backoff_cap))
    raise PullError(f"{what} failed after {opts.retries + 1} attempts (last: {last})")


def describe(opts: PullOptions, recipe_text: str) -> dict[str, Any]:
    """POST /v1/recipes: the server's validation, token, size, ETag and tensor offsets."""
    response = _request_with_retries(
        opts,
        lambda http: http.post(
            "/v1/recipes", content=recipe_text.encode(), headers={"Content-Type": "application/json"}
        ),
        "POST /v1/recipes",
    )
    if response.status_code == 401:
        hint = "the key was refused" if opts.api_key else "pass --api-key or set TENSORSEED_API_KEY"
        raise PullError(f"the server requires an API key ({hint}): {_error_text(response)}")
    if response.status_code != 200:
        code = 2 if response.status_code in (400, 413, 422) else 1
        raise PullError(f"the server refused the recipe: {_error_text(response)}", code)
    info: dict[str, Any] = response.json()
    return info


def server_digests(opts: PullOptions, token: str) -> dict[str, str]:
    """Each tensor's sha256 from GET /v1/recipes/{token}/stats (the server regenerates them)."""
    response = _request_with_retries(
        opts, lambda http: http.get(f"/v1/recipes/{token}/stats", params={"bins": 1}), "GET stats"
    )
    if response.status_code != 200:
        raise PullError(f"could not fetch the tensors' sha256: {_error_text(response)}")
    return {t["name"]: t["sha256"] for t in response.json()["tensors"]}


LocalCheck = Callable[[dict[str, Any]], tuple[bytes, dict[str, str]]]


def _prepare_state(
    info: dict[str, Any], part: Path, state_path: Path, log: Callable[[str], None]
) -> PullState:
    fresh = PullState(info["etag"], info["size"], info["token"])
    if not state_path.exists() or not part.exists():
        state_path.unlink(missing_ok=True)
        return fresh
    old = PullState.load(state_path)
    if old is None:
        log(f"{state_path} is unreadable; starting over")
        return fresh
    if old.etag != fresh.etag or old.size != fresh.size:
        raise PullError(
            f"refusing to resume: {part} belongs to a different file (ETag {old.etag}, "
            f"{old.size} bytes; the server's is {fresh.etag}, {fresh.size} bytes). "
            f"Delete {part} and {state_path} to start over."
        )
    log(f"resuming: {human_bytes(old.done.total)} of {human_bytes(old.size)} already downloaded")
    return old


def pull(
    recipe_text: str,
    output: Path,
    opts: PullOptions,
    local_check: LocalCheck | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Download, verify and rename into place; returns a summary. Raises PullError.

    ``local_check`` (for --verify local) regenerates the header and tensor digests from the
    server's canonical recipe.
    """
    info = describe(opts, recipe_text)
    part = output.with_name(output.name + ".part")
    state_path = output.with_name(output.name + ".part.json")
    state = _prepare_state(info, part, state_path, log)
    already = state.done.total
    started = time.monotonic()
    download = _Download(opts, info["token"], state, part, state_path, output.name)
    download.run()
    elapsed = time.monotonic() - started
    fetched = state.size - already
    spans = [Span(t["name"], t["begin"], t["end"]) for t in info["tensors"]]
    verified = _verify(opts, info, part, spans, state, state_path, local_check, log)
    os.replace(part, output)
    state_path.unlink(missing_ok=True)
    return {
        "output": str(output),
        "size": state.size,
        "etag": state.etag,
        "fetched": fetched,
        "resumed_from": already,
        "seconds": elapsed,
        "verified": verified,
    }


def _verify(
    opts: PullOptions,
    info: dict[str, Any],
    part: Path,
    spans: list[Span],
    state: PullState,
    state_path: Path,
    local_check: LocalCheck | None,
    log: Callable[[str], None],
) -> str:
    if opts.verify == "none":
        return "not verified"
    log(f"verifying {len(spans)} tensors ({opts.verify})...")
    if opts.verify == "local":
        if local_check is None:
            raise PullError("local verification is not available")
        header, expected = local_check(info)
        header_ok = read_header(part, info["header_size"]) == header
    else:
        expected = server_digests(opts, info["token"])
        header_ok = header_matches(part, info["header_size"], info["header"])
    bad = mismatches(expected, file_digests(part, spans))
    if header_ok and not bad:
        return f"{len(spans)} tensors sha256-verified ({opts.verify})"
    # Forget the bad parts, so that running the command again fetches just those.
    if not header_ok:
        state.done.remove(0, info["header_size"])
    for span in spans:
        if span.name in bad:
            state.done.remove(span.begin, span.end)
    state.save(state_path)
    what = (["the header"] if not header_ok else []) + [repr(n) for n in bad[:5]]
    more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    raise PullError(
        f"verification failed for {', '.join(what)}{more}; those bytes were marked missing: "
        "run the same command again to fetch them"
    )


def summary_line(result: dict[str, Any], connections: int) -> str:
    rate = result["fetched"] / result["seconds"] if result["seconds"] > 0 else 0.0
    resumed = f", resumed after {human_bytes(result['resumed_from'])}" if result["resumed_from"] else ""
    return (
        f"{result['output']}: {human_bytes(result['size'])}, fetched {human_bytes(result['fetched'])} in "
        f"{human_duration(result['seconds'])} ({human_bytes(rate)}/s, {connections} connections{resumed}); "
        f"{result['verified']}; ETag {result['etag']}"
    )


def as_json(result: dict[str, Any]) -> str:
    return json.dumps(result, sort_keys=True)

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
* At the end each tensor's sha256 is checked (against the server's statistics, or a local
  regeneration), and ``OUT.part`` is renamed to ``OUT``.
"""

from __future__ import annotations

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

import httpcore
import httpx

from app.client.progress import Progress, human_bytes, human_duration
from app.client.state import Intervals, PullState
from app.client.verify import Span, file_digests, header_matches, mismatches, read_header

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
    #: httpx transport for every connection (tests inject failures here); None: real sockets.
    transport: httpx.BaseTransport | None = None


def _error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
        return f"{response.status_code} {body.get('error_type', '')}: {body.get('error', response.text)}"
    except ValueError:
        return f"{response.status_code}: {response.text[:200]}"


def _retry_after(response: httpx.Response | None) -> float | None:
    if response is None:
        return None
    value = response.headers.get("retry-after", "")
    return float(value) if value.isdigit() else None


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


#: Bytes per socket read of a response body. httpcore reads 64 KiB at a time, each read a trip
#: through pure-Python HTTP/1.1 parsing: at 1 GiB that is 16k trips per connection, the client
#: (not the server or the network) sets the pace, and N connections' threads fight over the GIL,
#: so 4 connections came out slower than 1 (3.4 s vs 2.6 s per GiB). 1 MiB reads halve both
#: (1.3-1.5 s per GiB on the 2-core dev machine). httpcore has no setting for it, only this attribute.
BODY_READ_BYTES = 1 << 20


def _use_large_body_reads() -> None:
    connection = getattr(getattr(httpcore, "_sync", None), "http11", None)
    cls = getattr(connection, "HTTP11Connection", None)
    if cls is not None and getattr(cls, "READ_NUM_BYTES", 0) < BODY_READ_BYTES:
        cls.READ_NUM_BYTES = BODY_READ_BYTES


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

    def _worker(self, index: int) -> None:
        server = self.opts.servers[index % len(self.opts.servers)]
        headers = {"User-Agent": USER_AGENT}
        with httpx.Client(
            base_url=server, timeout=self.opts.timeout, headers=headers, transport=self.opts.transport
        ) as http:
            while not self.stop.is_set():
                try:
                    start, stop = self.pieces.get_nowait()
                except queue.Empty:
                    return
                try:
                    self._fetch(http, start, stop)
                except PullError as exc:
                    self._fail(exc)
                except Exception as exc:  # a bug must stop the download, not hang it
                    self._fail(PullError(f"unexpected error: {exc!r}"))

    def _fetch(self, http: httpx.Client, start: int, stop: int) -> None:
        """Bytes [start, stop) into the file, resuming within the piece after each failure."""
        pos = start
        failures = 0
        while pos < stop and not self.stop.is_set():
            before = pos
            response: httpx.Response | None = None
            problem = ""
            try:
                with http.stream(
                    "GET", self.url, headers={"Range": f"bytes={pos}-{stop - 1}", "If-Range": self.state.etag}
                ) as response:
                    if response.status_code == 206:
                        self._check_part(response, pos, stop)
                        for chunk in response.iter_bytes():  # as received: re-chunking costs a copy
                            if self.stop.is_set():
                                return
                            self.limit.take(len(chunk))
                            os.pwrite(self.fd, chunk, pos)
                            with self.lock:
                                self.state.done.add(pos, pos + len(chunk))
                            self.progress.add(len(chunk))
                            pos += len(chunk)
                        if pos < stop:
                            problem = "connection closed early"
                    elif response.status_code == 200:
                        raise PullError(
                            f"{server_of(http)} ignored the range with If-Range {self.state.etag}: the file "
                            "behind this URL changed (another spec version?). Delete the partial download "
                            "and pull again."
                        )
                    elif response.status_code in (429, 503) or response.status_code >= 500:
                        response.read()
                        problem = _error_text(response)
                    else:
                        response.read()
                        raise PullError(f"{server_of(http)}: {_error_text(response)}")
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if pos >= stop:
                return
            failures = 0 if pos > before else failures + 1
            if failures > self.opts.retries:
                raise PullError(
                    f"bytes {pos}-{stop - 1} failed {failures} times in a row (last: {problem}); "
                    "run the same command again to resume"
                )
            if failures:
                delay = min(self.opts.backoff_cap, self.opts.backoff_base * 2 ** (failures - 1))
                delay = max(_retry_after(response) or 0.0, delay * random.uniform(0.5, 1.0))
                self.stop.wait(delay)

    def _check_part(self, response: httpx.Response, start: int, stop: int) -> None:
        expected = f"bytes {start}-{stop - 1}/{self.state.size}"
        if response.headers.get("content-range") != expected:
            raise PullError(f"asked for {expected}, got {response.headers.get('content-range')!r}")
        if response.headers.get("etag") != self.state.etag:
            raise PullError(f"ETag changed from {self.state.etag} to {response.headers.get('etag')}")


def server_of(http: httpx.Client) -> str:
    return str(http.base_url).rstrip("/")


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
                headers={"User-Agent": USER_AGENT},
                transport=opts.transport,
            ) as http:
                response = send(http)
            if response.status_code != 429 and response.status_code < 500:
                return response
            last = _error_text(response)
        except httpx.TransportError as exc:
            last = f"{type(exc).__name__}: {exc}"
        if attempt < opts.retries:
            delay = min(opts.backoff_cap, opts.backoff_base * 2**attempt) * random.uniform(0.5, 1.0)
            time.sleep(max(_retry_after(response) or 0.0, delay))
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
    _use_large_body_reads()
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

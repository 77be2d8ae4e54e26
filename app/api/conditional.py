"""HTTP conditional and range requests (RFC 9110 sections 13 and 14), as pure functions.

The routes decide with these what to send (200, 206, 304, 412, 416) before generating
anything; the bodies themselves are streamed by the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: More ranges than this in one request are refused (RFC 9110 14.2 lets a server reject "many
#: small ranges", a common denial-of-service pattern); parallel clients ask for one range each.
MAX_RANGES = 32
#: Ranges closer than this are merged (RFC 9110 14.6: a gap smaller than a part's overhead).
COALESCE_GAP = 80
#: Digits of a byte position that matter: no file is 10^19 bytes. Longer numbers (RFC 9110
#: puts no bound on them) are read as "beyond any file" without converting them.
_MAX_DIGITS = 19
_BEYOND: int = 10**_MAX_DIGITS

_RANGE_SPEC = re.compile(r"([0-9]*)-([0-9]*)")
_ETAG = re.compile(r'(W/)?"[\x21\x23-\x7e\x80-\xff]*"')


@dataclass(frozen=True)
class ByteRange:
    """Bytes [start, stop) of a representation; ``content_range`` is its header form."""

    start: int
    stop: int

    @property
    def length(self) -> int:
        return self.stop - self.start

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.stop - 1}/{size}"


class Unsatisfiable(ValueError):
    """A well-formed Range with no satisfiable range in it, or too many ranges (416)."""


def _position(digits: str) -> int:
    """A byte position of any length, without int()'s digit limit (leading zeros allowed)."""
    significant = digits.lstrip("0")
    if len(significant) > _MAX_DIGITS:
        return _BEYOND
    return int(significant or "0")


def coalesce(ranges: list[ByteRange]) -> list[ByteRange]:
    """Overlapping or nearly adjacent ranges merged, in ascending order (RFC 9110 14.6 allows it
    "regardless of the order in which the corresponding range-spec appeared")."""
    merged: list[ByteRange] = []
    for r in sorted(ranges, key=lambda r: r.start):
        if merged and r.start <= merged[-1].stop + COALESCE_GAP:
            last = merged[-1]
            merged[-1] = ByteRange(last.start, max(last.stop, r.stop))
        else:
            merged.append(r)
    return merged


def parse_range(header: str, size: int) -> list[ByteRange] | None:
    """The satisfiable ranges of a Range header: one range as asked, several coalesced.

    None means the header is to be ignored (another unit, or a syntax error: RFC 9110 says to
    send the whole representation then). Raises Unsatisfiable when no range overlaps the
    representation, or when there are more than MAX_RANGES. Several ranges are merged where
    they overlap or nearly touch, so their total never exceeds the representation.
    """
    unit, sep, spec = header.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None
    parts = [p.strip() for p in spec.split(",")]
    specs = [p for p in parts if p]  # RFC 9110 list syntax tolerates empty elements
    if not specs:
        return None
    if len(specs) > MAX_RANGES:
        raise Unsatisfiable(f"at most {MAX_RANGES} ranges per request, got {len(specs)}")
    ranges: list[ByteRange] = []
    for item in specs:
        match = _RANGE_SPEC.fullmatch(item)
        if match is None or match.group(0) == "-":
            return None
        first, last = match.group(1), match.group(2)
        if not first:  # suffix range: the last N bytes
            length = _position(last)
            if length > 0 and size > 0:
                ranges.append(ByteRange(max(0, size - length), size))
            continue
        start = _position(first)
        if last and _position(last) < start:
            return None
        if start >= size:
            continue
        stop = size if not last else min(_position(last) + 1, size)
        ranges.append(ByteRange(start, stop))
    if not ranges:
        raise Unsatisfiable(f"no range overlaps the {size} bytes of the representation")
    return ranges if len(ranges) == 1 else coalesce(ranges)


def entity_tags(header: str) -> list[str] | None:
    """The entity tags of an If-Match/If-None-Match value; None for ``*``."""
    if header.strip() == "*":
        return None
    return [m.group(0) for m in _ETAG.finditer(header)]


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def none_match(header: str, etag: str) -> bool:
    """True when If-None-Match fails, i.e. the client's copy is current (weak comparison)."""
    tags = entity_tags(header)
    return tags is None or any(_opaque(t) == _opaque(etag) for t in tags)


def match_fails(header: str, etag: str) -> bool:
    """True when If-Match fails (strong comparison: weak tags never match)."""
    tags = entity_tags(header)
    if tags is None:
        return False
    return not any(t == etag and not t.startswith("W/") for t in tags)


def range_applies(if_range: str | None, etag: str) -> bool:
    """If-Range: serve the range only if the client's validator is still ours.

    An entity tag is compared strongly; a date never matches, as these resources have no
    Last-Modified (a client holding a date cannot know it is current).
    """
    if if_range is None:
        return True
    value = if_range.strip()
    return value == etag and not value.startswith("W/")


def multipart_layout(
    ranges: list[ByteRange], size: int, boundary: str, content_type: str
) -> tuple[list[bytes], bytes, int]:
    """Part heads, the closing delimiter and the exact Content-Length of a multipart/byteranges body.

    Body: for each range, its head, then its bytes; then the closing delimiter. Every head
    begins with CRLF, which ends the previous part's bytes (RFC 2046 puts the CRLF before the
    delimiter in the delimiter).
    """
    heads = [
        (
            f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\n"
            f"Content-Range: {r.content_range(size)}\r\n\r\n"
        ).encode("ascii")
        for r in ranges
    ]
    heads[0] = heads[0][2:]  # the body starts with the first delimiter, not a CRLF
    closing = f"\r\n--{boundary}--\r\n".encode("ascii")
    length = sum(len(h) for h in heads) + sum(r.length for r in ranges) + len(closing)
    return heads, closing, length

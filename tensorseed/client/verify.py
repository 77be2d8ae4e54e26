"""Check a downloaded file tensor by tensor: sha256 of each tensor's bytes against the server's
statistics, or against a local regeneration (the same code `tensorseed generate` runs)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tensorseed.engine.backend import Backend
from tensorseed.engine.chunks import iter_tensor_bytes
from tensorseed.formats.safetensors import layout
from tensorseed.recipe.plan import Plan

READ_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Span:
    """A tensor's bytes [begin, end) in the file."""

    name: str
    begin: int
    end: int


def file_digests(path: Path, spans: Iterable[Span]) -> dict[str, str]:
    """sha256 of each span of the file, read in bounded pieces."""
    out: dict[str, str] = {}
    with path.open("rb") as f:
        for span in spans:
            digest = hashlib.sha256()
            f.seek(span.begin)
            left = span.end - span.begin
            while left:
                piece = f.read(min(READ_BYTES, left))
                if not piece:
                    raise ValueError(f"{path} ends inside tensor {span.name!r}")
                digest.update(piece)
                left -= len(piece)
            out[span.name] = digest.hexdigest()
    return out


def read_header(path: Path, header_size: int) -> bytes:
    with path.open("rb") as f:
        return f.read(header_size)


def header_matches(path: Path, header_size: int, expected: dict[str, object]) -> bool:
    """The file's safetensors header parses to the header the server described."""
    raw = read_header(path, header_size)
    try:
        return bool(json.loads(raw[8:]) == expected)
    except ValueError:
        return False


def local_digests(plan: Plan, backend: Backend, chunk_elements: int) -> tuple[bytes, dict[str, str]]:
    """Header bytes and each tensor's sha256, regenerated here without a server."""
    out: dict[str, str] = {}
    for tensor in plan.tensors:
        digest = hashlib.sha256()
        for chunk in iter_tensor_bytes(backend, tensor, chunk_elements):
            digest.update(chunk)
        out[tensor.name] = digest.hexdigest()
    return layout(plan).header, out


def mismatches(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """Names whose digests differ or are missing on either side, in file order of ``actual``."""
    names = list(actual) + [n for n in expected if n not in actual]
    return [n for n in names if expected.get(n) != actual.get(n)]

"""safetensors output written by us: reproducible header, 8-byte aligned data, no holes.

Layout: u64 little-endian header length N, then N bytes of JCS JSON padded with spaces to a
multiple of 8, then each tensor's bytes in header order. ``safetensors.save`` is not used:
it orders ``__metadata__`` keys differently between processes.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from tensorseed.engine.backend import Backend
from tensorseed.engine.chunks import Piece, iter_tensor_bytes, plan_pieces
from tensorseed.recipe.canonical import canonical_json
from tensorseed.recipe.plan import Plan

METADATA_FORMAT = "pt"  # transformers refuses files without format=pt
METADATA_RECIPE_KEY = "tensorseed.recipe"
METADATA_SPEC_KEY = "tensorseed.spec"


def metadata(plan: Plan) -> dict[str, str]:
    """Only what follows from the recipe and the spec version: no clocks, hosts or versions
    (torch-exact files add the torch version and CPU capability their bytes depend on)."""
    meta = {
        "format": METADATA_FORMAT,
        METADATA_RECIPE_KEY: plan.canonical_recipe,
        METADATA_SPEC_KEY: plan.spec,
    }
    if plan.rng == "torch":
        # torch-exact bytes also depend on torch's version and the CPU's vector capability.
        from tensorseed.stream.torch_rng import torch_environment

        meta.update(torch_environment())
    return meta


@dataclass(frozen=True)
class FileLayout:
    """The header bytes (length prefix included) and where each tensor's data starts."""

    header: bytes
    data_offsets: tuple[int, ...]  # relative to the start of the data section

    @property
    def data_start(self) -> int:
        return len(self.header)

    def total_size(self, plan: Plan) -> int:
        return self.data_start + sum(t.nbytes for t in plan.tensors)

    @property
    def digest(self) -> str:
        """Identity of the whole file, from the header alone (no generation): the header names
        the spec version and the canonical recipe (and, for torch-exact files, the torch
        version and CPU capability), which fix every data byte. The strong ETag of the file."""
        return hashlib.sha256(self.header).hexdigest()[:32]


def layout(plan: Plan) -> FileLayout:
    """Compute the header without generating anything."""
    entries: dict[str, Any] = {"__metadata__": metadata(plan)}
    offsets = []
    pos = 0
    for t in plan.tensors:
        offsets.append(pos)
        entries[t.name] = {
            "dtype": t.dtype.safetensors_code,
            "shape": list(t.shape),
            "data_offsets": [pos, pos + t.nbytes],
        }
        pos += t.nbytes
    text = canonical_json(entries).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return FileLayout(struct.pack("<Q", len(text)) + text, tuple(offsets))


def file_pieces(plan: Plan, chunk_elements: int) -> Iterator[bytes | Piece]:
    """The whole file as the header's bytes, then one whole-chunk piece after another: what an
    engine generates ahead, piece by piece (``Engine.stream_pieces``)."""
    yield layout(plan).header
    for tensor, start, count in plan_pieces(plan.tensors, chunk_elements):
        yield Piece(tensor, start, count, 0, count * tensor.dtype.itemsize)


def iter_file(plan: Plan, backend: Backend, chunk_elements: int) -> Iterator[bytes]:
    """The whole file as a stream of bounded chunks."""
    yield layout(plan).header
    for tensor in plan.tensors:
        yield from iter_tensor_bytes(backend, tensor, chunk_elements)

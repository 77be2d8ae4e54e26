"""Per-tensor stream identity: derived from (seed, tensor name) and nothing else."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from tensorseed.stream import SPEC_VERSION

#: Domain-separation prefix hashed before the seed and the name (ASCII, then one zero byte).
KEY_DOMAIN = b"tensorseed-stream/1\x00"

assert KEY_DOMAIN[:-1].decode() == SPEC_VERSION


@dataclass(frozen=True)
class StreamKey:
    """The 64-bit Philox key and the two fixed high counter words of one tensor's stream."""

    k0: int
    k1: int
    c2: int
    c3: int


def stream_key(seed: int, name: str) -> StreamKey:
    """Derive a tensor's stream from SHA-256(domain || seed as u64 LE || UTF-8 name).

    Digest bytes 0-3, 4-7, 8-11, 12-15 read as little-endian u32 give k0, k1, c2, c3.
    """
    if not 0 <= seed < 2**64:
        raise ValueError("seed must be in [0, 2^64)")
    digest = hashlib.sha256(KEY_DOMAIN + seed.to_bytes(8, "little") + name.encode("utf-8")).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]
    return StreamKey(*words)

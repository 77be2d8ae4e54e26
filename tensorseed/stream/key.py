"""Per-tensor stream identity: derived from (seed, tensor name, spec version) and nothing else."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from tensorseed.stream import SPEC_VERSION, SPEC_VERSIONS

#: Domain-separation prefix of each version, hashed before the seed and the name: the version's
#: ASCII name, then one zero byte. Two versions never share a stream.
KEY_DOMAINS = {spec: spec.encode("ascii") + b"\x00" for spec in SPEC_VERSIONS}
#: The default version's prefix.
KEY_DOMAIN = KEY_DOMAINS[SPEC_VERSION]


@dataclass(frozen=True)
class StreamKey:
    """The 64-bit Philox key and the two fixed high counter words of one tensor's stream."""

    k0: int
    k1: int
    c2: int
    c3: int


def stream_key(seed: int, name: str, spec: str = SPEC_VERSION) -> StreamKey:
    """Derive a tensor's stream from SHA-256(domain || seed as u64 LE || UTF-8 name).

    The domain is ``spec`` (e.g. "tensorseed-stream/2") followed by a zero byte. Digest bytes
    0-3, 4-7, 8-11, 12-15 read as little-endian u32 give k0, k1, c2, c3.
    """
    if not 0 <= seed < 2**64:
        raise ValueError("seed must be in [0, 2^64)")
    try:
        domain = KEY_DOMAINS[spec]
    except KeyError:
        raise ValueError(f"unknown spec version {spec!r}; this build serves {list(SPEC_VERSIONS)}") from None
    digest = hashlib.sha256(domain + seed.to_bytes(8, "little") + name.encode("utf-8")).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]
    return StreamKey(*words)

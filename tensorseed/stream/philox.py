"""Philox4x32-10 (Salmon et al., SC'11), exactly as the Random123 reference code computes it.

The reference works on numpy arrays so that a whole chunk of counters is one vector operation.
Products are formed in uint64, which holds every 32x32-bit product exactly.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

U32 = npt.NDArray[np.uint32]

PHILOX_M0 = 0xD2511F53
PHILOX_M1 = 0xCD9E8D57
PHILOX_W0 = 0x9E3779B9
PHILOX_W1 = 0xBB67AE85
ROUNDS = 10

_MASK32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)


def philox4x32_10(c0: U32, c1: U32, c2: U32, c3: U32, k0: int, k1: int) -> tuple[U32, U32, U32, U32]:
    """Apply Philox4x32-10 to counters (c0, c1, c2, c3) under key (k0, k1).

    Example: ``philox4x32_10(*[np.zeros(1, np.uint32)] * 4, 0, 0)`` gives words
    ``6627e8d5 e169c58d bc57ac4c 9b00dbd8``.
    """
    x0 = c0.astype(np.uint64)
    x1 = c1.astype(np.uint64)
    x2 = c2.astype(np.uint64)
    x3 = c3.astype(np.uint64)
    key0, key1 = k0 & 0xFFFFFFFF, k1 & 0xFFFFFFFF
    m0, m1 = np.uint64(PHILOX_M0), np.uint64(PHILOX_M1)
    for r in range(ROUNDS):
        if r:
            key0 = (key0 + PHILOX_W0) & 0xFFFFFFFF
            key1 = (key1 + PHILOX_W1) & 0xFFFFFFFF
        p0 = x0 * m0
        p1 = x2 * m1
        x0, x1, x2, x3 = (
            (p1 >> _SHIFT32) ^ x1 ^ np.uint64(key0),
            p1 & _MASK32,
            (p0 >> _SHIFT32) ^ x3 ^ np.uint64(key1),
            p0 & _MASK32,
        )
    return (
        x0.astype(np.uint32),
        x1.astype(np.uint32),
        x2.astype(np.uint32),
        x3.astype(np.uint32),
    )

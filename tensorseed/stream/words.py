"""The word stream of one tensor: word w is output w mod 4 of Philox block floor(w / 4)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tensorseed.stream.key import StreamKey
from tensorseed.stream.philox import U32, philox4x32_10


def _block_words(key: StreamKey, blocks: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint32]:
    """The four output words of each block index, as an (n, 4) array."""
    n = blocks.shape[0]
    out = philox4x32_10(
        (blocks & np.uint64(0xFFFFFFFF)).astype(np.uint32),
        (blocks >> np.uint64(32)).astype(np.uint32),
        np.full(n, key.c2, dtype=np.uint32),
        np.full(n, key.c3, dtype=np.uint32),
        key.k0,
        key.k1,
    )
    return np.stack(out, axis=1)


def stream_words(key: StreamKey, first_word: int, count: int) -> U32:
    """Return ``count`` consecutive u32 words of the stream starting at word ``first_word``.

    Block b is Philox4x32-10 of counter (b mod 2^32, b div 2^32, c2, c3) under key (k0, k1).
    Any range is computed directly: there is no state to advance (O(1) seek).
    """
    if count <= 0:
        return np.zeros(0, dtype=np.uint32)
    first_block = first_word // 4
    last_block = (first_word + count - 1) // 4
    blocks = np.arange(first_block, last_block + 1, dtype=np.uint64)
    flat = _block_words(key, blocks).reshape(-1)
    offset = first_word - first_block * 4
    return flat[offset : offset + count]


def words_at(key: StreamKey, indices: npt.NDArray[np.uint64]) -> U32:
    """Words at arbitrary indices of the stream (a gather): word w of block w >> 2, lane w & 3."""
    idx = np.asarray(indices, dtype=np.uint64)
    if idx.size == 0:
        return np.zeros(0, dtype=np.uint32)
    blocks = idx >> np.uint64(2)
    lanes = (idx & np.uint64(3)).astype(np.intp)
    return _block_words(key, blocks)[np.arange(blocks.shape[0]), lanes]

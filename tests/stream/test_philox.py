"""Philox4x32-10 against Random123's known-answer vectors, and O(1) seeking of the word stream."""

from __future__ import annotations

import numpy as np
import pytest

from tensorseed.stream.key import stream_key
from tensorseed.stream.philox import philox4x32_10
from tensorseed.stream.words import stream_words

KNOWN_ANSWERS = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((0xFFFFFFFF,) * 4, (0xFFFFFFFF, 0xFFFFFFFF), (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    (
        (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344),
        (0xA4093822, 0x299F31D0),
        (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1),
    ),
]


@pytest.mark.parametrize(("counter", "key", "expected"), KNOWN_ANSWERS)
def test_known_answer_vectors(
    counter: tuple[int, ...], key: tuple[int, int], expected: tuple[int, ...]
) -> None:
    words = [np.array([c], dtype=np.uint32) for c in counter]
    out = philox4x32_10(words[0], words[1], words[2], words[3], *key)
    assert tuple(int(w[0]) for w in out) == expected


def test_vectorized_equals_one_at_a_time() -> None:
    rng = np.random.default_rng(7)
    c = [rng.integers(0, 2**32, 64, dtype=np.uint64).astype(np.uint32) for _ in range(4)]
    batch = philox4x32_10(c[0], c[1], c[2], c[3], 0x12345678, 0x9ABCDEF0)
    for i in range(64):
        single = philox4x32_10(*(x[i : i + 1] for x in c), 0x12345678, 0x9ABCDEF0)
        assert [int(s[0]) for s in single] == [int(b[i]) for b in batch]


def test_any_word_range_equals_the_slice_of_a_long_run() -> None:
    key = stream_key(123, "w")
    full = stream_words(key, 0, 4099)
    rng = np.random.default_rng(0)
    for _ in range(200):
        start = int(rng.integers(0, 4000))
        count = int(rng.integers(1, 99))
        np.testing.assert_array_equal(stream_words(key, start, count), full[start : start + count])


def test_block_counter_carries_into_the_second_word() -> None:
    key = stream_key(0, "carry")
    first_block_past_2_32 = 2**32 * 4
    words = stream_words(key, first_block_past_2_32, 4)
    c = [np.array([v], dtype=np.uint32) for v in (0, 1, key.c2, key.c3)]
    expected = philox4x32_10(c[0], c[1], c[2], c[3], key.k0, key.k1)
    assert [int(w) for w in words] == [int(e[0]) for e in expected]


def test_stream_key_depends_on_seed_and_name_only() -> None:
    assert stream_key(1, "a") == stream_key(1, "a")
    assert stream_key(1, "a") != stream_key(2, "a")
    assert stream_key(1, "a") != stream_key(1, "b")
    assert stream_key(2**64 - 1, "ünïcødé.weight") != stream_key(0, "ünïcødé.weight")
    with pytest.raises(ValueError):
        stream_key(2**64, "a")

"""Recipe tokens: round trip, and every way a token can be broken is named, within bounded memory."""

from __future__ import annotations

import base64
import tracemalloc
import zlib

import pytest

from tensorseed.recipe.token import (
    SPEC_MAJOR,
    TokenError,
    TokenSpecMismatch,
    TokenTooLarge,
    decode_token,
    encode_token,
)

TEXT = '{"seed":"1","tensors":[{"init":{"scheme":"ones"},"name":"t","shape":[3]}]}'


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_round_trip_is_url_safe_and_versioned() -> None:
    token = encode_token(TEXT)
    assert token.startswith(f"{SPEC_MAJOR}.")
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert decode_token(token, 8000, 1 << 20) == (TEXT, "tensorseed-stream/2")
    assert encode_token(TEXT, "tensorseed-stream/1").startswith("1.")
    assert decode_token(encode_token(TEXT, "tensorseed-stream/1"), 8000, 1 << 20) == (
        TEXT,
        "tensorseed-stream/1",
    )


@pytest.mark.parametrize(
    ("token", "error", "needle"),
    [
        ("", TokenError, "start with the spec version"),
        ("eJx", TokenError, "start with the spec version"),
        ("99.eJx", TokenSpecMismatch, "tensorseed-stream/99"),
        ("1.", TokenError, "base64url"),
        ("1.ab+c", TokenError, "base64url"),
        ("1.abc=", TokenError, "base64url"),
        ("1.abcde", TokenError, "base64url"),  # 5 characters cannot be base64
        ("1." + b64(b"not zlib at all"), TokenError, "not zlib"),
        ("1." + b64(zlib.compress(TEXT.encode())[:-6]), TokenError, "truncated"),
        ("1." + b64(zlib.compress(TEXT.encode()) + b"xx"), TokenError, "after the end"),
        ("1." + b64(zlib.compress(b"\xff\xfe")), TokenError, "not UTF-8"),
        ("1." + "A" * 9000, TokenTooLarge, "9002 characters"),
    ],
)
def test_broken_tokens_are_named(token: str, error: type[TokenError], needle: str) -> None:
    with pytest.raises(error, match=needle):
        decode_token(token, 8000, 1 << 20)


def test_corrupted_checksum_is_detected() -> None:
    packed = bytearray(zlib.compress(TEXT.encode()))
    packed[-1] ^= 1
    with pytest.raises(TokenError, match="not zlib"):
        decode_token("1." + b64(bytes(packed)), 8000, 1 << 20)


def test_a_decompression_bomb_stops_at_the_limit_in_bounded_memory() -> None:
    bomb = "1." + b64(zlib.compress(b" " * (64 << 20), level=9))  # 64 MiB in a 87 KiB token
    tracemalloc.start()
    try:
        with pytest.raises(TokenTooLarge, match="inflates to more than 1048576 bytes"):
            decode_token(bomb, 10**6, 1 << 20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, f"decoding peaked at {peak} bytes"

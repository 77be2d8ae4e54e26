"""Range and validator parsing (RFC 9110 sections 13-14), independent of any route."""

from __future__ import annotations

import pytest

from app.api.conditional import (
    MAX_RANGES,
    ByteRange,
    Unsatisfiable,
    match_fails,
    multipart_layout,
    none_match,
    parse_range,
    range_applies,
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-0", [(0, 1)]),
        ("bytes=0-99", [(0, 100)]),
        ("bytes=10-", [(10, 100)]),
        ("bytes=-1", [(99, 100)]),
        ("bytes=-500", [(0, 100)]),  # a suffix longer than the file is the whole file
        ("bytes=90-1000", [(90, 100)]),  # last-pos past the end is clamped
        ("Bytes = 1-2 , 5-6,", [(1, 7)]),  # case, whitespace, empty list elements; a small gap is merged
        ("bytes=5-6,1-2,1-2", [(1, 7)]),  # overlaps and repeats merged (RFC 9110 14.6)
        ("bytes=200-300,0-0", [(0, 1)]),  # unsatisfiable members are dropped
    ],
)
def test_satisfiable_ranges(header: str, expected: list[tuple[int, int]]) -> None:
    assert parse_range(header, 100) == [ByteRange(a, b) for a, b in expected]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=900-999,0-99", [(0, 100), (900, 1000)]),  # far apart: kept, in ascending order
        ("bytes=0-99,100-199", [(0, 200)]),  # adjacent: one range
        ("bytes=0-,0-,0-,0-", [(0, 1000)]),  # 32 copies of the file would be 32 times its size
        ("bytes=10-20,-5,0-0", [(0, 21), (995, 1000)]),
    ],
)
def test_several_ranges_are_coalesced(header: str, expected: list[tuple[int, int]]) -> None:
    assert parse_range(header, 1000) == [ByteRange(a, b) for a, b in expected]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=" + "0" * 5000 + "1-2", [(1, 3)]),  # leading zeros beyond int()'s digit limit
        ("bytes=0-" + "9" * 5000, [(0, 100)]),  # a huge last position is the end of the file
        ("bytes=-" + "9" * 5000, [(0, 100)]),  # a huge suffix is the whole file
    ],
)
def test_long_numbers_are_read_without_int_limits(header: str, expected: list[tuple[int, int]]) -> None:
    assert parse_range(header, 100) == [ByteRange(a, b) for a, b in expected]


def test_a_huge_first_position_is_unsatisfiable() -> None:
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=" + "9" * 5000 + "-", 100)


@pytest.mark.parametrize(
    "header",
    ["items=0-1", "bytes", "bytes=", "bytes=-", "bytes=a-b", "bytes=5-4", "bytes=1-2-3", "bytes=0x1-2"],
)
def test_malformed_headers_are_ignored(header: str) -> None:
    assert parse_range(header, 100) is None


@pytest.mark.parametrize("header", ["bytes=100-", "bytes=100-200", "bytes=-0", "bytes=100-,-0"])
def test_unsatisfiable(header: str) -> None:
    with pytest.raises(Unsatisfiable):
        parse_range(header, 100)


def test_too_many_ranges_are_refused() -> None:
    parse_range("bytes=" + ",".join(["0-0"] * MAX_RANGES), 100)
    with pytest.raises(Unsatisfiable, match="at most"):
        parse_range("bytes=" + ",".join(["0-0"] * (MAX_RANGES + 1)), 100)


def test_validators() -> None:
    etag = '"abc"'
    assert none_match('"abc"', etag) and none_match('W/"abc"', etag) and none_match("*", etag)
    assert none_match('"x", "abc"', etag) and not none_match('"abcd"', etag)
    assert not match_fails('"abc"', etag) and not match_fails("*", etag)
    assert match_fails('W/"abc"', etag) and match_fails('"x"', etag)
    assert range_applies(None, etag) and range_applies('"abc"', etag)
    assert not range_applies('W/"abc"', etag) and not range_applies('"x"', etag)
    assert not range_applies("Wed, 21 Oct 2015 07:28:00 GMT", etag)


def test_multipart_length_counts_every_byte() -> None:
    ranges = [ByteRange(0, 3), ByteRange(7, 10)]
    heads, closing, length = multipart_layout(ranges, 10, "B", "application/octet-stream")
    body = heads[0] + b"abc" + heads[1] + b"hij" + closing
    assert len(body) == length
    assert body == (
        b"--B\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-2/10\r\n\r\nabc"
        b"\r\n--B\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 7-9/10\r\n\r\nhij"
        b"\r\n--B--\r\n"
    )

"""Stateless recipe URLs: tokens, strong ETags, caching, byte ranges, conditional requests."""

from __future__ import annotations

import hashlib
import json
import re
import struct
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from app.api.conditional import ByteRange, coalesce, multipart_layout
from app.main import create_app
from app.settings import Settings
from tensorseed.engine.service import Engine
from tests.formats.test_ranges import CountingBackend
from tests.strategies import positions, recipes
from tests.support import file_bytes

RECIPE: dict[str, Any] = {
    "seed": 42,
    "dtype": "bfloat16",
    "layers": [{"type": "linear", "name": "fc1", "in_features": 33, "out_features": 7}],
    "tensors": [{"name": "scale", "shape": [5], "init": {"scheme": "constant", "value": 0.5}}],
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings())) as c:
        yield c


def create(client: TestClient, recipe: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/v1/recipes", json=recipe)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def parse_multipart(body: bytes, content_type: str) -> list[tuple[str, bytes]]:
    """(Content-Range, bytes) of each part, parsed strictly: any stray byte fails the test."""
    boundary = re.fullmatch(r"multipart/byteranges; boundary=(\S+)", content_type)
    assert boundary is not None
    delimiter = b"--" + boundary.group(1).encode()
    parts = []
    pos = 0
    while True:
        prefix = delimiter if pos == 0 else b"\r\n" + delimiter
        assert body[pos : pos + len(prefix)] == prefix
        pos += len(prefix)
        if body[pos:] == b"--\r\n":
            return parts
        head_end = body.index(b"\r\n\r\n", pos)
        lines = body[pos + 2 : head_end].decode().split("\r\n")
        fields = dict(line.split(": ", 1) for line in lines)
        assert fields["Content-Type"] == "application/octet-stream"
        first, last = map(int, re.fullmatch(r"bytes (\d+)-(\d+)/\d+", fields["Content-Range"]).groups())  # type: ignore[union-attr]
        pos = head_end + 4
        parts.append((fields["Content-Range"], body[pos : pos + last - first + 1]))
        pos += last - first + 1


def test_create_describes_the_file_without_generating_it(client: TestClient) -> None:
    info = create(client, RECIPE)
    data = file_bytes(RECIPE)
    (n,) = struct.unpack("<Q", data[:8])
    assert info["size"] == len(data) and info["header_size"] == 8 + n
    assert info["etag"] == '"' + hashlib.sha256(data[: 8 + n]).hexdigest()[:32] + '"'
    assert info["header"] == json.loads(data[8 : 8 + n])
    assert info["canonical_recipe"] == info["header"]["__metadata__"]["tensorseed.recipe"]
    assert info["spec_version"] == "tensorseed-stream/2"
    assert (
        info["token"].startswith("2.")
        and json.loads(info["canonical_recipe"])["spec"] == info["spec_version"]
    )
    for t in info["tensors"]:
        lo, hi = info["header"][t["name"]]["data_offsets"]
        assert (t["begin"], t["end"]) == (8 + n + lo, 8 + n + hi)
    assert info["urls"]["weights"] == f"/v1/recipes/{info['token']}/weights.safetensors"
    assert client.get(info["urls"]["recipe"]).json() == info


def test_the_same_recipe_written_differently_has_one_etag(client: TestClient) -> None:
    same = {"tensors": RECIPE["tensors"], "layers": RECIPE["layers"], "dtype": "bfloat16", "seed": "42"}
    a, b = create(client, RECIPE), create(client, same)
    assert a["token"] == b["token"] and a["etag"] == b["etag"]
    other = create(client, {**RECIPE, "seed": 43})
    assert other["etag"] != a["etag"]
    with TestClient(create_app(Settings())) as another_replica:
        response = another_replica.head(a["urls"]["weights"])
        assert response.headers["etag"] == a["etag"]


def test_full_get_is_the_file_with_cache_headers(client: TestClient) -> None:
    info = create(client, RECIPE)
    response = client.get(info["urls"]["weights"])
    assert response.status_code == 200
    assert response.content == file_bytes(RECIPE)
    h = response.headers
    assert h["etag"] == info["etag"] and re.fullmatch(r'"[0-9a-f]{32}"', h["etag"])
    assert h["cache-control"] == "public, max-age=31536000, immutable"
    assert h["accept-ranges"] == "bytes"
    assert h["content-type"] == "application/octet-stream"
    assert int(h["content-length"]) == info["size"]


@settings(max_examples=40, deadline=None)
@given(recipe=recipes(), data=st.data())
def test_http_ranges_equal_slices_of_the_file(
    client: TestClient, recipe: dict[str, Any], data: st.DataObject
) -> None:
    info = create(client, recipe)
    full = file_bytes(recipe)
    size = len(full)
    anchors = [0, info["header_size"], size] + [t["begin"] for t in info["tensors"]]
    specs, expected = [], []
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(["closed", "open", "suffix"]))
        if kind == "suffix":
            n = data.draw(st.integers(1, size + 10))
            specs.append(f"-{n}")
            expected.append((max(0, size - n), size))
        else:
            a = data.draw(positions(size - 1, anchors))
            if kind == "open":
                specs.append(f"{a}-")
                expected.append((a, size))
            else:
                b = data.draw(positions(size - 1, anchors).filter(lambda x, a=a: x >= a))
                specs.append(f"{a}-{b}")
                expected.append((a, b + 1))
    response = client.get(info["urls"]["weights"], headers={"Range": "bytes=" + ",".join(specs)})
    assert int(response.headers["content-length"]) == len(response.content)
    # Several ranges are merged where they overlap or nearly touch (RFC 9110 14.6), and a
    # multipart body that would be larger than the file is replaced by the file.
    if len(expected) > 1:
        expected = [(r.start, r.stop) for r in coalesce([ByteRange(a, b) for a, b in expected])]
    multipart = (
        len(expected) > 1
        and multipart_layout(
            [ByteRange(a, b) for a, b in expected], size, "tensorseed-" + "0" * 32, "application/octet-stream"
        )[2]
    )
    if multipart and multipart >= size:
        assert response.status_code == 200 and response.content == full
    elif len(expected) == 1:
        ((a, b),) = expected
        assert response.status_code == 206
        assert response.headers["content-range"] == f"bytes {a}-{b - 1}/{size}"
        assert response.content == full[a:b]
    else:
        assert response.status_code == 206 and len(response.content) < size
        parts = parse_multipart(response.content, response.headers["content-type"])
        assert parts == [(f"bytes {a}-{b - 1}/{size}", full[a:b]) for a, b in expected]


def test_a_range_generates_only_what_it_covers() -> None:
    # Three 2^31-element normal tensors (24 GiB): a range at the very end is served at once.
    big = {"seed": 5, "tensors": [{"name": n, "shape": [2**31], "init": {"scheme": "normal"}} for n in "abc"]}
    app = create_app(Settings())
    backend = CountingBackend()
    app.state.engine.close()
    app.state.engine = Engine(Settings(), backend=backend)
    with TestClient(app) as c:
        info = create(c, big)
        assert info["size"] > 24 * 2**30
        response = c.get(info["urls"]["weights"], headers={"Range": "bytes=-6"})
        assert response.status_code == 206 and len(response.content) == 6
        assert backend.elements == 2  # 6 bytes end a tensor: elements 2^31-2 and 2^31-1
        response = c.get(info["urls"]["weights"], headers={"Range": f"bytes=0-{info['header_size'] - 1}"})
        assert response.content[8:].decode().rstrip() == json.dumps(
            info["header"], separators=(",", ":"), sort_keys=True
        )
        assert backend.elements == 2


def test_conditional_requests(client: TestClient) -> None:
    info = create(client, RECIPE)
    url, etag = info["urls"]["weights"], info["etag"]
    full = file_bytes(RECIPE)
    for value in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = client.get(url, headers={"If-None-Match": value})
        assert response.status_code == 304 and response.content == b""
        assert response.headers["etag"] == etag and "content-length" not in response.headers
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(url, headers={"If-Match": etag}).status_code == 200
    refused = client.get(url, headers={"If-Match": '"other"'})
    assert refused.status_code == 412 and refused.json()["error_type"] == "precondition_failed"
    # If-Range with the current ETag: the range; with anything else (a date, an old tag): the file.
    ranged = client.get(url, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert ranged.status_code == 206 and ranged.content == full[:10]
    for stale in ('"old"', f"W/{etag}", "Wed, 21 Oct 2015 07:28:00 GMT"):
        response = client.get(url, headers={"Range": "bytes=0-9", "If-Range": stale})
        assert response.status_code == 200 and response.content == full


def test_unsatisfiable_and_malformed_ranges(client: TestClient) -> None:
    info = create(client, RECIPE)
    url, size = info["urls"]["weights"], info["size"]
    for value in (
        f"bytes={size}-",
        f"bytes={size + 5}-{size + 9}",
        "bytes=-0",
        "bytes=" + ",".join(["0-0"] * 33),
    ):
        response = client.get(url, headers={"Range": value})
        assert response.status_code == 416, value
        assert response.headers["content-range"] == f"bytes */{size}"
        assert response.json()["error_type"] == "range_not_satisfiable"
    for ignored in ("bytes=9-3", "pages=1-2", "bytes=x"):
        response = client.get(url, headers={"Range": ignored})
        assert response.status_code == 200 and len(response.content) == size


def test_head_sends_headers_only(client: TestClient) -> None:
    info = create(client, RECIPE)
    url = info["urls"]["weights"]
    response = client.head(url, headers={"Range": "bytes=0-9"})  # Range is ignored on HEAD
    assert response.status_code == 200 and response.content == b""
    assert int(response.headers["content-length"]) == info["size"]
    assert response.headers["etag"] == info["etag"] and response.headers["accept-ranges"] == "bytes"
    assert client.head(url, headers={"If-None-Match": info["etag"]}).status_code == 304


def test_stats_by_token_match_post_stats_and_revalidate(client: TestClient) -> None:
    info = create(client, RECIPE)
    response = client.get(info["urls"]["stats"], params={"bins": 4})
    assert response.status_code == 200
    assert response.json() == client.post("/v1/stats?bins=4", json=RECIPE).json()
    etag = response.headers["etag"]
    assert etag.startswith('W/"') and response.headers["cache-control"].endswith("immutable")
    assert (
        client.get(info["urls"]["stats"], params={"bins": 4}, headers={"If-None-Match": etag}).status_code
        == 304
    )
    assert client.get(info["urls"]["stats"], params={"bins": 5}).headers["etag"] != etag
    head = client.head(info["urls"]["stats"], params={"bins": 4})
    assert head.status_code == 200 and head.headers["etag"] == etag and head.content == b""
    assert client.get(info["urls"]["stats"], params={"bins": 10**6}).status_code == 422


BAD_RECIPE_TEXT = '{"seed":1,"tensors":[{"name":"t","shape":[0],"init":{"scheme":"ones"}}]}'


@pytest.mark.parametrize(
    ("token", "status", "error_type", "needle"),
    [
        ("hello", 400, "invalid_token", "spec version"),
        ("1.@@@", 400, "invalid_token", "base64url"),
        ("1.aGVsbG8", 400, "invalid_token", "zlib"),
        ("7.eJzLSM3JyQcABiwCFQ", 404, "spec_mismatch", "tensorseed-stream/7"),
        ("1.eJzLSM3JyQcABiwCFQ", 400, "invalid_token", "JSON"),
        ("1." + "A" * 8100, 414, "token_too_large", "8102 characters"),
    ],
)
def test_bad_tokens_get_a_named_4xx(
    client: TestClient, token: str, status: int, error_type: str, needle: str
) -> None:
    for suffix in ("", "/weights.safetensors", "/stats"):
        response = client.get(f"/v1/recipes/{token}{suffix}")
        assert response.status_code == status, response.text
        assert response.json()["error_type"] == error_type and needle in response.json()["error"]


def test_tokens_carrying_invalid_or_oversized_recipes(client: TestClient) -> None:
    from tensorseed.recipe.token import encode_token

    response = client.get(f"/v1/recipes/{encode_token(BAD_RECIPE_TEXT)}/weights.safetensors")
    assert response.status_code == 422 and "tensors.0.shape.0" in response.json()["error"]
    huge = '{"seed":1,"tensors":[{"name":"t","shape":[1000000,1000000],"init":{"scheme":"ones"}}]}'
    response = client.get(f"/v1/recipes/{encode_token(huge)}/weights.safetensors")
    assert response.status_code == 413 and response.json()["error_type"] == "limit_exceeded"
    bomb = encode_token('{"seed":1' + " " * (2 << 20) + "}")
    assert len(bomb) < 8000
    response = client.get(f"/v1/recipes/{bomb}/stats")
    assert response.status_code == 414 and "inflates to more than" in response.json()["error"]


def test_recipes_whose_token_is_too_long_are_refused_at_creation() -> None:
    with TestClient(create_app(Settings(max_token_chars=64))) as c:
        response = c.post("/v1/recipes", json=RECIPE)
        assert response.status_code == 413 and response.json()["error_type"] == "token_too_large"
        assert "/v1/weights" in response.json()["error"]
        assert c.post("/v1/recipes", json={"seed": 1}).status_code == 422


def test_torch_exact_files_revalidate_and_their_etag_names_the_torch_build(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe = {
        "seed": 3,
        "rng": "torch",
        "layers": [{"type": "linear", "name": "fc", "in_features": 9, "out_features": 4}],
    }
    info = create(client, recipe)
    full = client.get(info["urls"]["weights"])
    assert full.content == client.post("/v1/weights", json=recipe).content
    assert full.headers["cache-control"] == "public, no-cache"  # another replica may differ
    part = client.get(
        info["urls"]["weights"], headers={"Range": f"bytes={info['header_size'] - 3}-{info['size'] - 5}"}
    )
    assert (
        part.status_code == 206 and part.content == full.content[info["header_size"] - 3 : info["size"] - 4]
    )
    # A replica with another torch build or CPU capability names it in the header, so its ETag differs.
    other = {"tensorseed.torch_version": "0.0.0", "tensorseed.torch_cpu_capability": "NONE"}
    monkeypatch.setattr("tensorseed.stream.torch_rng.torch_environment", lambda: other)
    assert client.head(info["urls"]["weights"]).headers["etag"] != info["etag"]

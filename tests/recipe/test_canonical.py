"""RFC 8785 canonical JSON: number formatting equals ECMAScript's, key order is UTF-16 order."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess

import numpy as np
import pytest

from tensorseed.recipe.canonical import canonical_json, format_number

NODE = shutil.which("node")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (1.0, "1"),
        (-1.5, "-1.5"),
        (0.1, "0.1"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        (123456789012345680000.0, "123456789012345680000"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (2.23606797749979, "2.23606797749979"),
        (333333333.33333329, "333333333.3333333"),  # RFC 8785 appendix B
        (1e23, "1e+23"),
        (4.35, "4.35"),
    ],
)
def test_number_formatting_matches_ecmascript(value: float, text: str) -> None:
    assert format_number(value) == text


def test_rfc8785_key_order_and_escapes() -> None:
    # Keys sorted by UTF-16 code units: U+1F600 (surrogates D83D..) sorts before U+FB33.
    data = {"\ufb33": 1, "\U0001f600": 2, "\r": 3, "1": 4, "\u00e9": 5, 'a\u0001"\\': [True, None, "x\ty"]}
    assert canonical_json(data) == (
        '{"\\r":3,"1":4,"a\\u0001\\"\\\\":[true,null,"x\\ty"],"\u00e9":5,"\U0001f600":2,"\ufb33":1}'
    )


def test_integers_beyond_doubles_are_refused() -> None:
    with pytest.raises(ValueError):
        canonical_json({"x": 2**53 + 1})


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_random_doubles_format_exactly_as_node_does() -> None:
    rng = np.random.default_rng(2024)
    bits = rng.integers(0, 2**64, 3000, dtype=np.uint64)
    doubles = [struct.unpack("<d", struct.pack("<Q", int(b)))[0] for b in bits]
    doubles = [d for d in doubles if np.isfinite(d)]
    doubles += [float(x) for x in rng.normal(size=500)] + [float(10.0**e) for e in range(-30, 30)]
    script = (
        "const a=JSON.parse(require('fs').readFileSync(0,'utf8'));console.log(JSON.stringify(a.map(String)))"
    )
    out = subprocess.run(
        [NODE, "-e", script], input=json.dumps(doubles), capture_output=True, text=True, check=True
    ).stdout
    expected = json.loads(out)
    assert [format_number(d) for d in doubles] == expected

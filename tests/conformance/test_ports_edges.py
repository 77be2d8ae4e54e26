"""Hand-picked edge cases and the plain CLI contract of both ports.

Each recipe below is compared three ways: the reference's outcome (bytes or rejection) must be
the ports' outcome. The expected column only documents which way the reference goes, so a
change of the reference's validation shows up here too.
"""

from __future__ import annotations

import json

import pytest

from tests.conformance.ports import BatchPort, reference, reference_bytes, run_cli, tensors_of

T = '{"name": "t", "shape": [2, 3], "init": {"scheme": "normal"}}'


def one(init: str, dtype: str = "float32", shape: str = "[2, 3]", extra: str = "") -> str:
    tensor = f'{{"name": "t", "shape": {shape}, "init": {init}{extra}}}'
    return f'{{"seed": 1, "dtype": "{dtype}", "tensors": [{tensor}]}}'


def layer(fields: str) -> str:
    return '{"seed": 1, "layers": [{' + fields + "}]}"


LIN = '"type": "linear", "name": "l", "in_features": 2, "out_features": 3'
CONV2 = '"type": "conv2d", "name": "c", "in_channels": 4, "out_channels": 6'
EMB = '"type": "embedding", "name": "e", "num_embeddings": 3, "embedding_dim": 2'


def named(name_json: str) -> str:
    return '{"seed": 1, "tensors": [' + T.replace('"t"', name_json, 1) + "]}"


FANS_2_53 = ', "fan_in": 9007199254740992, "fan_out": 3'
HUGE_TRUNC = '{"scheme": "trunc_normal", "mean": 1e300, "std": 1e300, "a": -1e300, "b": 1e308}'

# (recipe JSON text, True if the reference accepts it)
EDGES: list[tuple[str, bool]] = [
    # JSON syntax and the reader's choices
    ("\ufeff" + f'{{"seed": 1, "tensors": [{T}]}}', False),  # byte order mark
    (f'{{"seed": 1, "tensors": [{T},]}}', False),  # trailing comma
    (f'{{"seed": 1, "tensors": [{T}]}} x', False),  # extra data
    (f'{{"seed": 1, "seed": 2, "tensors": [{T}]}}', True),  # a repeated key keeps its last value
    (one('{"scheme": "constant", "value": NaN}'), False),
    (one('{"scheme": "constant", "value": Infinity}'), False),
    (one('{"scheme": "constant", "value": 1e400}'), False),  # overflows to infinity
    (one('{"scheme": "constant", "value": 1e-400}'), True),  # underflows to 0
    (one('{"scheme": "constant", "value": 01}'), False),  # leading zero
    (one('{"scheme": "constant", "value": 1.}'), False),
    (one('{"scheme": "constant", "value": .5}'), False),
    (one('{"scheme": "constant", "value": -0}'), True),  # the integer 0: +0.0
    (one('{"scheme": "constant", "value": -0.0}'), True),  # -0.0
    (one('{"scheme": "constant", "value": 9007199254740993}'), True),  # integer rounded to binary64
    (one('{"scheme": "constant", "value": 1E2}'), True),
    (one('{"scheme": "constant", "value": 2.5e-324}'), True),  # a tie: rounds to even (0)
    (one('{"scheme": "constant", "value": true}'), False),
    (one('{"scheme": "constant", "value": "1"}'), False),
    ('{"seed": 1,\t"tensors":\r[' + T + "] }", True),  # JSON whitespace
    # seeds
    (f'{{"seed": -0, "tensors": [{T}]}}', True),
    (f'{{"seed": "007", "tensors": [{T}]}}', True),
    (f'{{"seed": "18446744073709551615", "tensors": [{T}]}}', True),
    (f'{{"seed": 18446744073709551615, "tensors": [{T}]}}', True),
    (f'{{"seed": 18446744073709551616, "tensors": [{T}]}}', False),
    (f'{{"seed": "18446744073709551616", "tensors": [{T}]}}', False),
    (f'{{"seed": "000000000000000000001", "tensors": [{T}]}}', False),  # 21 digits
    (f'{{"seed": "", "tensors": [{T}]}}', False),
    (f'{{"seed": "+1", "tensors": [{T}]}}', False),
    (f'{{"seed": " 1", "tensors": [{T}]}}', False),
    (f'{{"seed": "\\u0661", "tensors": [{T}]}}', False),  # a non-ASCII digit
    (f'{{"seed": 1.0, "tensors": [{T}]}}', False),
    (f'{{"seed": 1e2, "tensors": [{T}]}}', False),
    (f'{{"seed": -1, "tensors": [{T}]}}', False),
    (f'{{"seed": true, "tensors": [{T}]}}', False),
    (f'{{"tensors": [{T}]}}', False),
    # structure
    ('{"seed": 1}', False),
    ('{"seed": 1, "layers": [], "tensors": []}', False),
    (f'{{"seed": 1, "tensors": [{T}], "extra": 1}}', False),
    (f'{{"seed": 1, "dtype": null, "tensors": [{T}]}}', False),
    (f'{{"seed": 1, "dtype": "float8", "tensors": [{T}]}}', False),
    ('{"seed": 1, "tensors": null}', False),
    ("[1]", False),
    (one('{"scheme": "normal", "sigma": 1}'), False),
    (one('{"scheme": "orthogonal"}'), False),
    (one('{"scheme": "uniform", "a": null}'), False),
    (one('{"scheme": "zeros"}', extra=', "fan_in": null, "fan_out": null'), True),
    (one('{"scheme": "zeros"}', shape="[]"), False),
    (one('{"scheme": "zeros"}', shape="[0]"), False),
    (one('{"scheme": "zeros"}', shape="[2.0]"), False),
    (one('{"scheme": "zeros"}', shape="[1,1,1,1,1,1,1,1]"), True),
    (one('{"scheme": "zeros"}', shape="[1,1,1,1,1,1,1,1,1]"), False),
    # limits of the reference service (per tensor 2^31 elements, 2^33 in all, 10000 tensors)
    (one('{"scheme": "zeros"}', shape="[2147483649]"), False),
    (one('{"scheme": "zeros"}', shape="[9007199254740993]"), False),
    (
        '{"seed": 1, "tensors": ['
        + ",".join(f'{{"name": "t{i}", "shape": [1], "init": {{"scheme": "zeros"}}}}' for i in range(10001))
        + "]}",
        False,
    ),
    # names
    (named('"__metadata__"'), False),
    (named('"__metadata"'), True),
    (named('""'), False),
    (named('"a\\u0000b"'), False),
    (named('"a\\u007fb"'), False),
    (named('"a\\u0080b"'), True),
    (named('"\\ud800"'), False),  # lone surrogate
    (named('"\\udc00\\ud800"'), False),  # reversed pair
    (named('"\\ud83d\\ude00"'), True),  # escaped pair
    (named('"😀"'), True),  # the same name, raw UTF-8
    (named(json.dumps("😀" * 256)), True),  # 256 characters
    (named(json.dumps("😀" * 257)), False),
    (named('"a\\"b\\\\c/\\b"'), False),  # \b is a control
    (named('"a\\"b\\\\c\\/"'), True),
    (f'{{"seed": 1, "tensors": [{T}, {T}]}}', False),  # duplicate names
    (
        '{"seed": 1, "layers": [{"type": "linear", "name": "l", "in_features": 2, "out_features": 2}],'
        ' "tensors": [{"name": "l.bias", "shape": [1], "init": {"scheme": "zeros"}}]}',
        False,
    ),
    # integers: at most 2^53 in magnitude (they are re-printed as JSON numbers)
    (one('{"scheme": "xavier_uniform"}', "float64", "[4]", FANS_2_53), True),
    (one('{"scheme": "zeros"}', extra=', "fan_in": 0'), False),
    (one('{"scheme": "zeros"}', extra=', "fan_in": 1.0'), False),
    (one('{"scheme": "zeros"}', extra=', "fan_in": 9223372036854775808'), False),
    # fans
    (one('{"scheme": "kaiming_uniform"}', shape="[4]"), False),
    (one('{"scheme": "kaiming_uniform"}', shape="[4]", extra=', "fan_in": 3'), False),
    (one('{"scheme": "fan_in_uniform"}', shape="[4]", extra=', "fan_in": 3, "fan_out": 5'), True),
    (one('{"scheme": "xavier_normal"}', shape="[4, 5]", extra=', "fan_out": 100'), True),
    (one('{"scheme": "xavier_uniform"}', shape="[3, 4, 5]", extra=', "fan_in": 7'), True),
    # parameter constraints and finite ranges
    (one('{"scheme": "uniform", "a": 3, "b": 2}'), False),
    (one('{"scheme": "uniform", "a": 2, "b": 2}'), True),
    (one('{"scheme": "normal", "std": 0}'), True),
    (one('{"scheme": "normal", "std": -1}'), False),
    (one('{"scheme": "trunc_normal", "std": 0}'), False),
    (one('{"scheme": "trunc_normal", "a": 2, "b": 2}'), False),
    (one('{"scheme": "trunc_normal", "a": 40, "b": 41}'), False),  # no representable probability
    (one('{"scheme": "trunc_normal", "a": 5, "b": 6}'), True),
    (one('{"scheme": "trunc_normal", "a": -38, "b": -37}', dtype="float64"), True),  # subnormal CDFs
    (one('{"scheme": "trunc_normal", "a": 37, "b": 38}', dtype="float64"), True),
    (one(HUGE_TRUNC, "float64"), True),
    (one('{"scheme": "xavier_uniform", "gain": -1}'), False),
    (one('{"scheme": "xavier_uniform", "gain": 1e200}'), False),  # bound is infinite
    (one('{"scheme": "xavier_normal", "gain": 1e200}'), True),  # normal samplers are not bounded
    (one('{"scheme": "kaiming_uniform", "a": 1e300}'), True),
    (one('{"scheme": "kaiming_normal", "mode": "fan_avg"}'), False),
    (one('{"scheme": "kaiming_normal", "nonlinearity": "gelu"}'), False),
    (one('{"scheme": "constant", "value": 65504}', "float16"), True),
    (one('{"scheme": "constant", "value": 65519}', "float16"), False),
    (one('{"scheme": "constant", "value": -65505}', "float16"), False),
    (one('{"scheme": "constant", "value": 6e-8}', "float16"), True),  # float16 subnormal
    (one('{"scheme": "constant", "value": 2.9802322387695312e-08}', "float16"), True),  # 2^-25 tie -> 0
    (one('{"scheme": "constant", "value": 3.4028234663852886e38}', "float32"), True),
    (one('{"scheme": "constant", "value": 3.4028235e38}', "float32"), False),
    (one('{"scheme": "constant", "value": 3.3895313892515355e38}', "bfloat16"), True),
    (one('{"scheme": "constant", "value": 3.3895313892515356e38}', "bfloat16"), True),  # same double
    (one('{"scheme": "constant", "value": 3.39e38}', "bfloat16"), False),
    (one('{"scheme": "uniform", "a": -1e308, "b": 1e308}', "float64"), True),  # width overflows: inf
    (one('{"scheme": "normal", "mean": 1e6}', "float16"), True),  # overflows to inf
    (one('{"scheme": "constant", "value": 1e-50}', "bfloat16"), True),
    (one('{"scheme": "constant", "value": -1e-50}', "float16"), True),  # -0
    # layers
    (layer(CONV2 + ', "kernel_size": [3]'), False),
    (layer(CONV2 + ', "kernel_size": [3, 1], "groups": 2'), True),
    (layer(CONV2 + ', "kernel_size": 1, "groups": 4'), False),  # 6 channels out
    (layer(CONV2.replace("conv2d", "conv1d") + ', "kernel_size": 1, "groups": 3'), False),  # 4 in
    (layer(CONV2.replace("conv2d", "conv3d") + ', "kernel_size": []'), False),
    (layer(CONV2.replace("conv2d", "conv3d") + ', "kernel_size": 2, "bias": false'), True),
    (layer(LIN + ', "bias": 1'), False),
    (layer(LIN + ', "bias": false, "init": {"bias": {"scheme": "zeros"}}'), False),
    (layer(LIN + ', "init": {"gamma": {"scheme": "zeros"}}'), False),
    (layer(LIN + ', "init": {"bias": {"scheme": "xavier_normal"}}'), True),  # the weight's fans
    (layer(LIN + ', "init": {}'), True),
    (layer(LIN + ', "init": null'), True),
    (layer(LIN.replace('"l"', '"' + "x" * 256 + '"')), True),  # expanded names may exceed 256
    (layer(LIN.replace('"l"', '"' + "x" * 257 + '"')), False),
    (layer(EMB + ', "padding_idx": -3, "init": {"weight": {"scheme": "ones"}}'), True),
    (layer(EMB + ', "padding_idx": 3'), False),
    (layer(EMB + ', "padding_idx": null'), True),
    (layer(EMB + ', "bias": true'), False),
    (layer('"type": "lstm", "name": "e"'), False),
]  # fmt: skip


@pytest.mark.parametrize(("text", "accepted"), EDGES, ids=[f"edge{i}" for i in range(len(EDGES))])
def test_edge_case_agrees(text: str, accepted: bool, batch_ports: dict[str, BatchPort]) -> None:
    expected = reference(text)
    assert expected.ok == accepted, f"the reference changed its mind on {text[:200]}: {expected}"
    for name, port in batch_ports.items():
        got = port.run(text)
        assert got.same_as(expected), f"{name} on {text[:300]}:\nreference {expected}\n{name} {got}"


def test_integers_beyond_2_53_are_refused(batch_ports: dict[str, BatchPort]) -> None:
    # A canonical recipe re-prints integers as JSON numbers, exact only up to 2^53; the reference
    # refuses larger ones (as of this writing with an uncaught ValueError, so no outcome to compare).
    text = one('{"scheme": "zeros"}', extra=', "fan_in": 9007199254740993')
    for name, port in batch_ports.items():
        got = port.run(text)
        assert not got.ok and "2^53" in got.error, (name, got)


BIG = json.dumps(
    {
        "seed": "18446744073709551615",
        "dtype": "float32",
        "layers": [
            {
                "type": "embedding",
                "name": "emb",
                "num_embeddings": 5000,
                "embedding_dim": 300,
                "padding_idx": 0,
            }
        ],
        "tensors": [
            {"name": "tn", "shape": [700, 1000], "init": {"scheme": "trunc_normal", "a": -1, "b": 3}}
        ],
    }
)


@pytest.mark.parametrize("port", ["c", "js"])
def test_cli_streams_the_same_file(port: str, commands: dict[str, list[str]]) -> None:
    # 2.2 M elements (8.8 MB): several chunks in each port's writer; compared byte for byte and per
    # tensor, which is what someone reproducing a file with the CLI gets.
    expected = reference_bytes(BIG)
    out = run_cli(commands[port], BIG.encode())
    assert out.returncode == 0, out.stderr
    assert out.stdout == expected
    assert tensors_of(out.stdout).keys() == {"emb.weight", "tn"}


@pytest.mark.parametrize("port", ["c", "js"])
def test_cli_rejects_loudly(port: str, commands: dict[str, list[str]]) -> None:
    out = run_cli(commands[port], one('{"scheme": "orthogonal"}').encode())
    assert out.returncode == 2
    assert out.stdout == b""
    assert b"invalid recipe" in out.stderr
    bad_utf8 = run_cli(commands[port], b'{"seed": 1, "tensors": [{"name": "\xff", "shape": [1]}]}')
    assert bad_utf8.returncode == 2 and bad_utf8.stdout == b""

"""Hand-picked edge cases and the plain CLI contract of both ports.

Each recipe below is compared three ways: the reference's outcome (bytes or rejection) must be
the ports' outcome. The expected column only documents which way the reference goes, so a
change of the reference's validation shows up here too. Every edge runs under each stream
version (tensorseed-stream/1 with ``spec`` written, tensorseed-stream/2 by leaving it out) on
every port that declares that version; SPEC_EDGES name their own ``spec`` (the field's errors).
"""

from __future__ import annotations

import hashlib
import json

import pytest

from tensorseed.stream import SPEC_V1, SPEC_V2, SPEC_VERSION, SPEC_VERSIONS
from tests.conformance.ports import (
    BatchPort,
    Case,
    case,
    compare,
    reference,
    reference_bytes,
    refusal_expected,
    run_cli,
    tensors_of,
    with_spec,
)

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
    (one('{"scheme": "uniform", "a": null}'), True),  # null: the convention's default
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

# The catalogue: conventions, layer types in torch/Keras/Flax, int64 buffers, per-fan overrides,
# position-defined schemes (spec sections 6.2, 7, 8, 9).
EDGES += [
    ('{"seed": 3, "dtype": "float16", "convention": "flax", "layers": [{"type": "rms_norm", "normalized_shape": 3, "elementwise_affine": false, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "flax", "layers": [{"type": "layer_norm", "normalized_shape": [2, 3], "bias": false, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "keras", "layers": [{"type": "layer_norm", "normalized_shape": [2, 3], "elementwise_affine": false, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "keras", "layers": [{"type": "prelu", "num_parameters": 3, "init_value": 0.5, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "flax", "layers": [{"type": "prelu", "num_parameters": 1, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "flax", "layers": [{"type": "prelu", "num_parameters": 2, "name": "L"}]}', False),
    ('{"seed": 3, "dtype": "float16", "convention": "keras", "layers": [{"type": "embedding", "num_embeddings": 4, "embedding_dim": 3, "padding_idx": null, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "keras", "layers": [{"type": "embedding", "num_embeddings": 4, "embedding_dim": 3, "padding_idx": 1, "name": "L"}]}', False),
    ('{"seed": 3, "dtype": "float16", "convention": "keras", "layers": [{"type": "conv3d", "in_channels": 2, "out_channels": 4, "kernel_size": 2, "depthwise": true, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "flax", "layers": [{"type": "conv2d", "in_channels": 2, "out_channels": 4, "kernel_size": 2, "depthwise": true, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "keras", "layers": [{"type": "lstm", "input_size": 2, "hidden_size": 3, "bias": false, "init": {"recurrent_kernel": {"scheme": "zeros"}}, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "flax", "layers": [{"type": "lstm", "input_size": 2, "hidden_size": 3, "bias": false, "name": "L"}]}', False),
    ('{"seed": 3, "dtype": "float16", "convention": "torch", "layers": [{"type": "lstm", "input_size": 2, "hidden_size": 3, "proj_size": 3, "name": "L"}]}', False),
    ('{"seed": 3, "dtype": "float16", "convention": "torch", "layers": [{"type": "lstm", "input_size": 2, "hidden_size": 3, "proj_size": 0, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "torch", "layers": [{"type": "multihead_attention", "embed_dim": 4, "num_heads": 2, "kdim": null, "vdim": 4, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "jax", "layers": [{"type": "conv1d", "in_channels": 2, "out_channels": 4, "kernel_size": 3, "init": {"kernel": {"scheme": "dirac"}}, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "keras", "layers": [{"type": "gru", "input_size": 2, "hidden_size": 3, "init": {"recurrent_kernel": {"scheme": "zero"}, "bias": {"scheme": "zero"}}, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "keras", "layers": [{"type": "batch_norm2d", "num_features": 2, "affine": false, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "keras", "layers": [{"type": "batch_norm2d", "num_features": 2, "track_running_stats": false, "name": "L"}]}', False),
    ('{"seed": 3, "dtype": "float16", "convention": "torch", "layers": [{"type": "batch_norm2d", "num_features": 2, "track_running_stats": false, "affine": false, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "torch", "layers": [{"type": "batch_norm1d", "num_features": 2, "init": {"num_batches_tracked": {"scheme": "constant", "value": 9.3e+18}}, "name": "L"}]}', False),
    ('{"seed": 3, "dtype": "float16", "convention": "torch", "layers": [{"type": "batch_norm1d", "num_features": 2, "init": {"num_batches_tracked": {"scheme": "constant", "value": -5}}, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "torch", "layers": [{"type": "batch_norm1d", "num_features": 2, "init": {"num_batches_tracked": {"scheme": "normal"}}, "name": "L"}]}', False),
    ('{"seed": 3, "dtype": "float16", "convention": "keras", "layers": [{"type": "conv_transpose2d", "in_channels": 2, "out_channels": 4, "kernel_size": 2, "groups": 2, "name": "L"}]}', False),
    ('{"seed": 3, "dtype": "float16", "convention": "torch", "layers": [{"type": "conv_transpose2d", "in_channels": 2, "out_channels": 4, "kernel_size": 2, "groups": 2, "init": {"weight": {"scheme": "dirac", "groups": 2}}, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "keras", "layers": [{"type": "multihead_attention", "embed_dim": 4, "num_heads": 2, "add_bias_kv": true, "name": "L"}]}', False),
    ('{"seed": 3, "dtype": "float16", "convention": "flax", "layers": [{"type": "multihead_attention", "embed_dim": 4, "num_heads": 2, "kdim": 3, "init": {"out.kernel": {"scheme": "fan_in_uniform"}, "query.bias": {"scheme": "zeros"}}, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "flax", "layers": [{"type": "multihead_attention", "embed_dim": 4, "num_heads": 2, "init": {"query.bias": {"scheme": "lecun_normal"}}, "name": "L"}]}', False),
    ('{"seed": 3, "dtype": "float16", "convention": "keras", "layers": [{"type": "rnn", "input_size": 2, "hidden_size": 3, "num_layers": 1, "bidirectional": false, "init": {"recurrent_kernel": {"scheme": "irnn"}}, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "torch", "layers": [{"type": "rnn", "input_size": 2, "hidden_size": 3, "num_layers": 2, "bidirectional": true, "init": {"bias_hh_l1_reverse": {"scheme": "xavier_normal"}}, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "torch", "layers": [{"type": "layer_norm", "normalized_shape": [2, 3], "init": {"weight": {"scheme": "kaiming_normal"}}, "name": "L"}]}', False),
    ('{"seed": 3, "dtype": "float16", "convention": "torch", "layers": [{"type": "prelu", "num_parameters": 4, "init_value": 1000000.0, "name": "L"}]}', False),
    ('{"seed": 3, "dtype": "float16", "convention": "torch", "layers": [{"type": "embedding", "num_embeddings": 4, "embedding_dim": 3, "padding_idx": null, "convention": null, "name": "L"}]}', True),
    ('{"seed": 3, "dtype": "float16", "convention": "flax", "layers": [{"type": "embedding", "num_embeddings": 4, "embedding_dim": 3, "init": {"embedding": {"scheme": "zero"}}, "name": "L"}]}', True),
    ('{"seed": 3, "tensors": [{"name": "x", "shape": [2], "init": {"scheme": "ones"}}], "model": null}', True),
    ('{"seed": 3, "tensors": [{"name": "x", "shape": [2], "init": {"scheme": "ones"}}], "rng": "portable"}', True),
    ('{"seed": 3, "tensors": [{"name": "x", "shape": [2], "init": {"scheme": "ones"}}], "rng": null}', False),
    ('{"seed": 3, "tensors": [{"name": "x", "shape": [2], "init": {"scheme": "ones"}}], "convention": null}', False),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [5], "init": {"scheme": "fan_in_uniform"}, "fan_in": 2, "convention": "keras"}]}', True),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [5], "init": {"scheme": "fan_in_uniform"}, "fan_in": 2, "convention": "torch"}]}', False),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [5], "init": {"scheme": "fan_in_uniform"}, "fan_in": 2, "fan_out": 3, "convention": "torch"}]}', True),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [5], "init": {"scheme": "variance_scaling", "mode": "fan_out"}, "fan_out": 7, "convention": "keras"}]}', True),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [5], "init": {"scheme": "uniform", "a": 0.5}, "convention": "keras"}]}', False),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [5], "init": {"scheme": "uniform", "a": 0.5, "b": null}, "convention": "torch"}]}', True),
    ('{"seed": 1, "dtype": "float16", "tensors": [{"name": "x", "shape": [3, 3], "init": {"scheme": "eye", "gain": 1000000.0}}]}', False),
    ('{"seed": 1, "dtype": "float16", "tensors": [{"name": "x", "shape": [8], "init": {"scheme": "lstm_forget_bias", "value": 1000000.0}}]}', False),
    ('{"seed": 1, "dtype": "float16", "tensors": [{"name": "x", "shape": [4, 4], "init": {"scheme": "sparse", "sparsity": 0.5, "std": 1e+300}}]}', True),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [5], "init": {"scheme": "normal", "convention": null, "std": null}}]}', True),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [5], "init": {"scheme": "mup", "base_fan_in": 2, "role": "input"}}]}', True),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [5], "init": {"scheme": "mup", "base_fan_in": 2}}]}', False),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [5], "init": {"scheme": "scaled_residual", "n_layers": 2.0}}]}', False),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [3, 3], "init": {"scheme": "fixup", "n_branches": 3, "m": 65}}]}', False),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [3, 3], "init": {"scheme": "sparse", "sparsity": 1}}]}', False),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [6, 2, 3], "init": {"scheme": "dirac", "groups": 4}}]}', False),
    ('{"seed": 1, "dtype": "float64", "tensors": [{"name": "x", "shape": [3, 3], "init": {"scheme": "deepnet", "n_layers": 9007199254740992, "decoder_layers": 9007199254740992}}]}', True),
    ('{"seed": 1, "dtype": "float32", "tensors": [{"name": "x", "shape": [4, 4], "init": {"scheme": "variance_scaling", "mode": "fan_geo_avg"}, "fan_in": 9007199254740992, "fan_out": 9007199254740991}]}', True),
]  # fmt: skip

# tensorseed-stream/2 (sections 13-15), run under both versions like every edge above: binary32
# truncated normals in far tails, with bounds whose Phi underflows binary32 or binary64, one-sided
# and around 0; subnormal and saturated per-tensor scalars (r32); uniform widths at the binary32
# overflow threshold (13.4: wider ones keep v1's formula); long tensors that draw tail words; the
# two v2 layer conventions (13.5). A dict gives the reference's answer per version where they differ.
TWO_127 = "1.7014118346046923e+38"  # 2^127: b - a below is 2^128 - 2^103 (a tie: rounds to infinity)
EDGES_V2: list[tuple[str, bool | dict[str, bool]]] = [
    (one('{"scheme": "trunc_normal", "a": 5, "b": 6}', shape="[4096]"), True),
    (one('{"scheme": "trunc_normal", "a": -6, "b": -5}', "bfloat16", "[4096]"), True),
    (one('{"scheme": "trunc_normal", "a": 8, "b": 30}', shape="[4096]"), True),
    (one('{"scheme": "trunc_normal", "a": -30, "b": -8}', "float16", "[4096]"), True),
    (one('{"scheme": "trunc_normal", "a": 14, "b": 15}', shape="[2048]"), True),
    (one('{"scheme": "trunc_normal", "a": 30, "b": 37}', shape="[4096]"), True),
    (one('{"scheme": "trunc_normal", "a": -37, "b": -30}', shape="[4096]"), True),
    (one('{"scheme": "trunc_normal", "a": 37, "b": 38}', shape="[512]"), True),  # Phi(-37) subnormal
    (one('{"scheme": "trunc_normal", "a": 38, "b": 39}', shape="[512]"), False),  # W == 0
    (one('{"scheme": "trunc_normal", "a": -100, "b": 100}', shape="[4096]"), True),  # Normal32, clamped
    (one('{"scheme": "trunc_normal", "a": -1, "b": 6}', shape="[4096]"), True),
    (one('{"scheme": "trunc_normal", "a": -3, "b": 0}', shape="[1024]"), True),  # one-sided, hi == 0
    (one('{"scheme": "trunc_normal", "a": 0, "b": 3}', shape="[1024]"), True),  # alpha == 0: no flip
    (one('{"scheme": "trunc_normal", "a": 0, "b": 1e-7}', shape="[1024]"), True),
    (one('{"scheme": "trunc_normal", "a": -1e-7, "b": 1e-7}', "float16", "[1024]"), True),
    (one('{"scheme": "trunc_normal", "a": 1e-9, "b": 2e-9}', shape="[64]"), True),
    (one('{"scheme": "trunc_normal", "a": 1e-300, "b": 2e-300}', shape="[64]"), False),  # Phi equal: W == 0
    (one('{"scheme": "truncated_normal", "mean": 3, "std": 2, "a": 4.5, "b": 30}', "bfloat16", "[2048]"), True),
    (one('{"scheme": "truncated_normal", "a": -2, "b": 2}', shape="[65536]"), True),
    (one('{"scheme": "trunc_normal", "std": 1e-30, "a": -1, "b": 1}', shape="[256]"), True),  # alpha -1e30
    (one('{"scheme": "trunc_normal", "std": 1e-45, "a": -1e-44, "b": 1e-44}', shape="[256]"), True),  # subnormal S
    (one('{"scheme": "trunc_normal", "std": 1e39, "a": -3e38, "b": 3e38}', shape="[256]"), True),  # S saturates
    (one('{"scheme": "trunc_normal", "std": 1e300, "a": -3e38, "b": 3e38}', shape="[256]"), False),  # W == 0
    (one('{"scheme": "trunc_normal", "mean": 3e38, "std": 1e38, "a": -3e38, "b": 3.4e38}', shape="[1024]"), True),
    (one('{"scheme": "truncated_normal", "std": 1e300, "a": -2, "b": 2}', shape="[256]"), False),  # bounds
    (one('{"scheme": "truncated_normal", "std": 1e300, "a": -2, "b": 2}', "float64", "[256]"), True),
    # normals: huge and subnormal std, means that overflow, a tensor long enough for tail words
    (one('{"scheme": "normal", "std": 1e38}', shape="[4096]"), True),  # overflows to infinity
    (one('{"scheme": "normal", "std": 1e300}', "bfloat16", "[1024]"), True),  # S saturates to FLT_MAX
    (one('{"scheme": "normal", "mean": -3.4e38, "std": 1e38}', shape="[1024]"), True),
    (one('{"scheme": "normal", "std": 1e-40}', shape="[1024]"), True),  # a subnormal S, no flush to zero
    (one('{"scheme": "normal", "std": 1e-46}', shape="[64]"), True),  # S rounds to 0
    (one('{"scheme": "normal", "mean": 1e-39, "std": 1e-45}', "float16", "[64]"), True),
    (one('{"scheme": "normal", "mean": 0.5, "std": 2}', shape="[3, 100000]"), True),
    (one('{"scheme": "normal"}', "float16", "[70000]"), True),
    (one('{"scheme": "kaiming_normal"}', "bfloat16", "[300, 300]"), True),
    (one('{"scheme": "sparse", "sparsity": 0.3, "std": 1e39}', "float32", "[40, 30]"), True),
    # uniform widths around 2^128 - 2^103, where (high - low) stops fitting binary32
    (one(f'{{"scheme": "uniform", "a": -{TWO_127}, "b": 1.7014117331926443e+38}}', shape="[512]"), True),
    (one(f'{{"scheme": "uniform", "a": -{TWO_127}, "b": 1.701411733192644e+38}}', shape="[512]"), True),
    (one('{"scheme": "uniform", "a": 0, "b": 3.4028234663852886e38}', shape="[512]"), True),
    (one('{"scheme": "uniform", "a": -3.4028234663852886e38, "b": 3.4028234663852886e38}', shape="[512]"), True),
    (one('{"scheme": "uniform", "a": -3.3895313892515355e38, "b": 3.3895313892515355e38}', "bfloat16", "[512]"), True),
    (one('{"scheme": "uniform", "a": -1e-45, "b": 1e-45}', shape="[512]"), True),  # subnormal bounds
    (one('{"scheme": "uniform", "a": -65504, "b": 65504}', "float16", "[512]"), True),
    (one('{"scheme": "uniform", "a": 1, "b": 1}', "bfloat16", "[16]"), True),
    (one('{"scheme": "xavier_uniform", "gain": 1e19}', shape="[4, 5]"), True),
    # clamps that tie -0.0 with +0.0 (x rounds to -0.0, high is +0.0): min keeps -0.0 (14.1)
    (one('{"scheme": "trunc_normal", "b": 0.0, "mean": -0.0, "std": 1e-45}', shape="[4096]"), True),
    (one('{"scheme": "trunc_normal", "b": 0.0, "mean": -0.0, "std": 5e-324}', "float64", "[4096]"), True),
    # layers whose v2 convention changed (13.5)
    ('{"seed": 5, "convention": "keras", "layers": [{"type": "multihead_attention", "name": "m", "embed_dim": 32, "num_heads": 4, "kdim": 5, "vdim": 7}]}', True),
    ('{"seed": 5, "convention": "keras", "dtype": "float64", "layers": [{"type": "multihead_attention", "name": "m", "embed_dim": 6, "num_heads": 3, "bias": false, "init": {"query.kernel": {"scheme": "kaiming_normal", "mode": "fan_out"}, "attention_output.kernel": {"scheme": "variance_scaling", "mode": "fan_avg", "distribution": "uniform"}}}]}', True),
    ('{"seed": 5, "convention": "flax", "dtype": "float16", "layers": [{"type": "batch_norm2d", "name": "b", "num_features": 6, "init": {"mean": {"scheme": "normal", "std": 3}, "var": {"scheme": "uniform", "a": 1, "b": 2}}}]}', True),
    ('{"seed": 5, "convention": "flax", "dtype": "float64", "layers": [{"type": "batch_norm1d", "name": "b", "num_features": 6, "affine": false}]}', True),
    # a float64 recipe: scale keeps v1's binary64 normal, mean and var (float32) take v2's samplers
    ('{"seed": 5, "convention": "flax", "dtype": "float64", "layers": [{"type": "batch_norm1d", "name": "b", "num_features": 3000, "init": {"scale": {"scheme": "normal"}, "mean": {"scheme": "normal"}, "var": {"scheme": "trunc_normal", "a": 5, "b": 6}}}]}', True),
    ('{"seed": 5, "convention": "keras", "layers": [{"type": "multihead_attention", "name": "m", "embed_dim": 12, "num_heads": 3, "init": {"key.kernel": {"scheme": "lecun_normal", "convention": "torch"}, "value.kernel": {"scheme": "he_uniform", "convention": "jax"}}}]}', True),
    # mean and var are float32 in v2: a constant beyond float16's range is accepted only there
    ('{"seed": 5, "convention": "flax", "dtype": "float16", "layers": [{"type": "batch_norm1d", "name": "b", "num_features": 3, "init": {"var": {"scheme": "constant", "value": 1e6}}}]}', {SPEC_V1: False, SPEC_V2: True}),
    ('{"seed": 5, "convention": "flax", "dtype": "bfloat16", "layers": [{"type": "batch_norm1d", "name": "b", "num_features": 3, "init": {"mean": {"scheme": "constant", "value": 3.3e38}}}]}', True),
    ('{"seed": 5, "dtype": "float16", "layers": [{"type": "batch_norm1d", "name": "b", "num_features": 3, "convention": "keras"}, {"type": "batch_norm1d", "name": "t", "num_features": 3}]}', True),
]  # fmt: skip
EDGES += EDGES_V2

# The recipe's "spec" field itself (13.1): each text names its own, valid or not; given to every
# port that reads the field.
SPEC_EDGES: list[tuple[str, bool]] = [
    (with_spec(f'{{"seed": 1, "tensors": [{T}]}}', spec), accepted)
    for spec, accepted in [
        (SPEC_V1, True), (SPEC_V2, True), (None, True),
        ("tensorseed-stream/3", False), ("tensorseed-stream/0", False), ("tensorseed-stream/01", False),
        ("tensorseed-stream/2 ", False), (" tensorseed-stream/2", False), ("Tensorseed-stream/2", False),
        ("tensorseed-stream", False), ("", False), ("tensorseed-stream/2\\u0000", False),
    ]
] + [
    (f'{{"seed": 1, "spec": {value}, "tensors": [{T}]}}', accepted)
    for value, accepted in [
        ("null", False), ("2", False), ("2.0", False), ("true", False), ("{}", False),
        ('["tensorseed-stream/2"]', False), ('"tensorseed\\u002dstream/2"', True),
        ('"tensorseed-stream\\/1"', True),
    ]
] + [
    # the last of repeated keys counts
    (f'{{"seed": 1, "spec": "tensorseed-stream/3", "spec": "tensorseed-stream/1", "tensors": [{T}]}}', True),
    (f'{{"seed": 1, "spec": "tensorseed-stream/1", "spec": null, "tensors": [{T}]}}', False),
    # "spec" belongs to the recipe only
    ('{"seed": 1, "tensors": [{"name": "t", "shape": [2], "spec": "tensorseed-stream/2", "init": {"scheme": "ones"}}]}', False),
    ('{"seed": 1, "tensors": [{"name": "t", "shape": [2], "init": {"scheme": "normal", "spec": "tensorseed-stream/2"}}]}', False),
    ('{"seed": 1, "spec": "tensorseed-stream/1", "dtype": "float64", "convention": "keras", "layers": [{"type": "multihead_attention", "name": "m", "embed_dim": 8, "num_heads": 2}]}', True),
]  # fmt: skip


# Recipes the reference accepts but the ports must refuse (with the word in their message):
# tolerance-tier schemes (QR), and the reference-only recipe fields rng and model.
REFUSED = [
    (one('{"scheme": "orthogonal"}'), "tolerance"),
    (one('{"scheme": "delta_orthogonal"}', shape="[2, 2, 3]"), "tolerance"),
    (
        '{"seed": 1, "convention": "keras", "layers": [{"type": "lstm", "name": "l", "input_size": 2, '
        '"hidden_size": 3}]}',
        "tolerance",
    ),  # its recurrent kernel defaults to orthogonal
    ('{"seed": 1, "rng": "torch", "tensors": [' + T + "]}", "rng"),
    ('{"seed": 1, "model": {"preset": "mlp"}}', "model"),
    ('{"seed": 1, "model": {"preset": "mlp"}, "tensors": [' + T + "]}", "model"),
]


#: Edges run under tensorseed-stream/1 (``spec`` written) and tensorseed-stream/2 (left out).
EDGE_VERSIONS = [(SPEC_V1, True), (SPEC_VERSION, False)]


def under_each_version(items: list[tuple[str, object]], prefix: str) -> list[object]:
    params = []
    for i, (text, extra) in enumerate(items):
        for spec, explicit in EDGE_VERSIONS:
            c = case(text, spec, explicit=explicit)
            params.append(pytest.param(c, extra, id=f"{prefix}{i}-{c.id}"))
    return params


@pytest.mark.parametrize(("c", "reason"), under_each_version(REFUSED, "refused"))
def test_ports_refuse_what_is_not_exact(c: Case, reason: str, batch_ports: dict[str, BatchPort]) -> None:
    assert refusal_expected(c.text) == reason
    assert reference(c.text).ok
    for name, port in batch_ports.items():
        text = port.text_for(c)
        if text is None:
            continue
        got = port.run(text)
        assert not got.ok and reason in got.error, f"{name} on {text}: {got}"


@pytest.mark.parametrize(("c", "accepted"), under_each_version(EDGES, "edge"))
def test_edge_case_agrees(
    c: Case, accepted: bool | dict[str, bool], batch_ports: dict[str, BatchPort]
) -> None:
    assert c.spec is not None
    want = accepted[c.spec] if isinstance(accepted, dict) else accepted
    expected = compare(c, batch_ports)
    assert expected.ok == want, f"the reference changed its mind on {c.text[:200]}: {expected}"


@pytest.mark.parametrize(("text", "accepted"), SPEC_EDGES, ids=[f"spec{i}" for i in range(len(SPEC_EDGES))])
def test_spec_field_agrees(text: str, accepted: bool, batch_ports: dict[str, BatchPort]) -> None:
    expected = compare(case(text, None), batch_ports)
    assert expected.ok == accepted, f"the reference changed its mind on {text}: {expected}"


def test_v1_pinned_equals_v1_and_v2_written_equals_v2_left_out(batch_ports: dict[str, BatchPort]) -> None:
    # 13.3: v1's canonical recipe drops a written spec (so its file is v1's own, byte for byte);
    # v2's always names it (so writing it changes nothing). The two versions differ.
    text = '{"seed": 7, "tensors": [{"name": "t", "shape": [3], "init": {"scheme": "normal"}}]}'
    files = {spec: reference_bytes(with_spec(text, spec)) for spec in SPEC_VERSIONS}
    assert reference_bytes(text) == files[SPEC_V2] != files[SPEC_V1]
    for name, port in batch_ports.items():
        for spec in port.versions:
            got = port.run(port.text_for(case(text, spec)) or "")
            assert got.ok and got.sha256 == hashlib.sha256(files[spec]).hexdigest(), (name, spec, got)


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


@pytest.mark.parametrize("spec", SPEC_VERSIONS)
@pytest.mark.parametrize("port", ["c", "js"])
def test_cli_streams_the_same_file(
    port: str, spec: str, commands: dict[str, list[str]], batch_ports: dict[str, BatchPort]
) -> None:
    # 2.2 M elements (8.8 MB): several chunks in each port's writer; compared byte for byte and per
    # tensor, which is what someone reproducing a file with the CLI gets. In v2 the normals draw
    # about 6000 tail words (1 in 256).
    c = case(BIG, spec)
    text = batch_ports[port].text_for(c)
    if text is None:
        pytest.skip(f"the {port} port does not declare {spec} (test_coverage fails for that)")
    expected = reference_bytes(c.text)
    out = run_cli(commands[port], text.encode())
    assert out.returncode == 0, out.stderr
    assert out.stdout == expected
    assert tensors_of(out.stdout).keys() == {"emb.weight", "tn"}


@pytest.mark.parametrize("port", ["c", "js"])
def test_cli_rejects_loudly(
    port: str, commands: dict[str, list[str]], batch_ports: dict[str, BatchPort]
) -> None:
    out = run_cli(commands[port], one('{"scheme": "orthogonal"}').encode())
    assert out.returncode == 2
    assert out.stdout == b""
    assert b"invalid recipe" in out.stderr
    bad_utf8 = run_cli(commands[port], b'{"seed": 1, "tensors": [{"name": "\xff", "shape": [1]}]}')
    assert bad_utf8.returncode == 2 and bad_utf8.stdout == b""
    if batch_ports[port].reads_spec:
        # 13.1: another version is refused with a message naming the versions the port serves
        out = run_cli(commands[port], with_spec(one('{"scheme": "ones"}'), "tensorseed-stream/3").encode())
        assert out.returncode == 2 and out.stdout == b""
        err = out.stderr.decode()
        assert "spec" in err and all(v in err for v in batch_ports[port].versions), err


@pytest.mark.parametrize("port", ["c", "js"])
@pytest.mark.parametrize("target", ["torch", "keras", "flax"])
def test_ports_write_or_refuse_export_layouts_loudly(
    port: str, target: str, commands: dict[str, list[str]], batch_ports: dict[str, BatchPort]
) -> None:
    # Section 18 (export layouts), through the plain CLI: a port that declares the target in
    # --capabilities ("exports") writes the reference's file; one that does not refuses the recipe
    # (exit 2, nothing written), never writing a file in another layout than the service's.
    # (tests/conformance/test_ports_export.py runs every layer type through --batch.)
    recipe = json.dumps({
        "seed": 1,
        "export": target,
        "convention": "keras",
        "layers": [{"type": "linear", "name": "fc", "in_features": 2, "out_features": 3}],
    })  # fmt: skip
    out = run_cli(commands[port], recipe.encode())
    if target in batch_ports[port].exports:
        assert out.returncode == 0, out.stderr
        assert out.stdout == reference_bytes(recipe)
    else:
        assert out.returncode == 2, out.stderr
        assert out.stdout == b""
        assert b"export" in out.stderr

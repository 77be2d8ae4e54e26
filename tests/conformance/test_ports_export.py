"""Export layouts (spec section 18) through the reference and both ports: same bytes or all reject.

Every layer type of the catalogue, in variants (no bias, groups, depthwise, projections, extra
biases, per-channel slopes), in each convention (torch, keras, flax, jax), exported to each of
torch, Keras and Flax: each port must write the reference's file (size and sha256, header
included) or refuse it as the reference does (an export with no equivalent, two recurrent biases
with neither zero). A port that does not declare a target in ``--capabilities`` (``exports``)
must refuse it, naming export (tests/conformance/ports.py, ``compare``).

Values are made position-revealing: every parameter whose default is a constant (norm scales,
biases) or a tolerance-tier scheme (Flax's orthogonal recurrent kernels) gets a normal init, so a
transpose, flip, gate order or reshape that differs by one position changes the file's hash.
Recurrent layers in the torch convention come three ways: as they are (refused: neither bias is
zero), and with ``bias_hh_l0`` or ``bias_ih_l0`` zero (18.3's merge picks the other side).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from tensorseed.recipe.errors import RecipeError
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import build_plan
from tensorseed.stream import SPEC_VERSION
from tests.conformance.ports import TOLERANCE_SCHEMES, BatchPort, case, cases_of, compare

CONVENTIONS = ("torch", "keras", "flax", "jax")
TARGETS = ("torch", "keras", "flax")
VARY = {"scheme": "normal", "mean": 0.25, "std": 0.5}
CONSTANT_SCHEMES = frozenset({"zeros", "ones", "constant", "zero"})

LAYERS: dict[str, dict[str, Any]] = {
    "linear": {"type": "linear", "in_features": 7, "out_features": 5},
    "linear-nobias": {"type": "linear", "in_features": 7, "out_features": 5, "bias": False},
    "linear-big": {"type": "linear", "in_features": 300, "out_features": 700},
    "bilinear": {"type": "bilinear", "in1_features": 3, "in2_features": 4, "out_features": 2},
    "conv1d": {"type": "conv1d", "in_channels": 3, "out_channels": 4, "kernel_size": 3},
    "conv2d": {"type": "conv2d", "in_channels": 3, "out_channels": 4, "kernel_size": [3, 2]},
    "conv2d-groups": {"type": "conv2d", "in_channels": 6, "out_channels": 4, "kernel_size": [3, 2], "groups": 2},
    "conv2d-depthwise": {"type": "conv2d", "in_channels": 3, "out_channels": 6, "kernel_size": [2, 3], "groups": 3},
    "conv1d-depthwise": {"type": "conv1d", "in_channels": 4, "out_channels": 4, "kernel_size": 3, "groups": 4},
    "conv3d": {"type": "conv3d", "in_channels": 2, "out_channels": 3, "kernel_size": [2, 3, 2], "bias": False},
    "conv3d-depthwise": {"type": "conv3d", "in_channels": 2, "out_channels": 4, "kernel_size": 2, "groups": 2},
    "conv_transpose1d": {"type": "conv_transpose1d", "in_channels": 3, "out_channels": 2, "kernel_size": 4},
    "conv_transpose2d": {"type": "conv_transpose2d", "in_channels": 3, "out_channels": 2, "kernel_size": [3, 2]},
    "conv_transpose3d": {"type": "conv_transpose3d", "in_channels": 2, "out_channels": 3, "kernel_size": [2, 2, 3]},
    "conv_transpose2d-groups": {
        "type": "conv_transpose2d", "in_channels": 4, "out_channels": 2, "kernel_size": 2, "groups": 2,
    },
    "embedding": {"type": "embedding", "num_embeddings": 11, "embedding_dim": 4},
    "layer_norm": {"type": "layer_norm", "normalized_shape": 6},
    "layer_norm-2d": {"type": "layer_norm", "normalized_shape": [3, 4]},
    "rms_norm": {"type": "rms_norm", "normalized_shape": 6},
    "batch_norm1d": {"type": "batch_norm1d", "num_features": 3},
    "batch_norm2d": {"type": "batch_norm2d", "num_features": 5},
    "batch_norm3d-noaffine": {"type": "batch_norm3d", "num_features": 2, "affine": False},
    "group_norm": {"type": "group_norm", "num_groups": 2, "num_channels": 4},
    "rnn": {"type": "rnn", "input_size": 3, "hidden_size": 4},
    "lstm": {"type": "lstm", "input_size": 3, "hidden_size": 4},
    "gru": {"type": "gru", "input_size": 3, "hidden_size": 4},
    "lstm-nobias": {"type": "lstm", "input_size": 3, "hidden_size": 2, "bias": False},
    "gru-2layers": {"type": "gru", "input_size": 3, "hidden_size": 2, "num_layers": 2},
    "multihead_attention": {"type": "multihead_attention", "embed_dim": 8, "num_heads": 2},
    "multihead_attention-kvdim": {
        "type": "multihead_attention", "embed_dim": 8, "num_heads": 4, "kdim": 6, "vdim": 5,
    },
    "multihead_attention-nobias": {"type": "multihead_attention", "embed_dim": 6, "num_heads": 3, "bias": False},
    "multihead_attention-bias_kv": {
        "type": "multihead_attention", "embed_dim": 4, "num_heads": 2, "add_bias_kv": True,
    },
    "prelu": {"type": "prelu"},
    "prelu-channels": {"type": "prelu", "num_parameters": 3},
}  # fmt: skip

RECURRENT = ("rnn", "lstm", "gru")


def own_tensors(layer: dict[str, Any], convention: str) -> list[tuple[str, str]] | None:
    """(parameter suffix, default scheme) of the layer in its convention, or None where the
    convention refuses the layer (the recipe then goes through as it is, for the refusal)."""
    recipe = {"seed": 1, "convention": convention, "layers": [{**layer, "name": "m"}]}
    try:
        plan = build_plan(Recipe.model_validate(recipe))
    except (ValidationError, RecipeError):  # the ports must refuse the exported recipe too
        return None
    # torch's num_batches_tracked (int64) takes integral constants only: it stays as it is.
    return [(t.name.removeprefix("m."), t.scheme) for t in plan.tensors if t.dtype.value != "int64"]


def variants(layer: dict[str, Any], convention: str) -> list[dict[str, Any]]:
    """The layer with position-revealing inits, and the torch recurrent merge variants."""
    own = own_tensors(layer, convention)
    if own is None:
        return [layer]
    init = {n: VARY for n, scheme in own if scheme in CONSTANT_SCHEMES or scheme in TOLERANCE_SCHEMES}
    out = [{**layer, "init": init} if init else layer]
    if layer["type"] in RECURRENT and convention == "torch" and layer.get("bias", True):
        for zero in ("bias_hh_l0", "bias_ih_l0"):
            out.append({**layer, "init": {**init, zero: {"scheme": "zeros"}}})
    return out


def texts(layer_id: str) -> list[str]:
    layer = LAYERS[layer_id]
    out = []
    for convention in CONVENTIONS:
        for variant in variants(layer, convention):
            for target in TARGETS:
                recipe = {
                    "seed": 23,
                    "convention": convention,
                    "export": target,
                    "layers": [{**variant, "name": "m"}],
                }
                out.append(json.dumps(recipe))
    return out


@pytest.mark.parametrize("layer_id", list(LAYERS))
def test_every_layer_type_exports_to_the_references_bytes(
    layer_id: str, batch_ports: dict[str, BatchPort]
) -> None:
    accepted = 0
    for text in texts(layer_id):
        # float32 as every version reads it, and bfloat16 (v2): a 2-byte dtype moves other offsets.
        bf16 = json.dumps({**json.loads(text), "dtype": "bfloat16"})
        for c in [*cases_of(text), case(bf16, SPEC_VERSION)]:
            accepted += compare(c, batch_ports).ok
    assert accepted, f"the reference refused every export of {layer_id}: the matrix tests nothing"


def test_a_model_of_several_layers_and_raw_tensors_exports_to_the_references_bytes(
    batch_ports: dict[str, BatchPort],
) -> None:
    """Names of several layers interleave in the sorted file; raw tensors are written as they are."""
    layers = [
        {"name": "enc.fc", **LAYERS["linear"]},
        {"name": "enc.conv", **LAYERS["conv2d-groups"]},
        {"name": "head.ln", **LAYERS["layer_norm"], "init": {"weight": VARY, "bias": VARY}},
        {"name": "attn", **LAYERS["multihead_attention"]},
        {"name": "rec", **LAYERS["lstm"], "init": {"bias_ih_l0": {"scheme": "zeros"}}},
    ]
    tensors = [{"name": "enc.scale", "shape": [3, 2], "init": VARY}]
    for target in TARGETS:
        for dtype in ("float32", "float16", "float64", "bfloat16"):
            recipe = {"seed": 5, "dtype": dtype, "export": target, "layers": layers, "tensors": tensors}
            for c in cases_of(json.dumps(recipe)):
                assert compare(c, batch_ports).ok, c.text


def test_an_exported_tensor_over_the_per_tensor_limit_is_refused_everywhere(
    batch_ports: dict[str, BatchPort],
) -> None:
    """18.4: Flax attention with embed_dim 27,000 keeps four kernels of 7.29e8 elements, each under
    2^31; torch's in_proj_weight concatenates three of them (2.187e9). Planned only: a port that
    missed the limit would start generating 8.7 GB instead of refusing."""
    mha = {"type": "multihead_attention", "name": "m", "embed_dim": 27_000, "num_heads": 1}
    text = json.dumps({"seed": 1, "convention": "flax", "export": "torch", "layers": [mha]})
    for c in cases_of(text):
        assert not compare(c, batch_ports).ok
    for name, port in batch_ports.items():
        assert "per-tensor limit" in port.run(text).error, name

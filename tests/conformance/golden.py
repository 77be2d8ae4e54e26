"""The committed conformance vectors (tests/conformance/vectors/*.json), and a built-in golden
set: one recipe per exact scheme and dtype, plus every layer type, checked against the live
reference. Both feed the coverage check: a scheme missing here fails the build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tensorseed.stream import SPEC_VERSION

VECTORS_DIR = Path(__file__).parent / "vectors"

# An example init per exact scheme, with non-default parameters where there are any.
EXAMPLE_INITS: dict[str, dict[str, Any]] = {
    "zeros": {"scheme": "zeros"},
    "ones": {"scheme": "ones"},
    "constant": {"scheme": "constant", "value": -0.3},
    "uniform": {"scheme": "uniform", "a": -2.5, "b": 0.5},
    "normal": {"scheme": "normal", "mean": 0.25, "std": 2},
    "trunc_normal": {"scheme": "trunc_normal", "mean": 1, "std": 0.5, "a": 0.2, "b": 3},
    "truncated_normal": {"scheme": "truncated_normal", "mean": 0.5, "std": 0.25, "a": -1, "b": 3},
    "variance_scaling": {
        "scheme": "variance_scaling",
        "scale": 2,
        "mode": "fan_geo_avg",
        "distribution": "normal",
    },
    "xavier_uniform": {"scheme": "xavier_uniform", "gain": 1.5},
    "xavier_normal": {"scheme": "glorot_normal", "gain": 0.75},
    "kaiming_uniform": {
        "scheme": "kaiming_uniform",
        "a": 0.1,
        "mode": "fan_out",
        "nonlinearity": "leaky_relu",
    },
    "kaiming_normal": {"scheme": "he_normal", "mode": "fan_in", "nonlinearity": "tanh"},
    "lecun_uniform": {"scheme": "lecun_uniform"},
    "lecun_normal": {"scheme": "lecun_normal", "convention": "jax"},
    "fan_in_uniform": {"scheme": "fan_in_uniform"},
    "selu": {"scheme": "selu"},
    "sparse": {"scheme": "sparse", "sparsity": 0.4, "std": 0.5},
    "eye": {"scheme": "identity", "gain": -1.5},
    "irnn": {"scheme": "irnn", "gain": 0.5},
    "dirac": {"scheme": "dirac", "groups": 2},
    "zero": {"scheme": "zero"},
    "lstm_forget_bias": {"scheme": "lstm_forget_bias", "value": 2},
    "zero_init_residual": {"scheme": "zero_init_residual"},
    "scaled_residual": {"scheme": "scaled_residual", "std": 0.05, "n_layers": 12},
    "small_init": {"scheme": "small_init", "dim": 768},
    "wang_init": {"scheme": "wang_init", "n_layers": 24, "dim": 1024},
    "deepnet": {"scheme": "deepnet", "n_layers": 6, "decoder_layers": 12},
    "t_fixup": {"scheme": "t_fixup", "n_layers": 6, "block": "decoder"},
    "t_fixup_embedding": {"scheme": "t_fixup_embedding", "n_layers": 6, "dim": 512},
    "fixup": {"scheme": "fixup", "n_branches": 16, "m": 3, "mode": "fan_in"},
    "mup": {"scheme": "mup", "base_fan_in": 4, "role": "output", "std": 0.02},
}
# Shapes for the position-defined schemes; everything else uses DEFAULT_SHAPE.
EXAMPLE_SHAPES: dict[str, list[int]] = {
    "sparse": [23, 7],
    "eye": [5, 7],
    "irnn": [6, 6],
    "dirac": [6, 4, 3, 6],
    "zero": [11, 5],
    "lstm_forget_bias": [16],
}
DEFAULT_SHAPE = [16, 3, 3]
DTYPES = ["float32", "float64", "float16", "bfloat16"]
CONVENTIONS = ["torch", "keras", "jax", "flax"]

# Every layer type (bilinear exists only in torch). Keras and Flax recurrent kernels default to
# orthogonal (tolerance tier, refused by the ports), so these examples override them.
_LAYERS: list[dict[str, Any]] = [
    {"type": "linear", "name": "fc", "in_features": 33, "out_features": 17},
    {"type": "bilinear", "name": "bl", "in1_features": 3, "in2_features": 4, "out_features": 5},
    {"type": "conv1d", "name": "c1", "in_channels": 4, "out_channels": 6, "kernel_size": 5, "groups": 2},
    {
        "type": "conv2d",
        "name": "c2",
        "in_channels": 3,
        "out_channels": 8,
        "kernel_size": [3, 2],
        "bias": False,
    },
    {"type": "conv3d", "name": "c3", "in_channels": 6, "out_channels": 3, "kernel_size": 2, "groups": 3},
    {
        "type": "conv2d",
        "name": "dw",
        "in_channels": 3,
        "out_channels": 6,
        "kernel_size": 3,
        "depthwise": True,
    },
    {"type": "conv_transpose1d", "name": "t1", "in_channels": 4, "out_channels": 6, "kernel_size": 3},
    {"type": "conv_transpose2d", "name": "t2", "in_channels": 2, "out_channels": 3, "kernel_size": [2, 3]},
    {"type": "conv_transpose3d", "name": "t3", "in_channels": 2, "out_channels": 2, "kernel_size": 2},
    {"type": "embedding", "name": "emb", "num_embeddings": 50, "embedding_dim": 7, "padding_idx": -1},
    {"type": "layer_norm", "name": "ln", "normalized_shape": [2, 3]},
    {"type": "rms_norm", "name": "rms", "normalized_shape": 5},
    {"type": "batch_norm1d", "name": "bn1", "num_features": 3},
    {"type": "batch_norm2d", "name": "bn2", "num_features": 4, "affine": False},
    {"type": "batch_norm3d", "name": "bn3", "num_features": 2},
    {"type": "group_norm", "name": "gn", "num_groups": 2, "num_channels": 6},
    {"type": "rnn", "name": "rnn", "input_size": 3, "hidden_size": 4},
    {"type": "lstm", "name": "lstm", "input_size": 3, "hidden_size": 4},
    {"type": "gru", "name": "gru", "input_size": 3, "hidden_size": 4},
    {"type": "multihead_attention", "name": "mha", "embed_dim": 8, "num_heads": 2, "kdim": 3},
    {"type": "prelu", "name": "pr", "init_value": 0.125},
]
_RECURRENT_KERNELS = {
    "keras": {"rnn": ["recurrent_kernel"], "lstm": ["recurrent_kernel"], "gru": ["recurrent_kernel"]},
    "flax": {
        "rnn": ["h.kernel"],
        "lstm": ["hi.kernel", "hf.kernel", "hg.kernel", "ho.kernel"],
        "gru": ["hr.kernel", "hz.kernel", "hn.kernel"],
    },
}


def layer_examples(convention: str) -> list[dict[str, Any]]:
    """Every layer type the convention has, named <convention>/<name>, orthogonal defaults overridden."""
    out = []
    for layer in _LAYERS:
        if convention != "torch" and layer["type"] == "bilinear":
            continue
        layer = dict(layer, name=f"{convention}/{layer['name']}", convention=convention)
        if convention != "torch" and layer["type"] == "embedding":
            del layer["padding_idx"]
        kernels = _RECURRENT_KERNELS.get(convention, {}).get(layer["type"], [])
        if kernels:
            layer["init"] = {k: {"scheme": "irnn" if i % 2 else "zero"} for i, k in enumerate(kernels)}
        out.append(layer)
    return out


LAYER_EXAMPLES: list[dict[str, Any]] = [
    layer for convention in ("torch", "keras", "flax") for layer in layer_examples(convention)
]


def golden_recipes() -> list[dict[str, Any]]:
    """One recipe per (scheme, dtype), in a rotating convention, each also expanding every layer
    type in the torch, Keras and Flax conventions."""
    out = []
    for i, (scheme, init) in enumerate(EXAMPLE_INITS.items()):
        for j, dtype in enumerate(DTYPES):
            out.append(
                {
                    "seed": str(2**64 - 1 - i),
                    "dtype": dtype,
                    "layers": LAYER_EXAMPLES,
                    "tensors": [
                        {
                            "name": f"{scheme}/é😀",
                            "shape": EXAMPLE_SHAPES.get(scheme, DEFAULT_SHAPE),
                            "init": init,
                            "convention": CONVENTIONS[(i + j) % 4],
                        }
                    ],
                }
            )
    return out


def schemes_used(recipe: dict[str, Any]) -> set[str]:
    """Every scheme (canonical name) a recipe generates with, layer defaults included, as the
    reference plans it."""
    from tensorseed.recipe.models import Recipe
    from tensorseed.recipe.plan import build_plan
    from tensorseed.recipe.schemes import CANONICAL

    return {CANONICAL.get(t.scheme, t.scheme) for t in build_plan(Recipe.model_validate(recipe)).tensors}


def layer_types_used(recipe: dict[str, Any]) -> set[str]:
    return {layer["type"] for layer in recipe.get("layers", [])}


def load_vectors() -> list[dict[str, Any]]:
    """All committed vectors (tests/conformance/vectors/*.json, written by scripts/make_vectors.py
    and scripts/make_catalogue_vectors.py), each normalized to {"id", "spec", "case", "recipe_text",
    "file_sha256", "tensors": {name: sha256}}. A case's recipe means the version it names, else
    its file's ``spec_version`` (v1 files hold recipes from before the ``spec`` field): ``case``
    is the recipe as the suite gives it (tests/conformance/ports.py), with v1's version written."""
    from tests.conformance.ports import case

    vectors = []
    for path in sorted(VECTORS_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data["cases"]:
            text = json.dumps(item["recipe"], ensure_ascii=False)
            if "spec" in item["recipe"]:
                c = case(text, None)
            else:
                c = case(text, data["spec_version"], explicit=data["spec_version"] != SPEC_VERSION)
            vectors.append(
                {
                    "id": f"{path.stem}:{item['name']}",
                    "spec": c.spec,
                    "case": c,
                    "recipe_text": text,
                    "file_sha256": item["file_sha256"],
                    "tensors": {name: t["sha256"] for name, t in item["tensors"].items()},
                }
            )
    return vectors

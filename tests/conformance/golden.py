"""The committed conformance vectors (tests/conformance/vectors/*.json), and a built-in golden
set: one recipe per exact scheme and dtype, plus every layer type, checked against the live
reference. Both feed the coverage check: a scheme missing here fails the build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

VECTORS_DIR = Path(__file__).parent / "vectors"

# An example init per scheme, with non-default parameters where there are any.
EXAMPLE_INITS: dict[str, dict[str, Any]] = {
    "zeros": {"scheme": "zeros"},
    "ones": {"scheme": "ones"},
    "constant": {"scheme": "constant", "value": -0.3},
    "uniform": {"scheme": "uniform", "a": -2.5, "b": 0.5},
    "normal": {"scheme": "normal", "mean": 0.25, "std": 2},
    "trunc_normal": {"scheme": "trunc_normal", "mean": 1, "std": 0.5, "a": 0.2, "b": 3},
    "xavier_uniform": {"scheme": "xavier_uniform", "gain": 1.5},
    "xavier_normal": {"scheme": "xavier_normal", "gain": 0.75},
    "kaiming_uniform": {
        "scheme": "kaiming_uniform",
        "a": 0.1,
        "mode": "fan_out",
        "nonlinearity": "leaky_relu",
    },
    "kaiming_normal": {"scheme": "kaiming_normal", "mode": "fan_in", "nonlinearity": "tanh"},
    "fan_in_uniform": {"scheme": "fan_in_uniform"},
}
DTYPES = ["float32", "float64", "float16", "bfloat16"]

LAYER_EXAMPLES: list[dict[str, Any]] = [
    {"type": "linear", "name": "fc", "in_features": 33, "out_features": 17},
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
    {"type": "embedding", "name": "emb", "num_embeddings": 50, "embedding_dim": 7, "padding_idx": -1},
]


def golden_recipes() -> list[dict[str, Any]]:
    """One recipe per (scheme, dtype), each also expanding every layer type."""
    out = []
    for i, (scheme, init) in enumerate(EXAMPLE_INITS.items()):
        for dtype in DTYPES:
            out.append(
                {
                    "seed": str(2**64 - 1 - i),
                    "dtype": dtype,
                    "layers": LAYER_EXAMPLES,
                    "tensors": [{"name": f"{scheme}/é😀", "shape": [16, 3, 3], "init": init}],
                }
            )
    return out


def schemes_used(recipe: dict[str, Any]) -> set[str]:
    """Every scheme a recipe generates with, layer defaults included."""
    used = {t["init"]["scheme"] for t in recipe.get("tensors", [])}
    for layer in recipe.get("layers", []):
        overrides = layer.get("init") or {}
        used |= {init["scheme"] for init in overrides.values()}
        if layer["type"] == "embedding":
            defaults = {"weight": "normal"}
        else:
            defaults = {"weight": "kaiming_uniform"}
            if layer.get("bias", True):
                defaults["bias"] = "fan_in_uniform"
        used |= {scheme for param, scheme in defaults.items() if param not in overrides}
    return used


def layer_types_used(recipe: dict[str, Any]) -> set[str]:
    return {layer["type"] for layer in recipe.get("layers", [])}


def load_vectors() -> list[dict[str, Any]]:
    """All committed vectors (tests/conformance/vectors/*.json, written by scripts/make_vectors.py),
    each normalized to {"id", "recipe_text", "file_sha256", "tensors": {name: sha256}}."""
    vectors = []
    for path in sorted(VECTORS_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            vectors.append(
                {
                    "id": f"{path.stem}:{case['name']}",
                    "recipe_text": json.dumps(case["recipe"], ensure_ascii=False),
                    "file_sha256": case["file_sha256"],
                    "tensors": {name: t["sha256"] for name, t in case["tensors"].items()},
                }
            )
    return vectors

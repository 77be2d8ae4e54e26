"""Write tests/conformance/vectors/tensorseed-stream-1.json: recipes -> sha256 + first values.

Run only when the spec version changes (``make vectors``): the committed file pins every byte of
the current version, and any change to it must come with a version bump.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tensorseed.engine.backend import ReferenceBackend
from tensorseed.formats.safetensors import iter_file
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import build_plan
from tensorseed.stream import SPEC_VERSION
from tensorseed.stream.dtypes import decode_to_float64

OUT = Path(__file__).resolve().parent.parent / "tests" / "conformance" / "vectors"
FIRST = 8

SCHEMES: list[dict[str, Any]] = [
    {"scheme": "zeros"},
    {"scheme": "ones"},
    {"scheme": "constant", "value": -0.3},
    {"scheme": "uniform"},
    {"scheme": "uniform", "a": -2.5, "b": 1e-3},
    {"scheme": "normal"},
    {"scheme": "normal", "mean": 1.0, "std": 0.02},
    {"scheme": "trunc_normal"},
    {"scheme": "trunc_normal", "mean": 0.5, "std": 2.0, "a": -1.0, "b": 4.0},
    {"scheme": "trunc_normal", "a": 5.0, "b": 6.0},
    {"scheme": "trunc_normal", "a": -9.0, "b": -8.5},
    {"scheme": "xavier_uniform"},
    {"scheme": "xavier_normal", "gain": 1.4142135623730951},
    {"scheme": "kaiming_uniform", "a": 2.23606797749979},
    {"scheme": "kaiming_uniform", "mode": "fan_out", "nonlinearity": "relu"},
    {"scheme": "kaiming_normal"},
    {"scheme": "kaiming_normal", "nonlinearity": "tanh", "mode": "fan_out"},
    {"scheme": "kaiming_normal", "nonlinearity": "selu"},
    {"scheme": "kaiming_normal", "nonlinearity": "leaky_relu", "a": 0.2},
    {"scheme": "fan_in_uniform"},
]
DTYPES = ["float32", "float64", "float16", "bfloat16"]
SHAPES = [[7, 5], [3, 2, 3, 3], [1, 1], [13, 1, 5], [129, 3]]


def cases() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for dtype_index, dtype in enumerate(DTYPES):
        for seed in (0, 2**64 - 1, 20250101):
            tensors = [
                {"name": f"s{i:02d}.{scheme['scheme']}", "shape": SHAPES[(i + dtype_index) % len(SHAPES)],
                 "init": scheme}
                for i, scheme in enumerate(SCHEMES)
            ]  # fmt: skip
            out.append((f"schemes-{dtype}-seed{seed}", {"seed": seed, "dtype": dtype, "tensors": tensors}))
    layers = [
        {"type": "linear", "name": "encoder.fc1", "in_features": 17, "out_features": 9},
        {"type": "linear", "name": "head", "in_features": 9, "out_features": 2, "bias": False},
        {"type": "conv1d", "name": "c1", "in_channels": 4, "out_channels": 6, "kernel_size": 3, "groups": 2},
        {"type": "conv2d", "name": "c2", "in_channels": 3, "out_channels": 8, "kernel_size": [3, 1],
         "init": {"weight": {"scheme": "kaiming_normal", "mode": "fan_out", "nonlinearity": "relu"},
                  "bias": {"scheme": "zeros"}}},
        {"type": "conv3d", "name": "c3", "in_channels": 2, "out_channels": 2, "kernel_size": 2},
        {"type": "embedding", "name": "词嵌入", "num_embeddings": 11, "embedding_dim": 3, "padding_idx": -1},
        {"type": "embedding", "name": "emb😀", "num_embeddings": 5, "embedding_dim": 4},
    ]  # fmt: skip
    for dtype in DTYPES:
        out.append((f"layers-{dtype}", {"seed": "18446744073709551615", "dtype": dtype, "layers": layers,
                                        "tensors": [{"name": "ﬀ-raw", "shape": [3, 4], "fan_in": 10,
                                                     "init": {"scheme": "kaiming_uniform"}}]}))  # fmt: skip
    return out


def vector(name: str, recipe: dict[str, Any]) -> dict[str, Any]:
    plan = build_plan(Recipe.model_validate(recipe))
    backend = ReferenceBackend()
    data = b"".join(iter_file(plan, backend, 1 << 16))
    tensors = {}
    for t in plan.tensors:
        raw = backend.fill(t, 0, t.numel)
        n = min(FIRST, t.numel) * t.dtype.itemsize
        tensors[t.name] = {
            "dtype": t.dtype.value,
            "shape": list(t.shape),
            "sha256": hashlib.sha256(raw).hexdigest(),
            "first_bytes_hex": raw[:n].hex(),
            "first_values": [float(v) for v in decode_to_float64(raw[:n], t.dtype)],
        }
    return {
        "name": name,
        "recipe": recipe,
        "file_size": len(data),
        "file_sha256": hashlib.sha256(data).hexdigest(),
        "tensors": tensors,
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    doc = {"spec_version": SPEC_VERSION, "cases": [vector(n, r) for n, r in cases()]}
    target = OUT / (SPEC_VERSION.replace("/", "-") + ".json")
    target.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(doc['cases'])} cases to {target}")


if __name__ == "__main__":
    main()

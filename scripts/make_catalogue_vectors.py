"""Write tests/conformance/vectors/catalogue-<version>.json: the catalogue's pinned bytes.

Every exact scheme (each name and alias, each convention where the meaning differs) and every layer
type in each convention: recipe -> sha256 and first bytes of each tensor, and of the whole file.
Tolerance-tier schemes (orthogonal, delta_orthogonal) get their first values and a tolerance
instead (docs/stream-spec.md section 6.3). ``--spec`` picks the version (default: the current
one); a published version's file is frozen, and regenerating it must reproduce it exactly.
"""

from __future__ import annotations

import argparse
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
from tensorseed.stream import SPEC_VERSION, SPEC_VERSIONS
from tensorseed.stream.dtypes import decode_to_float64

OUT = Path(__file__).resolve().parent.parent / "tests" / "conformance" / "vectors"
FIRST_BYTES = 16
DTYPES = ["float32", "float64", "float16", "bfloat16"]

#: (init, shape, convention) for the exact schemes.
SCHEMES: list[tuple[dict[str, Any], list[int], str]] = [
    ({"scheme": "uniform"}, [7, 5], "keras"),
    ({"scheme": "uniform", "b": 0.5}, [7, 5], "jax"),
    ({"scheme": "normal"}, [7, 5], "keras"),
    ({"scheme": "truncated_normal"}, [13, 1, 5], "torch"),
    ({"scheme": "truncated_normal", "mean": 0.5, "std": 0.02, "a": -1.0, "b": 3.0}, [13, 1, 5], "jax"),
    ({"scheme": "truncated_normal"}, [9, 4], "keras"),
    ({"scheme": "variance_scaling"}, [7, 5], "torch"),
    (
        {"scheme": "variance_scaling", "scale": 2.0, "mode": "fan_geo_avg", "distribution": "normal"},
        [6, 5],
        "keras",
    ),
    (
        {"scheme": "variance_scaling", "scale": 2.0, "mode": "fan_geo_avg", "distribution": "normal"},
        [6, 5],
        "jax",
    ),
    ({"scheme": "variance_scaling", "mode": "fan_out", "distribution": "uniform"}, [3, 2, 3, 3], "keras"),
    ({"scheme": "variance_scaling", "mode": "fan_avg", "distribution": "untruncated_normal"}, [5, 9], "jax"),
    ({"scheme": "glorot_uniform"}, [7, 5], "keras"),
    ({"scheme": "glorot_normal"}, [7, 5], "keras"),
    ({"scheme": "xavier_normal", "gain": 2.0}, [7, 5], "jax"),
    ({"scheme": "he_uniform"}, [3, 2, 3, 3], "jax"),
    ({"scheme": "he_normal"}, [3, 2, 3, 3], "torch"),
    ({"scheme": "he_normal"}, [3, 3, 2, 3], "keras"),
    ({"scheme": "kaiming_normal", "mode": "fan_out", "nonlinearity": "relu"}, [3, 3, 2, 3], "flax"),
    ({"scheme": "lecun_uniform"}, [7, 5], "torch"),
    ({"scheme": "lecun_normal"}, [7, 5], "torch"),
    ({"scheme": "lecun_normal"}, [7, 5], "jax"),
    ({"scheme": "sparse", "sparsity": 0.3}, [17, 6], "torch"),
    ({"scheme": "sparse", "sparsity": 0.9, "std": 1.0}, [5, 40], "torch"),
    ({"scheme": "eye", "gain": 0.5}, [4, 6], "torch"),
    ({"scheme": "identity"}, [6, 4], "keras"),
    ({"scheme": "dirac"}, [4, 4, 3], "torch"),
    ({"scheme": "dirac", "groups": 2}, [6, 3, 4, 3], "torch"),
    ({"scheme": "dirac"}, [2, 4, 3, 4], "keras"),
    ({"scheme": "scaled_residual", "n_layers": 12}, [7, 5], "torch"),
    ({"scheme": "small_init", "dim": 64}, [7, 5], "torch"),
    ({"scheme": "wang_init", "n_layers": 24, "dim": 64}, [7, 5], "torch"),
    ({"scheme": "deepnet", "n_layers": 18}, [7, 5], "torch"),
    ({"scheme": "deepnet", "n_layers": 6, "decoder_layers": 12}, [7, 5], "torch"),
    ({"scheme": "deepnet", "n_layers": 6, "decoder_layers": 12, "block": "decoder"}, [7, 5], "torch"),
    ({"scheme": "t_fixup", "n_layers": 6}, [7, 5], "torch"),
    ({"scheme": "t_fixup", "n_layers": 6, "block": "decoder"}, [7, 5], "torch"),
    ({"scheme": "t_fixup_embedding", "n_layers": 6, "dim": 5}, [7, 5], "torch"),
    ({"scheme": "fixup", "n_branches": 16}, [3, 2, 3, 3], "torch"),
    ({"scheme": "fixup", "n_branches": 10, "m": 3, "mode": "fan_in"}, [3, 2, 3, 3], "torch"),
    ({"scheme": "zero"}, [4, 6], "torch"),
    ({"scheme": "zero"}, [11, 3], "torch"),
    ({"scheme": "zero"}, [3, 11], "flax"),
    ({"scheme": "irnn", "gain": 0.01}, [5, 5], "torch"),
    ({"scheme": "selu"}, [7, 5], "torch"),
    ({"scheme": "zero_init_residual"}, [5], "torch"),
    ({"scheme": "lstm_forget_bias"}, [12], "torch"),
    ({"scheme": "mup", "std": 0.02, "base_fan_in": 2, "role": "hidden"}, [7, 5], "torch"),
    ({"scheme": "mup", "std": 0.02, "base_fan_in": 2, "role": "output"}, [7, 5], "torch"),
    ({"scheme": "mup", "std": 0.02, "base_fan_in": 2, "role": "input"}, [7, 5], "torch"),
]

LAYERS: list[dict[str, Any]] = [
    {"type": "linear", "in_features": 5, "out_features": 3},
    {"type": "bilinear", "in1_features": 3, "in2_features": 2, "out_features": 4},
    {"type": "conv1d", "in_channels": 4, "out_channels": 8, "kernel_size": 3, "depthwise": True},
    {"type": "conv2d", "in_channels": 4, "out_channels": 6, "kernel_size": [3, 2], "groups": 2},
    {"type": "conv3d", "in_channels": 2, "out_channels": 3, "kernel_size": 2},
    {"type": "conv_transpose1d", "in_channels": 4, "out_channels": 6, "kernel_size": 3},
    {"type": "conv_transpose2d", "in_channels": 4, "out_channels": 2, "kernel_size": 2},
    {"type": "conv_transpose3d", "in_channels": 2, "out_channels": 2, "kernel_size": [1, 2, 2]},
    {"type": "embedding", "num_embeddings": 9, "embedding_dim": 4},
    {"type": "layer_norm", "normalized_shape": [2, 3]},
    {"type": "rms_norm", "normalized_shape": 5},
    {"type": "batch_norm1d", "num_features": 3},
    {"type": "batch_norm2d", "num_features": 3, "affine": False},
    {"type": "batch_norm3d", "num_features": 2},
    {"type": "group_norm", "num_groups": 2, "num_channels": 4},
    {"type": "rnn", "input_size": 3, "hidden_size": 4},
    {"type": "lstm", "input_size": 3, "hidden_size": 4},
    {"type": "gru", "input_size": 3, "hidden_size": 4},
    {"type": "multihead_attention", "embed_dim": 8, "num_heads": 2},
    {"type": "prelu"},
]
TORCH_ONLY: list[dict[str, Any]] = [
    {"type": "embedding", "num_embeddings": 9, "embedding_dim": 4, "padding_idx": -2},
    {
        "type": "lstm",
        "input_size": 3,
        "hidden_size": 4,
        "num_layers": 2,
        "bidirectional": True,
        "proj_size": 2,
    },
    {"type": "gru", "input_size": 3, "hidden_size": 4, "bias": False},
    {
        "type": "multihead_attention",
        "embed_dim": 8,
        "num_heads": 2,
        "kdim": 3,
        "vdim": 5,
        "add_bias_kv": True,
    },
]
TOLERANCE: list[tuple[dict[str, Any], list[int], str]] = [
    ({"scheme": "orthogonal"}, [6, 10], "torch"),
    ({"scheme": "orthogonal", "gain": 2.0}, [4, 3, 2], "torch"),
    ({"scheme": "orthogonal"}, [3, 2, 5], "keras"),
    ({"scheme": "orthogonal", "column_axis": 0}, [5, 2, 3], "jax"),
    ({"scheme": "delta_orthogonal"}, [3, 3, 2, 4], "jax"),
    ({"scheme": "delta_orthogonal", "gain": 0.5}, [4, 2, 4], "torch"),
]
#: Agreement to the reference for tolerance-tier tensors: any correct QR gives these values to this
#: absolute error (the Gaussian inputs here are well conditioned; spec 6.3).
TOLERANCE_ATOL = 1e-5


def describe(recipe: dict[str, Any], spec: str) -> dict[str, Any]:
    plan = build_plan(Recipe.model_validate(recipe).read_as(spec))
    backend = ReferenceBackend()
    tensors = {}
    for t in plan.tensors:
        raw = backend.fill(t, 0, t.numel)
        tensors[t.name] = {
            "sha256": hashlib.sha256(raw).hexdigest(),
            "first_bytes_hex": raw[:FIRST_BYTES].hex(),
        }
    data = b"".join(iter_file(plan, backend, 1 << 16))
    return {"tensors": tensors, "file_size": len(data), "file_sha256": hashlib.sha256(data).hexdigest()}


def exact_cases(spec: str) -> list[dict[str, Any]]:
    cases = []
    for i, (init, shape, convention) in enumerate(SCHEMES):
        dtype = DTYPES[i % len(DTYPES)]
        name = f"s{i:02d}.{init['scheme']}"
        recipe = {"seed": 20250101 + i, "dtype": dtype, "convention": convention,
                  "tensors": [{"name": name, "shape": shape, "init": init}]}  # fmt: skip
        cases.append({"name": f"scheme-{i:02d}-{init['scheme']}-{convention}-{dtype}", "recipe": recipe})
    for convention in ("torch", "keras", "flax"):
        layers = [layer for layer in LAYERS if convention == "torch" or layer["type"] != "bilinear"]
        if convention == "torch":
            layers = layers + TORCH_ONLY
        recipe = {"seed": 7, "dtype": "float32", "convention": convention,
                  "layers": [{"name": f"l{i:02d}", **layer} for i, layer in enumerate(layers)]}  # fmt: skip
        cases.append({"name": f"layers-{convention}", "recipe": recipe})
    for case in cases:
        case.update(describe(case["recipe"], spec))
    return cases


def tolerance_cases(spec: str) -> list[dict[str, Any]]:
    cases = []
    for i, (init, shape, convention) in enumerate(TOLERANCE):
        recipe = {"seed": 99 + i, "dtype": "float64", "convention": convention,
                  "tensors": [{"name": "t", "shape": shape, "init": init}]}  # fmt: skip
        plan = build_plan(Recipe.model_validate(recipe).read_as(spec))
        t = plan.tensors[0]
        first = decode_to_float64(ReferenceBackend().fill(t, 0, t.numel), t.dtype)
        cases.append({"name": f"tolerance-{i}-{init['scheme']}-{convention}", "recipe": recipe,
                      "values": first.tolist(), "atol": TOLERANCE_ATOL})  # fmt: skip
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", choices=SPEC_VERSIONS, default=SPEC_VERSION)
    spec = parser.parse_args().spec
    doc = {"spec_version": spec, "cases": exact_cases(spec), "tolerance_cases": tolerance_cases(spec)}
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / ("catalogue-" + spec.replace("/", "-") + ".json")
    path.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(doc['cases'])} + {len(doc['tolerance_cases'])} cases to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Write tests/conformance/vectors/<version>.json: recipes -> sha256 + first values.

``python scripts/make_vectors.py [--spec tensorseed-stream/2]`` (``make vectors`` writes every
version). Each committed file pins every byte of its version forever: regenerating a published
version must reproduce its file exactly (CI checks the bytes, not this script), and any change
to the bytes must come with a new version. A case's recipe means the version it names, else the
file's ``spec_version`` (tensorseed-stream/1's recipes predate the ``spec`` field).
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
from tensorseed.stream import SPEC_V1, SPEC_V2, SPEC_VERSION, SPEC_VERSIONS
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


#: Added with tensorseed-stream/2: its binary32 samplers' edges. Far tails and bounds whose
#: Phi underflows binary32 (the log-space tail), one-sided and straddling intervals (both paths),
#: alpha = 0, a narrow interval, tensors long enough to draw normal tail words (about one word in
#: 256), saturated per-tensor scalars and a uniform wider than binary32 (v1's formula).
V2_TENSORS: list[tuple[dict[str, Any], list[int]]] = [
    ({"scheme": "normal"}, [64, 64]),
    ({"scheme": "normal", "mean": -3.0, "std": 1e-3}, [1000]),
    ({"scheme": "truncated_normal", "a": -3.0, "b": 3.0}, [40, 50]),
    ({"scheme": "truncated_normal", "a": 5.0, "b": 6.0}, [300]),
    ({"scheme": "truncated_normal", "a": 8.0, "b": 30.0}, [300]),
    ({"scheme": "truncated_normal", "a": -30.0, "b": -8.0}, [300]),
    ({"scheme": "truncated_normal", "a": 14.0, "b": 15.0}, [100]),
    ({"scheme": "truncated_normal", "a": 30.0, "b": 37.0}, [100]),
    ({"scheme": "truncated_normal", "a": -1.0, "b": 6.0}, [2000]),
    ({"scheme": "truncated_normal", "a": -10.0, "b": 10.0}, [2000]),
    ({"scheme": "truncated_normal", "a": 0.0, "b": 3.0}, [300]),
    ({"scheme": "truncated_normal", "a": -3.0, "b": 0.0}, [300]),
    ({"scheme": "truncated_normal", "a": -2.0, "b": -1.9999}, [100]),
    ({"scheme": "trunc_normal", "std": 0.02}, [2000]),
    ({"scheme": "normal", "mean": 3e38, "std": 1e39}, [100]),
    ({"scheme": "uniform", "a": 7.0, "b": 7.0}, [5]),
]
#: Bounds beyond float16's range: only in the float32 and bfloat16 recipes.
V2_WIDE_TENSORS: list[tuple[dict[str, Any], list[int]]] = [
    ({"scheme": "trunc_normal", "mean": 1e38, "std": 3e38, "a": -3e38, "b": 3e38}, [100]),
    ({"scheme": "uniform", "a": -3e38, "b": 3e38}, [100]),
]


def v2_cases() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    tensors = [
        {"name": f"v{i:02d}.{init['scheme']}", "shape": shape, "init": init}
        for i, (init, shape) in enumerate(V2_TENSORS + V2_WIDE_TENSORS)
    ]
    for dtype in DTYPES:
        if dtype == "float64":
            continue  # v2's float64 samplers are v1's (under v2's keys): the schemes cases cover them
        wide = dtype in ("float32", "bfloat16")
        chosen = tensors if wide else tensors[: len(V2_TENSORS)]
        out.append((f"v2-edges-{dtype}", {"seed": 5, "dtype": dtype, "tensors": chosen}))
    # The version written out: the same bytes as leaving it out.
    named = {"seed": 5, "dtype": "float32", "spec": SPEC_V2, "tensors": tensors[:3]}
    out.append(("v2-spec-named", named))
    # Pinning tensorseed-stream/1 inside a v2 world: v1's bytes and v1's canonical recipe (without
    # the spec member), equal to tensorseed-stream-1.json's layers cases.
    return out


def cases(spec: str = SPEC_V1) -> list[tuple[str, dict[str, Any]]]:
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
    if spec == SPEC_V2:
        out.extend(v2_cases())
        for name, recipe in list(out):
            if name.startswith("layers-") and recipe["dtype"] in ("float32", "bfloat16"):
                out.append((f"v1-pinned-{name}", {**recipe, "spec": SPEC_V1}))
    return out


def vector(name: str, recipe: dict[str, Any], spec: str) -> dict[str, Any]:
    plan = build_plan(Recipe.model_validate(recipe).read_as(recipe.get("spec", spec)))
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", choices=SPEC_VERSIONS, default=SPEC_VERSION)
    spec = parser.parse_args().spec
    OUT.mkdir(parents=True, exist_ok=True)
    doc = {"spec_version": spec, "cases": [vector(n, r, spec) for n, r in cases(spec)]}
    target = OUT / (spec.replace("/", "-") + ".json")
    target.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(doc['cases'])} cases to {target}")


if __name__ == "__main__":
    main()

"""The file: loadable by safetensors, reproducible header, and bytes independent of everything
except (seed, name, shape, dtype, init, spec version)."""

from __future__ import annotations

import json
import struct
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from safetensors.numpy import load as load_numpy
from safetensors.torch import load as load_torch

from tensorseed.formats.safetensors import layout
from tensorseed.stream import SPEC_VERSION
from tests.support import file_bytes, plan_of

RECIPE: dict[str, Any] = {
    "seed": 2**64 - 1,
    "dtype": "float32",
    "layers": [
        {"type": "linear", "name": "fc1", "in_features": 19, "out_features": 7},
        {"type": "conv2d", "name": "conv", "in_channels": 3, "out_channels": 5, "kernel_size": 3,
         "init": {"weight": {"scheme": "kaiming_normal", "mode": "fan_out", "nonlinearity": "relu"}}},
        {"type": "embedding", "name": "wörter", "num_embeddings": 9, "embedding_dim": 3, "padding_idx": 0},
    ],
    "tensors": [{"name": "scale", "shape": [3, 1], "init": {"scheme": "constant", "value": 0.5}}],
}  # fmt: skip


def split(data: bytes) -> tuple[dict[str, Any], bytes, int]:
    (n,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8 : 8 + n]), data[8 + n :], n


def test_loads_with_torch_and_numpy() -> None:
    data = file_bytes(RECIPE)
    as_torch = load_torch(data)
    as_numpy = load_numpy(data)
    assert sorted(as_torch) == sorted(as_numpy)
    for name, t in as_torch.items():
        np.testing.assert_array_equal(t.numpy(), as_numpy[name])
    assert as_numpy["scale"].tolist() == [[0.5]] * 3


def test_header_is_canonical_aligned_and_self_describing() -> None:
    data = file_bytes(RECIPE)
    header, body, n = split(data)
    assert n % 8 == 0
    raw = data[8 : 8 + n]
    assert raw == raw.rstrip(b" ") + b" " * (len(raw) - len(raw.rstrip(b" ")))
    assert list(header) == sorted(header, key=lambda k: k.encode("utf-16-be"))
    meta = header.pop("__metadata__")
    assert meta == {
        "format": "pt",
        "tensorseed.recipe": plan_of(RECIPE).canonical_recipe,
        "tensorseed.spec": SPEC_VERSION,
    }
    offset = 0
    for entry in header.values():  # data follows header order without holes
        assert entry["data_offsets"][0] == offset
        offset = entry["data_offsets"][1]
    assert offset == len(body)
    assert len(data) == layout(plan_of(RECIPE)).total_size(plan_of(RECIPE))


def tensor_bytes(data: bytes) -> dict[str, bytes]:
    header, body, _ = split(data)
    header.pop("__metadata__")
    return {k: body[v["data_offsets"][0] : v["data_offsets"][1]] for k, v in header.items()}


def test_reordering_or_adding_layers_leaves_other_tensors_unchanged() -> None:
    base = tensor_bytes(file_bytes(RECIPE))
    reordered = tensor_bytes(file_bytes({**RECIPE, "layers": RECIPE["layers"][::-1]}))
    extra_layer = {"type": "linear", "name": "aaa", "in_features": 3, "out_features": 3}
    added = tensor_bytes(file_bytes({**RECIPE, "layers": [extra_layer, *RECIPE["layers"]]}))
    assert reordered == base
    assert {k: v for k, v in added.items() if not k.startswith("aaa.")} == base


@pytest.mark.parametrize("chunk", [1, 3, 4, 5, 1000, 1 << 20])
def test_chunk_size_does_not_change_bytes(chunk: int) -> None:
    assert file_bytes(RECIPE, chunk_elements=chunk) == file_bytes(RECIPE)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**64 - 1),
    dtype=st.sampled_from(["float32", "float64", "float16", "bfloat16"]),
    scheme=st.sampled_from(
        [{"scheme": "normal"}, {"scheme": "uniform", "a": -1.0}, {"scheme": "trunc_normal", "a": 1.0, "b": 3.0},
         {"scheme": "kaiming_uniform"}]
    ),
    shape=st.lists(st.integers(1, 9), min_size=2, max_size=4),
    chunk=st.integers(1, 50),
)  # fmt: skip
def test_any_chunking_gives_the_same_tensor(
    seed: int, dtype: str, scheme: dict[str, Any], shape: list[int], chunk: int
) -> None:
    recipe = {"seed": seed, "dtype": dtype, "tensors": [{"name": "t", "shape": shape, "init": scheme}]}
    assert file_bytes(recipe, chunk_elements=chunk) == file_bytes(recipe, chunk_elements=10**6)


def test_shape_changes_fill_order_not_values() -> None:
    # Elementwise schemes without fans: element e depends on (seed, name, e) only.
    a = load_numpy(
        file_bytes({"seed": 5, "tensors": [{"name": "t", "shape": [6, 4], "init": {"scheme": "normal"}}]})
    )
    b = load_numpy(
        file_bytes({"seed": 5, "tensors": [{"name": "t", "shape": [24], "init": {"scheme": "normal"}}]})
    )
    np.testing.assert_array_equal(a["t"].reshape(-1), b["t"])

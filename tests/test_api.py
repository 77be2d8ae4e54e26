"""tensorseed.generate / save / stats: the service's bytes and statistics, from Python."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

import tensorseed
from tests.support import file_bytes

RECIPE = {
    "seed": 9,
    "dtype": "bfloat16",
    "layers": [
        {"name": "fc", "type": "Linear", "in_features": 6, "out_features": 5},
        {"name": "bn", "type": "batch_norm1d", "num_features": 5},
        {"name": "emb", "type": "embedding", "num_embeddings": 7, "embedding_dim": 3, "padding_idx": 2},
    ],
    "tensors": [{"name": "e", "shape": [4, 4], "init": {"scheme": "orthogonal"}}],
    "ties": {"head": "emb.weight"},
}


def test_save_writes_the_service_file(tmp_path: Path, client: TestClient) -> None:
    served = client.post("/v1/weights", json=RECIPE)
    assert served.status_code == 200, served.text
    for source in (RECIPE, json.dumps(RECIPE), json.dumps(RECIPE).encode(), tensorseed.parse_recipe(RECIPE)):
        path = tensorseed.save(source, tmp_path / "w.safetensors")
        assert path.read_bytes() == served.content == file_bytes(RECIPE)
    assert not list(tmp_path.glob("*.partial"))


def test_generate_gives_the_file_values() -> None:
    torch = pytest.importorskip("torch")
    from safetensors.torch import load

    arrays = tensorseed.generate(RECIPE)
    file = load(file_bytes(RECIPE))
    assert list(arrays) == [t.name for t in tensorseed.plan(RECIPE).tensors] and set(arrays) == set(file)
    for name, tensor in file.items():
        array = arrays[name]
        if tensor.dtype == torch.bfloat16:
            assert array.dtype == np.float32
            assert torch.equal(torch.from_numpy(array).bfloat16(), tensor), name
        else:
            assert torch.equal(torch.from_numpy(array), tensor), name
    assert arrays["bn.num_batches_tracked"].dtype == np.int64 and arrays["bn.num_batches_tracked"].shape == ()
    assert np.array_equal(arrays["head"], arrays["emb.weight"])


def test_stats_are_the_services(client: TestClient) -> None:
    served = client.post("/v1/stats?bins=8", json=RECIPE).json()
    assert tensorseed.stats(RECIPE, bins=8) == served
    with pytest.raises(ValueError, match="bins"):
        tensorseed.stats(RECIPE, bins=0)


def test_recipes_are_validated_as_the_service_validates_them(client: TestClient) -> None:
    too_big = {"seed": 1, "tensors": [{"name": "t", "shape": [2**16, 2**16], "init": {"scheme": "zeros"}}]}
    with pytest.raises(tensorseed.LimitExceeded, match="per-tensor limit"):
        tensorseed.plan(too_big)
    assert client.post("/v1/weights", json=too_big).status_code == 413
    assert (
        tensorseed.plan(too_big, limits=tensorseed.Limits(max_tensor_elements=2**32)).total_elements == 2**32
    )
    bad = {"seed": 1, "layers": [{"name": "a", "type": "lnear", "in_features": 2, "out_features": 2}]}
    with pytest.raises(tensorseed.InvalidRecipe) as caught:
        tensorseed.generate(bad)
    body = client.post("/v1/weights", json=bad).json()
    assert caught.value.details == body["details"]
    assert str(caught.value) == body["error"]
    assert body["error_type"] == caught.value.error_type == "validation_error"

"""Statistics: sha256 is the hash of the served bytes; observed vs expected are honest."""

from __future__ import annotations

import hashlib
import json
import math
import struct

import pytest

from tensorseed.formats import reduce as reducer
from tensorseed.formats.stats import plan_stats
from tests.support import BACKEND, file_bytes, plan_of

RECIPE = {
    "seed": 77,
    "dtype": "bfloat16",
    "layers": [{"type": "linear", "name": "fc", "in_features": 300, "out_features": 200}],
    "tensors": [
        {
            "name": "tn",
            "shape": [500, 40],
            "init": {"scheme": "trunc_normal", "std": 0.02, "a": -0.04, "b": 0.04},
        },
        {"name": "c", "shape": [3], "init": {"scheme": "constant", "value": 2.0}},
    ],
}


@pytest.mark.parametrize("chunk", [7, 1 << 20])
def test_sha256_equals_the_tensor_slice_of_the_file(chunk: int) -> None:
    data = file_bytes(RECIPE)
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    body = data[8 + n :]
    stats = plan_stats(plan_of(RECIPE), BACKEND, chunk, bins=10)
    for t in stats["tensors"]:
        lo, hi = header[t["name"]]["data_offsets"]
        assert t["sha256"] == hashlib.sha256(body[lo:hi]).hexdigest()
        assert sum(t["histogram"]["counts"]) == t["observed"]["count"] == math.prod(t["shape"])
        assert len(t["histogram"]["edges"]) == 11


def test_observed_matches_expected() -> None:
    stats = {t["name"]: t for t in plan_stats(plan_of(RECIPE), BACKEND, 4096, bins=8)["tensors"]}
    w = stats["fc.weight"]
    assert w["fan_in"] == 300 and w["fan_out"] == 200
    assert w["gain"] == pytest.approx(math.sqrt(2 / 6))
    assert w["expected"]["max"] == pytest.approx(1 / math.sqrt(300))
    assert w["observed"]["max"] <= w["expected"]["max"] * (1 + 2**-8)
    assert w["observed"]["std"] == pytest.approx(w["expected"]["std"], rel=0.02)
    tn = stats["tn"]
    assert tn["expected"]["std"] == pytest.approx(0.02 * 0.8796, rel=1e-3)
    assert tn["observed"]["std"] == pytest.approx(tn["expected"]["std"], rel=0.02)
    # The bounds themselves are rounded to bfloat16 (-0.04 becomes -0.0400390625).
    assert tn["observed"]["min"] >= -0.04 * (1 + 2**-8) and tn["observed"]["max"] <= 0.04 * (1 + 2**-8)
    c = stats["c"]
    assert c["observed"] == {"count": 3, "mean": 2.0, "std": 0.0, "min": 2.0, "max": 2.0}
    assert c["histogram"]["counts"][4] == 3  # numpy's convention for a degenerate range


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_numpy_fallback_gives_the_compiled_reducers_statistics(
    dtype: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the compiled reducer (no compiler at install): the same counts, edges and hashes,
    moments within rounding; float32 chunks are then generated twice instead of kept."""
    if not reducer.AVAILABLE:
        pytest.skip("compiled reducer not built")
    recipe = {"seed": 3, "dtype": dtype, "tensors": [{"name": "w", "shape": [30, 1000], "init": {"scheme": "normal", "std": 0.02}}]}  # fmt: skip
    compiled = plan_stats(plan_of(recipe), BACKEND, 9000, bins=32)["tensors"][0]
    monkeypatch.setattr(reducer, "_module", None)
    monkeypatch.setattr(reducer, "AVAILABLE", False)
    fallback = plan_stats(plan_of(recipe), BACKEND, 9000, bins=32)["tensors"][0]
    assert fallback["histogram"] == compiled["histogram"] and fallback["sha256"] == compiled["sha256"]
    for key in ("count", "min", "max"):
        assert fallback["observed"][key] == compiled["observed"][key]
    for key in ("mean", "std"):
        assert fallback["observed"][key] == pytest.approx(compiled["observed"][key], rel=1e-12, abs=1e-15)

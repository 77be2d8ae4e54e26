"""The compiled statistics reducer against numpy (the readable definition), on every float dtype."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tensorseed.formats import reduce as reducer
from tensorseed.formats.stats import _edges, plan_stats
from tensorseed.stream.dtypes import DType, decode_to_float64
from tests.support import BACKEND, plan_of

FLOATS = [DType.float32, DType.float64, DType.float16, DType.bfloat16]
BITS = {DType.float32: "<u4", DType.float64: "<u8", DType.float16: "<u2", DType.bfloat16: "<u2"}


def random_bytes(dtype: DType, n: int, seed: int) -> bytes:
    """Random bit patterns (NaNs replaced by 0) plus zeros, infinities and subnormals."""
    rng = np.random.default_rng(seed)
    width = 8 * dtype.itemsize
    bits = rng.integers(0, 2**width, size=n, dtype=np.uint64).astype(BITS[dtype])
    with np.errstate(invalid="ignore"):  # signalling NaN patterns, replaced just below
        values = decode_to_float64(bits.tobytes(), dtype)
    bits[np.isnan(values)] = 0
    special = {DType.float32: [0x80000000, 0x7F800000, 0x00000001, 0x807FFFFF],
               DType.float64: [0x8000000000000000, 0x7FF0000000000000, 1, 0x800FFFFFFFFFFFFF],
               DType.float16: [0x8000, 0x7C00, 0x0001, 0x83FF], DType.bfloat16: [0x8000, 0x7F80, 0x0001, 0x807F]}[dtype]  # fmt: skip
    bits[: len(special)] = special
    return bits.tobytes()


def finite_bytes(dtype: DType, n: int, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    values = rng.standard_normal(n) * 3.0
    values[:6] = [0.0, -0.0, 1e-42, -1e-42, 3.0, -3.0]
    if dtype is DType.bfloat16:
        f32 = values.astype("<f4").view("<u4")
        return (f32 >> np.uint32(16)).astype("<u2").tobytes()
    return values.astype({DType.float32: "<f4", DType.float64: "<f8", DType.float16: "<f2"}[dtype]).tobytes()


pytestmark = pytest.mark.skipif(not reducer.AVAILABLE, reason="compiled reducer not built")


@pytest.mark.parametrize("dtype", FLOATS)
def test_reduce_equals_numpy(dtype: DType) -> None:
    raw = finite_bytes(dtype, 10_007, seed=1)
    x = decode_to_float64(raw, dtype)
    keys = np.zeros(reducer.KEYS, np.uint64)
    got = reducer.reduce(raw, dtype, keys)
    assert got.elements == x.size and got.low == x.min() and got.high == x.max()
    assert got.mean == pytest.approx(float(x.mean()), rel=1e-13, abs=1e-15)
    assert got.m2 == pytest.approx(float(((x - x.mean()) ** 2).sum()), rel=1e-12)
    expected_keys = np.bincount(reducer.order_keys(raw, dtype).astype(np.intp), minlength=reducer.KEYS)
    assert np.array_equal(keys, expected_keys.astype(np.uint64))


@pytest.mark.parametrize("dtype", FLOATS)
def test_keys_are_monotone_and_invert(dtype: DType) -> None:
    raw = random_bytes(dtype, 20_000, seed=2)
    x = decode_to_float64(raw, dtype)
    keys = reducer.order_keys(raw, dtype).astype(np.int64)
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(keys[order]) >= 0)  # the key never decreases as the value grows
    low = reducer.key_values(keys, dtype, low_end=True)
    high = reducer.key_values(keys, dtype, low_end=False)
    assert np.all((low <= x) & (x <= high))


@pytest.mark.parametrize("dtype", FLOATS)
def test_histogram_equals_numpy_including_values_on_edges(dtype: DType) -> None:
    raw = finite_bytes(dtype, 4_099, seed=3)
    x = decode_to_float64(raw, dtype)
    for bins in (1, 7, 32):
        edges = _edges(float(x.min()), float(x.max()), bins)
        counts = np.zeros(bins, np.int64)
        reducer.histogram(raw, dtype, edges, counts)
        assert np.array_equal(counts, np.histogram(x, bins=edges)[0])
    # values sitting exactly on edges, and outside them
    edges = np.array([-3.0, -1.0, 0.0, 1.0, 3.0])
    inside = np.array([-3.0, -1.0, 0.0, 1.0, 3.0, 5.0, -5.0, 0.5])
    data = inside.astype("<f8").tobytes()
    counts = np.zeros(4, np.int64)
    reducer.histogram(data, DType.float64, edges, counts)
    assert counts.tolist() == np.histogram(inside, bins=edges)[0].tolist() == [1, 1, 2, 2]


# Chunks of at least 8192 elements take the reducer's bulk paths (one-pass sums, key-bucket bins).
BULK = 100_003


@pytest.mark.parametrize("dtype", FLOATS)
def test_bulk_reduce_equals_numpy(dtype: DType) -> None:
    raw = finite_bytes(dtype, BULK, seed=4)
    x = decode_to_float64(raw, dtype)
    got = reducer.reduce(raw, dtype, None)
    assert got.elements == x.size and got.low == x.min() and got.high == x.max()
    assert got.mean == pytest.approx(float(x.mean()), rel=1e-13, abs=1e-15)
    assert got.m2 == pytest.approx(float(((x - x.mean()) ** 2).sum()), rel=1e-12)


@pytest.mark.parametrize("dtype", [DType.float32, DType.float64])
def test_bulk_reduce_of_a_constant_is_exact(dtype: DType) -> None:
    raw = np.full(BULK, 0.1, dtype={DType.float32: "<f4", DType.float64: "<f8"}[dtype]).tobytes()
    got = reducer.reduce(raw, dtype, None)
    assert got.mean == decode_to_float64(raw[: dtype.itemsize], dtype)[0] and got.m2 == 0.0


@pytest.mark.parametrize("dtype", FLOATS)
def test_bulk_histogram_equals_numpy(dtype: DType) -> None:
    raw = finite_bytes(dtype, BULK, seed=5)
    x = decode_to_float64(raw, dtype)
    for bins in (1, 7, 32, 1024):
        edges = _edges(float(x.min()), float(x.max()), bins)
        counts = np.zeros(bins, np.int64)
        reducer.histogram(raw, dtype, edges, counts)
        table = reducer.bin_table(dtype, edges)  # built once per tensor, used for every chunk
        reducer.histogram(raw[: 8192 * dtype.itemsize], dtype, edges, counts, table)
        expected = np.histogram(x, bins=edges)[0] + np.histogram(x[:8192], bins=edges)[0]
        assert np.array_equal(counts, expected), bins
    # every bit pattern but NaN, over edges inside the values: outside ones and infinities uncounted
    raw = random_bytes(dtype, BULK, seed=6)
    x = decode_to_float64(raw, dtype)
    for edges in (np.linspace(-3.0, 3.0, 17), np.array([-1e-30, 0.0, 1e-30]), np.array([1.0, 1e30])):
        counts = np.zeros(len(edges) - 1, np.int64)
        reducer.histogram(raw, dtype, edges, counts)
        assert np.array_equal(counts, np.histogram(x, bins=edges)[0])


def test_small_chunks_with_a_table_and_tables_that_do_not_fit_the_bins() -> None:
    raw = finite_bytes(DType.float32, 1000, seed=8)  # below the bulk size: the table still serves
    x = decode_to_float64(raw, DType.float32)
    edges = np.linspace(-4.0, 4.0, 11)
    table = reducer.bin_table(DType.float32, edges)
    assert table is not None and len(table) > 4 * reducer.KEYS  # straddling buckets are split
    counts = np.zeros(10, np.int64)
    reducer.histogram(raw, DType.float32, edges, counts, table)
    assert np.array_equal(counts, np.histogram(x, bins=edges)[0])
    # a table naming a bin past the counts, or a sub-table it does not have, is refused
    entries = np.frombuffer(table, np.int32).copy()
    for bad in (11, -2 - (len(entries) - reducer.KEYS) // 256):
        corrupt = entries.copy()
        corrupt[123] = bad
        with pytest.raises(ValueError, match="bin_table"):
            reducer.histogram(raw, DType.float32, edges, counts, corrupt.tobytes())
    with pytest.raises(ValueError, match="bin_table"):
        reducer.histogram(raw, DType.float32, edges, counts, table[:-4])
    with pytest.raises(ValueError, match="bin_table"):  # a table for fewer bins than these
        reducer.histogram(raw, DType.float32, np.linspace(-4.0, 4.0, 3), np.zeros(2, np.int64), table)


def test_avx2_and_generic_code_give_the_same_bits() -> None:
    """The AVX2 sums and the portable ones add the same numbers in the same order."""
    script = (
        "import json, sys; import numpy as np\n"
        "from tensorseed.formats import reduce as r\n"
        "from tensorseed.stream.dtypes import DType\n"
        "rng = np.random.default_rng(7); x = rng.standard_normal(50_001) * 0.02 + 0.5\n"
        "out = [r.reduce(x.astype(f).tobytes(), d, None) for f, d in (('<f4', DType.float32), ('<f8', DType.float64))]\n"
        "print(json.dumps([[float.hex(float(v)) for v in m] for m in out]))\n"
    )
    runs = []
    for flag in ("0", "1"):
        env = {**os.environ, "TENSORSEED_REDUCE_GENERIC": flag}
        runs.append(
            subprocess.run(
                [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
            ).stdout
        )
    assert json.loads(runs[0]) == json.loads(runs[1])


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
@pytest.mark.parametrize(
    ("chunk", "keep_bytes"), [(997, 1 << 30), (1 << 20, 1 << 30), (9000, 0), (9000, 80_000)]
)
def test_stats_histograms_equal_numpy_on_the_served_values(dtype: str, chunk: int, keep_bytes: int) -> None:
    """Kept chunks, generated-again chunks (keep_bytes), small and bulk chunks: numpy's counts."""
    recipe = {"seed": 9, "dtype": dtype, "layers": [{"type": "linear", "name": "fc", "in_features": 60, "out_features": 50}],
              "tensors": [{"name": "n", "shape": [3000], "init": {"scheme": "normal", "std": 0.02}},
                          {"name": "big", "shape": [41, 1000], "init": {"scheme": "normal", "std": 0.02}},
                          {"name": "c", "shape": [10], "init": {"scheme": "constant", "value": 1.5}}]}  # fmt: skip
    plan = plan_of(recipe)
    stats = {
        t["name"]: t for t in plan_stats(plan, BACKEND, chunk, bins=16, keep_bytes=keep_bytes)["tensors"]
    }
    for tensor in plan.tensors:
        x = decode_to_float64(BACKEND.fill(tensor, 0, tensor.numel), tensor.dtype)
        got = stats[tensor.name]
        edges = np.array(got["histogram"]["edges"])
        assert np.array_equal(edges, _edges(float(x.min()), float(x.max()), 16))
        assert got["histogram"]["counts"] == np.histogram(x, bins=edges)[0].tolist()
        assert got["observed"]["std"] == pytest.approx(float(x.std()), rel=1e-12, abs=1e-300)

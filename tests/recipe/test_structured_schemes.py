"""Orthogonal, sparse, eye, dirac, delta_orthogonal, ZerO, IRNN and gate biases: their defining
properties, equality with torch where torch is deterministic, and seekability (any chunk equals the
same slice of the whole tensor)."""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from scipy import linalg, stats

from tests.support import BACKEND, one_tensor, plan_of, tensor, values

ROOT = Path(__file__).resolve().parents[2]
#: The documented bound (spec 6.3): max |W W^T - gain^2 I| <= gain^2 * 16 * k * u, k the matrix's
#: longer side, u the unit roundoff of the output dtype (2^-24 float32, 2^-53 float64).
BOUND_FACTOR = 16


def draw(
    init: dict[str, Any], shape: list[int], dtype: str = "float64", seed: int = 7, **kw: Any
) -> np.ndarray:
    return values(plan_of({**one_tensor(init, shape, dtype, seed), **kw}), "t").reshape(shape)


def chunked(init: dict[str, Any], shape: list[int], chunk: int, **kw: Any) -> bytes:
    t = tensor(plan_of({**one_tensor(init, shape, "float32", 7), **kw}), "t")
    return b"".join(BACKEND.fill(t, s, min(chunk, t.numel - s)) for s in range(0, t.numel, chunk))


def whole(init: dict[str, Any], shape: list[int], **kw: Any) -> bytes:
    t = tensor(plan_of({**one_tensor(init, shape, "float32", 7), **kw}), "t")
    return BACKEND.fill(t, 0, t.numel)


# ---- orthogonal ----


def gram_error(w: np.ndarray, gain: float) -> float:
    """max |W W^T - gain^2 I| over the smaller Gram matrix."""
    g = w @ w.T if w.shape[0] <= w.shape[1] else w.T @ w
    return float(np.abs(g - gain * gain * np.eye(g.shape[0])).max())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    ("shape", "gain"), [([64, 300], 1.0), ([300, 64], 2.0), ([16, 4, 3, 3], 1.0), ([128, 128], 0.5)]
)
def test_orthogonal_torch_rows_within_the_documented_bound(shape: list[int], gain: float, dtype: str) -> None:
    w = draw({"scheme": "orthogonal", "gain": gain}, shape, dtype).reshape(shape[0], -1)
    unit = 2.0**-24 if dtype == "float32" else 2.0**-53
    assert gram_error(w, gain) <= gain * gain * BOUND_FACTOR * max(w.shape) * unit


@pytest.mark.parametrize(
    ("shape", "axis", "convention"),
    [
        ([300, 64], None, "keras"),
        ([64, 300], -1, "jax"),
        ([3, 3, 8, 16], -1, "jax"),
        ([3, 3, 8, 16], 0, "jax"),
    ],
)
def test_orthogonal_jax_keras_columns(shape: list[int], axis: int | None, convention: str) -> None:
    init: dict[str, Any] = {"scheme": "orthogonal", "convention": convention}
    if axis is not None:
        init["column_axis"] = axis
    w = draw(init, shape)
    col = -1 if axis is None else axis
    m = np.moveaxis(w, col, -1).reshape(-1, shape[col])
    assert gram_error(m, 1.0) <= BOUND_FACTOR * max(m.shape) * 2.0**-53
    if m.shape[0] >= m.shape[1]:  # columns orthonormal: W^T W = I
        assert np.allclose(m.T @ m, np.eye(m.shape[1]), atol=1e-12)


def test_orthogonal_rows_vs_columns_differ_as_the_libraries_do() -> None:
    torch_w = draw({"scheme": "orthogonal"}, [8, 2, 3])  # rows of (8, 6): 8 > 6, so W^T W = I (6 x 6)
    jax_w = draw({"scheme": "orthogonal", "convention": "jax"}, [8, 2, 3])  # columns of (16, 3): W^T W = I
    assert np.allclose(torch_w.reshape(8, 6).T @ torch_w.reshape(8, 6), np.eye(6), atol=1e-12)
    assert np.allclose(jax_w.reshape(16, 3).T @ jax_w.reshape(16, 3), np.eye(3), atol=1e-12)


def test_orthogonal_entries_have_the_haar_moments() -> None:
    n, gain = 1000, 3.0
    w = draw({"scheme": "orthogonal", "gain": gain}, [n, n])
    std = gain / math.sqrt(n)  # entries of a Haar orthogonal matrix are close to N(0, 1/n)
    assert abs(w.mean()) < 6 * std / n
    assert math.sqrt((w * w).mean()) == pytest.approx(std, rel=1e-12)  # sum of squares = n * gain^2
    assert stats.kstest(w.reshape(-1) / std, stats.norm.cdf).pvalue > 1e-3


SNIPPET = """
import hashlib, sys
from tests.support import BACKEND, one_tensor, plan_of, tensor
t = tensor(plan_of(one_tensor({"scheme": "orthogonal"}, [96, 200], "float32", 7)), "t")
sys.stdout.write(hashlib.sha256(BACKEND.fill(t, 0, t.numel)).hexdigest())
"""


def test_orthogonal_bytes_repeat_across_runs_processes_threads_and_chunks() -> None:
    init = {"scheme": "orthogonal"}
    mine = hashlib.sha256(whole(init, [96, 200])).hexdigest()
    assert chunked(init, [96, 200], 1234) == whole(init, [96, 200])
    for threads in ("1", "2"):
        env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": threads}
        out = subprocess.run(
            [sys.executable, "-c", SNIPPET], env=env, cwd=ROOT, capture_output=True, check=True
        )
        assert out.stdout.decode() == mine


# ---- sparse ----


@pytest.mark.parametrize("sparsity", [0.0, 0.1, 0.5, 0.93, 0.999])
def test_sparse_has_exactly_ceil_sparsity_rows_zeros_in_every_column(sparsity: float) -> None:
    rows, cols = 257, 300
    w = draw({"scheme": "sparse", "sparsity": sparsity, "std": 0.5}, [rows, cols])
    assert np.all((w == 0).sum(axis=0) == math.ceil(sparsity * rows))


def test_sparse_values_and_zero_positions_are_well_distributed_and_seekable() -> None:
    rows, cols = 1000, 1000
    w = draw({"scheme": "sparse", "sparsity": 0.3, "std": 0.02}, [rows, cols])
    kept = w[w != 0]
    assert kept.size == rows * cols - 300 * cols
    assert stats.kstest(kept, stats.norm(scale=0.02).cdf).pvalue > 1e-3
    # Each row is zeroed in about 30% of the columns (binomial, n = 1000): within 6 sigma.
    per_row = (w == 0).mean(axis=1)
    assert np.abs(per_row - 0.3).max() < 6 * math.sqrt(0.3 * 0.7 / cols)
    # Columns choose different rows.
    assert len({tuple(np.flatnonzero(w[:, j] == 0)[:5]) for j in range(50)}) == 50
    init = {"scheme": "sparse", "sparsity": 0.4}
    assert chunked(init, [37, 53], 97) == whole(init, [37, 53])


# ---- eye, IRNN, dirac, delta_orthogonal, ZerO, gate bias ----


@pytest.mark.parametrize("shape", [[3, 5], [5, 3], [4, 4]])
def test_eye_equals_torch_eye_and_keras_identity_gain(shape: list[int]) -> None:
    expected = torch.nn.init.eye_(torch.empty(*shape, dtype=torch.float64)).numpy()
    assert np.array_equal(draw({"scheme": "eye"}, shape), expected)
    assert np.array_equal(draw({"scheme": "identity", "gain": 0.5}, shape), 0.5 * expected)
    if shape[0] == shape[1]:
        assert np.array_equal(draw({"scheme": "irnn", "gain": 0.01}, shape), 0.01 * expected)


@pytest.mark.parametrize(
    ("shape", "groups"),
    [([4, 4, 3], 1), ([4, 4, 4], 1), ([6, 3, 3, 4], 2), ([8, 2, 2, 3, 5], 4), ([3, 5, 2, 2], 1)],
)
def test_dirac_equals_torch_dirac_for_odd_and_even_kernels(shape: list[int], groups: int) -> None:
    expected = torch.nn.init.dirac_(torch.empty(*shape, dtype=torch.float64), groups).numpy()
    got = draw({"scheme": "dirac", "groups": groups}, shape)
    assert np.array_equal(got, expected)
    centre = tuple(k // 2 for k in shape[2:])  # torch: k // 2, so 2 for k = 4 and 1 for k = 3
    assert np.all(got[(slice(None), slice(None), *centre)].sum() == got.sum())
    # Channels-last (keras/flax) layout: the same taps, with (*k, in, out) axes.
    cl = [*shape[2:], shape[1], shape[0]]
    got_cl = draw({"scheme": "dirac", "groups": groups}, cl, convention="keras")
    assert np.array_equal(got_cl, np.transpose(expected, (*range(2, len(shape)), 1, 0)))


@pytest.mark.parametrize("kernel", [[3], [4], [3, 4], [2, 5, 4]])
@pytest.mark.parametrize("convention", ["jax", "torch"])
def test_delta_orthogonal_centre_tap_is_k_minus_1_halved(kernel: list[int], convention: str) -> None:
    cin, cout = 3, 5
    shape = [*kernel, cin, cout] if convention == "jax" else [cout, cin, *kernel]
    w = draw({"scheme": "delta_orthogonal", "gain": 2.0}, shape, convention=convention)
    centre = tuple((k - 1) // 2 for k in kernel)  # JAX: (k - 1) // 2, so 1 for k = 3 and k = 4
    if convention == "jax":
        m = w[centre]  # (in, out): orthonormal rows times the gain
        rest = w.copy()
        rest[centre] = 0
        assert np.allclose(m @ m.T, 4.0 * np.eye(cin), atol=1e-12)
    else:
        m = w[(slice(None), slice(None), *centre)]  # (out, in): orthonormal columns
        rest = w.copy()
        rest[(slice(None), slice(None), *centre)] = 0
        assert np.allclose(m.T @ m, 4.0 * np.eye(cin), atol=1e-12)
    assert np.all(rest == 0)
    init = {"scheme": "delta_orthogonal"}
    assert chunked(init, shape, 7, convention=convention) == whole(init, shape, convention=convention)


@pytest.mark.parametrize(("out_f", "in_f"), [(4, 4), (3, 7), (7, 3), (9, 2), (16, 5)])
def test_zero_matches_the_authors_identity_and_hadamard(out_f: int, in_f: int) -> None:
    if out_f <= in_f:
        expected = np.eye(out_f, in_f)
    else:
        p = 2 ** math.ceil(math.log2(out_f))
        expected = linalg.hadamard(p)[:out_f, :in_f] / math.sqrt(p)
    assert np.array_equal(draw({"scheme": "zero"}, [out_f, in_f]), expected)
    # Keras/Flax kernels are (in, out) and hold the transpose.
    assert np.array_equal(draw({"scheme": "zero"}, [in_f, out_f], convention="flax"), expected.T)


def test_lstm_forget_bias_sets_the_second_quarter() -> None:
    b = draw({"scheme": "lstm_forget_bias"}, [20])
    assert np.array_equal(b, np.r_[np.zeros(5), np.ones(5), np.zeros(10)])


def test_structured_expected_moments_match_what_is_generated() -> None:
    from tensorseed.formats.stats import expected

    cases: list[tuple[dict[str, Any], list[int]]] = [
        ({"scheme": "eye", "gain": 2.0}, [30, 50]),
        ({"scheme": "dirac", "groups": 2}, [8, 4, 3, 3]),
        ({"scheme": "zero"}, [37, 11]),
        ({"scheme": "lstm_forget_bias", "value": 3.0}, [40]),
        ({"scheme": "orthogonal", "gain": 1.5}, [40, 70]),
    ]
    for init, shape in cases:
        t = tensor(plan_of(one_tensor(init, shape, "float64")), "t")
        x = values(plan_of(one_tensor(init, shape, "float64")), "t")
        e = expected(t.sampler)
        if init["scheme"] == "orthogonal":  # promised: mean 0, so the std is the root mean square
            assert e["std"] == pytest.approx(math.sqrt((x * x).mean()), rel=1e-9), init
        else:
            assert e["std"] == pytest.approx(x.std(), rel=1e-9, abs=1e-12), init
            assert e["mean"] == pytest.approx(x.mean(), rel=1e-9, abs=1e-15), init
            assert (e["min"], e["max"]) == (x.min(), x.max()), init


def test_sparse_mask_follows_the_spec_text_one_element_at_a_time() -> None:
    """An independent, scalar reading of spec section 6.2 (Feistel + cycle walking)."""
    from tensorseed.stream.key import stream_key
    from tensorseed.stream.words import stream_words

    rows, cols, sparsity, seed = 23, 7, 0.4, 7
    mask_key = stream_key(seed, "t\u0000sparse")
    h = max(1, ((rows - 1).bit_length() + 1) // 2)
    m = (1 << h) - 1

    def feistel(j: int, x: int) -> int:
        left, right = x >> h, x & m
        for r in range(4):
            f = int(stream_words(mask_key, ((j * 4 + r) << h) + right, 1)[0]) & m
            left, right = right, left ^ f
        return (left << h) | right

    def pi(j: int, i: int) -> int:
        x = feistel(j, i)
        while x >= rows:
            x = feistel(j, x)
        return x

    zeros = math.ceil(sparsity * rows)
    w = draw({"scheme": "sparse", "sparsity": sparsity}, [rows, cols], seed=seed)
    expected_zero = np.array([[pi(j, i) < zeros for j in range(cols)] for i in range(rows)])
    assert np.array_equal(w == 0, expected_zero)


@pytest.mark.parametrize(
    ("init", "shape", "convention"),
    [
        ({"scheme": "eye"}, [9, 13], "torch"),
        ({"scheme": "dirac", "groups": 2}, [6, 3, 3, 4], "torch"),
        ({"scheme": "dirac"}, [3, 4, 3, 5], "keras"),
        ({"scheme": "zero"}, [19, 5], "torch"),
        ({"scheme": "zero"}, [5, 19], "flax"),
        ({"scheme": "lstm_forget_bias"}, [36], "torch"),
        ({"scheme": "sparse", "sparsity": 0.7}, [40, 9], "torch"),
        ({"scheme": "orthogonal"}, [5, 2, 7], "jax"),
    ],
)
def test_every_position_defined_sampler_is_seekable(
    init: dict[str, Any], shape: list[int], convention: str
) -> None:
    full = whole(init, shape, convention=convention)
    for chunk in (1, 5, 64):
        assert chunked(init, shape, chunk, convention=convention) == full

"""The compiled CPU kernel gives the reference's bytes for every sampler, dtype, range and thread count.

The reference (numpy samplers + round_to_dtype) is the definition; these tests hold the kernel to
it bit for bit on the places where a fast path could drift: starts inside a Philox block of 4,
chunk edges, the normal's tail branches, dtype rounding edges, thread splits and zeroed rows.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tensorseed.engine.backend import KernelBackend, ReferenceBackend
from tensorseed.formats.safetensors import iter_file
from tensorseed.recipe.fans import Fans
from tensorseed.recipe.plan import TensorPlan
from tensorseed.stream import kernel
from tensorseed.stream.dtypes import DType
from tensorseed.stream.key import stream_key
from tensorseed.stream.samplers import (
    Constant,
    Normal,
    Normal32,
    Sampler,
    TruncNormal,
    TruncNormal32,
    Uniform,
    Uniform32,
    spec_max,
    spec_min,
)
from tensorseed.stream.words import stream_words
from tests.kernel_required import require_kernel
from tests.support import FLOAT_DTYPES, plan_of

pytestmark = pytest.mark.usefixtures("_kernel_built")

REFERENCE = ReferenceBackend()
ROOT = Path(__file__).resolve().parents[2]
SEEDS = [0, 2**64 - 1, 20240917]
SAMPLERS: dict[str, Sampler] = {
    "constant": Constant(0.3),
    "uniform": Uniform(-0.0625, 0.0625),
    "uniform_wide": Uniform(-3.0, 7.5),
    "normal": Normal(0.0, 1.0),
    "normal_shifted": Normal(-2.5, 0.02),
    "trunc_normal": TruncNormal(0.0, 1.0, -2.0, 2.0, -2.0, 2.0),
    "trunc_normal_half": TruncNormal(0.0, 1.0, 0.0, 3.0, 0.0, 3.0),
    "trunc_normal_right_tail": TruncNormal(1.0, 2.0, 5.0, 6.0, 11.0, 13.0),  # mirrored (flip)
    "trunc_normal_far_tail": TruncNormal(0.0, 1.0, 7.0, 8.0, 7.0, 8.0),  # ndtri's r > 5 branch
    "trunc_normal_near_one": TruncNormal(0.0, 1.0, -1.0, 8.5, -1.0, 8.5),  # CDF values round to 1
    "trunc_normal_left": TruncNormal(0.5, 0.25, -9.0, -7.5, -1.75, -1.375),
}


def trunc32(a: float, b: float, mean: float = 0.0, std: float = 1.0) -> TruncNormal32:
    return TruncNormal32(mean, std, a, b, mean + std * a, mean + std * b)


#: tensorseed-stream/2's binary32 samplers (float32, float16 and bfloat16 outputs only), in every
#: regime of the spec's section 15: both paths, one-sided and straddling intervals, tail lanes
#: mixed with central ones, all-tail tensors in log space, saturated scalars.
SAMPLERS32: dict[str, Sampler] = {
    "uniform32": Uniform32(-0.0625, 0.0625),
    "uniform32_wide": Uniform32(-3.0, 7.5),
    "uniform32_point": Uniform32(7.0, 7.0),
    "normal32": Normal32(0.0, 1.0),
    "normal32_shifted": Normal32(-2.5, 0.02),
    "normal32_subnormal_std": Normal32(0.0, 1e-40),
    "normal32_saturated": Normal32(3e38, 1e39),
    "trunc32": trunc32(-2.0, 2.0),
    "trunc32_wide": trunc32(-3.0, 3.0),  # tail lanes beyond 2.886 sigma, mixed with central ones
    "trunc32_asymmetric": trunc32(-1.0, 6.0),
    "trunc32_half": trunc32(0.0, 3.0),
    "trunc32_lower_half": trunc32(-3.0, 0.0),
    "trunc32_right_tail": trunc32(5.0, 6.0, 1.0, 2.0),  # mirrored, one-sided, all tail lanes
    "trunc32_left_tail": trunc32(-9.0, -7.5, 0.5, 0.25),
    "trunc32_far": trunc32(8.0, 30.0),
    "trunc32_underflow": trunc32(14.0, 15.0),  # Phi below binary32's normal range
    "trunc32_w_zero": trunc32(30.0, 37.0),  # W rounds to 0 in binary32
    "trunc32_narrow": trunc32(-2.0, -1.9999),
    "trunc32_untruncated": trunc32(-100.0, 100.0),  # Phi(-100) = 0: the normal, clamped
    "trunc32_huge": TruncNormal32(1e38, 3e38, -4.0 / 3.0, 2.0 / 3.0, -3e38, 3e38),
}
BINARY32_DTYPES = [DType.float32, DType.float16, DType.bfloat16]


@pytest.fixture
def _kernel_built() -> None:
    require_kernel()


def tensor_plan(sampler: Sampler, dtype: DType, seed: int = 0, shape: tuple[int, ...] = (1 << 20,),
                name: str = "t", zero_row: int | None = None) -> TensorPlan:  # fmt: skip
    return TensorPlan(
        name=name,
        shape=shape,
        dtype=dtype,
        scheme="test",
        sampler=sampler,
        key=stream_key(seed, name),
        fans=Fans(None, None),
        gain=None,
        zero_row=zero_row,
    )


def assert_same(tensor: TensorPlan, start: int, count: int, threads: int = 1) -> None:
    got = KernelBackend(threads).fill(tensor, start, count)
    with np.errstate(over="ignore"):  # the edge cases include values that round to infinity
        want = REFERENCE.fill(tensor, start, count)
    if got != want:
        size = tensor.dtype.itemsize
        first = next(i for i in range(0, len(want), size) if got[i : i + size] != want[i : i + size])
        pytest.fail(
            f"{tensor.sampler} {tensor.dtype.value} [{start}, +{count}) threads={threads}: first "
            f"difference at element {start + first // size}: {got[first : first + size].hex()} "
            f"!= {want[first : first + size].hex()}"
        )


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_every_sampler_and_dtype_on_blocks_and_edges(name: str, dtype: DType) -> None:
    sampler = SAMPLERS[name]
    for seed in SEEDS:
        tensor = tensor_plan(sampler, dtype, seed)
        # starts 0..3 inside a Philox block, odd counts, a range crossing the kernel's 512-batch
        for start, count in [(0, 1), (1, 3), (2, 5), (3, 4), (5, 1031), (509, 7), (4093, 2050)]:
            assert_same(tensor, start, count)


#: Ranges for the v2 samplers: starts inside a Philox block, batch (512) edges, and with (3, 589)
#: and (6, 77) a last batch whose whole 8-lane vectors are not a multiple of the AVX2 loops' 8
#: vectors side by side, then a scalar remainder.
V2_EDGES = [(0, 1), (1, 3), (2, 5), (3, 4), (5, 1031), (509, 7), (4093, 2050), (3, 589), (6, 77)]


@pytest.mark.parametrize("dtype", BINARY32_DTYPES)
@pytest.mark.parametrize("name", sorted(SAMPLERS32))
def test_every_v2_sampler_and_dtype_on_blocks_and_edges(name: str, dtype: DType) -> None:
    sampler = SAMPLERS32[name]
    for seed in SEEDS:
        tensor = tensor_plan(sampler, dtype, seed)
        for start, count in V2_EDGES:
            assert_same(tensor, start, count)


@pytest.mark.parametrize(
    ("spec", "dtype", "std"),
    [("tensorseed-stream/2", "float32", 1e-45), ("tensorseed-stream/1", "float64", 5e-324),
     ("tensorseed-stream/1", "float32", 1e-45)],
)  # fmt: skip
def test_clamps_that_tie_minus_zero_with_plus_zero_keep_minus_zero(spec: str, dtype: str, std: float) -> None:
    """mean -0.0, b = 0 and a tiny std: x = -0.0 + std * z rounds to -0.0 and meets high = +0.0,
    where the spec's min(a, b) = (a <= b) ? a : b keeps -0.0. numpy's minimum gives +0.0 there:
    the reference used it and differed from the kernel and both ports (found by the ports'
    random conformance test)."""
    init = {"scheme": "trunc_normal", "b": 0.0, "mean": -0.0, "std": std}
    tensor = plan_of({"seed": 0, "spec": spec, "dtype": dtype,
                      "tensors": [{"name": "w", "shape": [4096], "init": init}]}).tensors[0]  # fmt: skip
    values = np.frombuffer(REFERENCE.fill(tensor, 0, 4096), dtype)
    zeros = values == 0
    assert zeros.sum() > 100 and np.signbit(values[zeros]).all()
    assert_same(tensor, 0, 4096)


def test_spec_min_and_max_keep_their_first_argument_on_ties() -> None:
    a, b = np.array([-0.0, 0.0, 1.0, 2.0]), np.array([0.0, -0.0, 2.0, 1.0])
    assert np.signbit(spec_min(a, b)).tolist() == [True, False, False, False]
    assert spec_min(a, b)[2:].tolist() == [1.0, 1.0] and spec_max(a, b)[2:].tolist() == [2.0, 2.0]
    assert np.signbit(spec_max(a, b)).tolist() == [True, False, False, False]
    assert spec_min(np.float32([-0.0]), np.float32(0.0)).dtype == np.float32


@pytest.mark.parametrize("name", ["normal32", "trunc32_wide", "trunc32_far"])
def test_v2_tail_words_in_bulk(name: str) -> None:
    # 2^20 elements: about 4000 normal tail words (1 in 256) and their batch positions.
    assert_same(tensor_plan(SAMPLERS32[name], DType.float32, 13), 0, 1 << 20, threads=2)


def test_v2_kernel_refuses_float64_and_scalars_that_are_not_bit_patterns() -> None:
    key = stream_key(0, "t")
    with pytest.raises(ValueError, match="float64"):
        kernel.generate(Normal32(0.0, 1.0), key, 0, 4, DType.float64)
    kind, params = kernel.sampler_args(Normal32(0.0, 1.0))
    assert params[:2] == (0, 0x3F800000)  # r32(mean), r32(std) as bits
    from tensorseed.stream import _kernel  # type: ignore[attr-defined]

    for bad in ((0.1, *params[1:]), (1 << 32, *params[1:])):
        with pytest.raises(ValueError, match="bit patterns"):
            _kernel.generate(kind, bad, (1, 2, 3, 4), 0, 4, 0, 0, 0, 1)


def test_flush_to_zero_set_elsewhere_does_not_change_bytes() -> None:
    # torch.set_flush_denormal sets FTZ/DAZ on the calling thread; the kernel must not inherit it.
    torch = pytest.importorskip("torch")
    tensor = tensor_plan(SAMPLERS32["normal32_subnormal_std"], DType.float32, 5)
    want = REFERENCE.fill(tensor, 0, 5000)  # computed with IEEE subnormals
    assert any(0 < abs(v) < 1.1754943508222875e-38 for v in struct.unpack("<5000f", want))
    if not torch.set_flush_denormal(True):
        pytest.skip("this CPU has no flush-to-zero mode to set")
    try:
        got = kernel.generate(tensor.sampler, tensor.key, 0, 5000, DType.float32, None, 1)
    finally:
        torch.set_flush_denormal(False)
    assert got == want


@pytest.mark.parametrize("name", ["uniform", "normal", "trunc_normal", "trunc_normal_right_tail"])
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_thread_splits_give_the_same_bytes(name: str, threads: int) -> None:
    # Large enough that the kernel really starts `threads` threads, odd so splits are uneven.
    for dtype in (DType.float32, DType.bfloat16, DType.float64):
        assert_same(tensor_plan(SAMPLERS[name], dtype, 7), 3, 100_003, threads)


@pytest.mark.parametrize("name", ["uniform32", "normal32", "trunc32", "trunc32_asymmetric", "trunc32_far"])
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_v2_thread_splits_give_the_same_bytes(name: str, threads: int) -> None:
    for dtype in (DType.float32, DType.float16, DType.bfloat16):
        assert_same(tensor_plan(SAMPLERS32[name], dtype, 7), 3, 100_003, threads)


def test_high_block_counter_word_and_carry() -> None:
    # Elements whose Philox block index crosses 2^32: the high counter word and the AVX2 path's
    # carry between lanes of one 8-block step.
    tensor = tensor_plan(SAMPLERS["uniform"], DType.float32, 3, shape=(1 << 36,))
    assert_same(tensor, (1 << 34) - 37, 93)
    tensor = tensor_plan(SAMPLERS["normal"], DType.float64, 3, shape=(1 << 36,))
    assert_same(tensor, (1 << 33) - 21, 61)
    tensor = tensor_plan(SAMPLERS32["normal32"], DType.float32, 3, shape=(1 << 36,))
    assert_same(tensor, (1 << 34) - 37, 93)


# Values at the rounding edges of every dtype (binary64 in, dtype bytes out).
ROUNDING_EDGES = [
    0.0, -0.0, 1.0, -1.0, 0.1, 1 / 3, 65504.0, 65519.99, 65520.0, -65520.0, 65535.0, 1e-8,
    5.960464477539063e-08, 2.9802322387695312e-08, 2.9802322387695313e-08, 8.940696716308594e-08,
    6.097555160522461e-05, 6.103515625e-05, 3.4028234663852886e38, 3.4028235677973366e38,
    3.3895313892515355e38, 3.3961775292304256e38, 1e-38, 1e-45, 1.401298464324817e-45, 1e-300,
    1.0000000596046448, 1.0000001788139343, 2049.0, 2051.0, 0.00048828125, 1.00048828125,
    1.0009765625, 1.00390625, 1.01171875,
]  # fmt: skip


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_dtype_rounding_edges(dtype: DType) -> None:
    for value in ROUNDING_EDGES:
        for v in (value, -value):
            assert_same(tensor_plan(Constant(v), dtype), 0, 9)


@pytest.mark.parametrize("dtype", [DType.float16, DType.bfloat16])
def test_dtype_rounding_over_wide_ranges(dtype: DType) -> None:
    top = 65519.0 if dtype is DType.float16 else 3.3e38
    for low, high in [(-top, top), (-1e-4, 1e-4), (-7e-8, 7e-8), (1.0, 1.01)]:
        assert_same(tensor_plan(Uniform(low, high), dtype, 11), 1, 40_000)


def test_zeroed_row_matches_in_every_position() -> None:
    # Embedding rows of 13 elements; the zeroed row starts inside a Philox block.
    for padding_idx in (0, 5, -1):
        recipe: dict[str, Any] = {
            "seed": 99,
            "dtype": "bfloat16",
            "layers": [{"name": "emb", "type": "embedding", "num_embeddings": 11, "embedding_dim": 13,
                        "padding_idx": padding_idx}],
        }  # fmt: skip
        tensor = plan_of(recipe).tensors[0]
        assert tensor.zero_row is not None
        for start, count in [(0, 143), (63, 17), (65, 13), (130, 13), (141, 2)]:
            assert_same(tensor, start, count)
    big = tensor_plan(SAMPLERS["normal"], DType.float32, 5, shape=(300, 1001), zero_row=150)
    assert_same(big, 0, 300 * 1001, threads=2)
    assert_same(big, 150 * 1001 - 3, 1007, threads=2)


@pytest.mark.parametrize("dtype", BINARY32_DTYPES)
@pytest.mark.parametrize("name", ["normal32", "trunc32_untruncated"])
def test_v2_deferred_tail_words_with_a_zeroed_row(name: str, dtype: DType) -> None:
    # The AVX2 path collects Normal32's tail words over batches and writes them later: those in
    # the zeroed row must stay +0.0, and the rest must land on their own elements in every dtype,
    # for ranges that start inside a Philox block and end inside a batch.
    tensor = tensor_plan(SAMPLERS32[name], dtype, 7, shape=(300, 1001), zero_row=150)
    row = stream_words(tensor.key, 150 * 1001, 1001)
    assert int(np.count_nonzero((row & 0x7FFFFFFF) < (1 << 23))) >= 1  # the row holds tail words
    assert_same(tensor, 0, 300 * 1001, threads=2)
    assert_same(tensor, 150 * 1001 - 3, 1007)
    assert_same(tensor, 5, 300 * 1001 - 11, threads=3)
    zeros = KernelBackend(1).fill(tensor, 150 * 1001, 1001)
    assert zeros == bytes(1001 * dtype.itemsize)


def test_whole_file_with_odd_chunks_equals_the_reference_file() -> None:
    recipe: dict[str, Any] = {
        "seed": 2**64 - 1,
        "dtype": "float16",
        "layers": [
            {"name": "fc", "type": "linear", "in_features": 37, "out_features": 29},
            {"name": "conv", "type": "conv2d", "in_channels": 3, "out_channels": 5, "kernel_size": 3},
            {"name": "emb", "type": "embedding", "num_embeddings": 17, "embedding_dim": 9, "padding_idx": 2},
        ],
        "tensors": [{"name": "tn", "shape": [7, 11, 3], "init": {"scheme": "trunc_normal", "std": 0.02}}],
    }
    plan = plan_of(recipe)
    want = b"".join(iter_file(plan, REFERENCE, 1 << 16))
    for chunk in (1, 3, 97, 1 << 16):
        assert b"".join(iter_file(plan, KernelBackend(2), chunk)) == want


def test_fill_writes_into_a_buffer_and_checks_its_size() -> None:
    tensor = tensor_plan(SAMPLERS["normal"], DType.float32)
    out = bytearray(4 * 1000)
    kernel.fill(out, tensor.sampler, tensor.key, 17, 1000, tensor.dtype)
    assert bytes(out) == REFERENCE.fill(tensor, 17, 1000)
    with pytest.raises(ValueError, match="too small"):
        kernel.fill(bytearray(10), tensor.sampler, tensor.key, 0, 1000, tensor.dtype)


def test_large_outputs_asking_for_huge_pages_give_the_same_bytes() -> None:
    # generate() advises huge pages on outputs of 4 MiB and more (fresh memory is faulted in 2 MiB
    # at a time): the bytes must not care. 5 MiB + 3 elements of float32, not 2 MiB aligned.
    tensor = tensor_plan(SAMPLERS["uniform"], DType.float32, 7, shape=(1 << 22,))
    count = (5 << 18) + 3
    out = kernel.generate(tensor.sampler, tensor.key, 5, count, tensor.dtype, None, 2)
    buf = np.empty(count * 4, np.uint8)
    kernel.fill(buf, tensor.sampler, tensor.key, 5, count, tensor.dtype, None, 1)
    assert out == buf.tobytes()
    for at in (0, count // 2 - 1000, count - 4096):  # spot slices against the reference
        assert out[4 * at : 4 * (at + 4096)] == REFERENCE.fill(tensor, 5 + at, 4096)


def test_first_words_pin_the_stream() -> None:
    # Philox4x32-10's first known-answer vector reached through the kernel: key 0, counter 0.
    # uniform24 of word 0x6627e8d5 is (0x6627e8d5 >> 8) * 2^-24 exactly.
    tensor = tensor_plan(Uniform(0.0, 1.0), DType.float64, 0)
    object.__setattr__(tensor, "key", type(tensor.key)(0, 0, 0, 0))
    wide = kernel.generate(Uniform(0.0, 1.0), tensor.key, 0, 1, DType.float32)
    assert struct.unpack("<f", wide)[0] == (0x6627E8D5 >> 8) * 2.0**-24


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(SAMPLERS32)),
    dtype=st.sampled_from(BINARY32_DTYPES),
    seed=st.one_of(st.sampled_from([0, 2**64 - 1]), st.integers(0, 2**64 - 1)),
    tensor_name=st.text(min_size=1, max_size=12),
    start=st.integers(0, 1 << 40),
    count=st.integers(1, 3000),
    threads=st.sampled_from([1, 2]),
)
def test_random_ranges_v2(
    name: str, dtype: DType, seed: int, tensor_name: str, start: int, count: int, threads: int
) -> None:
    tensor = tensor_plan(SAMPLERS32[name], dtype, seed, shape=(1 << 41,), name=tensor_name)
    assert_same(tensor, start, count, threads)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(SAMPLERS)),
    dtype=st.sampled_from(FLOAT_DTYPES),
    seed=st.one_of(st.sampled_from([0, 2**64 - 1]), st.integers(0, 2**64 - 1)),
    tensor_name=st.text(min_size=1, max_size=12),
    start=st.integers(0, 1 << 40),
    count=st.integers(1, 3000),
    threads=st.sampled_from([1, 2]),
)
def test_random_ranges(
    name: str, dtype: DType, seed: int, tensor_name: str, start: int, count: int, threads: int
) -> None:
    tensor = tensor_plan(SAMPLERS[name], dtype, seed, shape=(1 << 41,), name=tensor_name)
    assert_same(tensor, start, count, threads)


def test_kernel_reports_its_instruction_set() -> None:
    assert kernel.isa() in {"avx2", "x86-64", "aarch64", "generic"}
    assert kernel.default_threads() >= 1


def test_the_generic_path_matches_too() -> None:
    """CPUs without AVX2 (and arm64) take the plain C path: run the same checks on it."""
    script = (
        "from tensorseed.stream import kernel; assert kernel.isa() != 'avx2', kernel.isa()\n"
        "from tests.stream import test_kernel as t\n"
        "for name in sorted(t.SAMPLERS):\n"
        "    for dtype in t.DType:\n"
        "        for start, count in [(1, 3), (5, 1031), (4093, 2050)]:\n"
        "            t.assert_same(t.tensor_plan(t.SAMPLERS[name], dtype, 2**64 - 1), start, count, 2)\n"
        "for name in sorted(t.SAMPLERS32):\n"
        "    for dtype in t.BINARY32_DTYPES:\n"
        "        for start, count in [(1, 3), (5, 1031), (4093, 2050), (0, 70_001)]:\n"
        "            t.assert_same(t.tensor_plan(t.SAMPLERS32[name], dtype, 2**64 - 1), start, count, 2)\n"
        "print('generic ok')\n"
    )
    env = {**os.environ, "TENSORSEED_KERNEL_GENERIC": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0 and "generic ok" in done.stdout, done.stderr[-3000:]

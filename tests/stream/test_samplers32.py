"""tensorseed-stream/2's binary32 samplers: the spec's worked examples, seekability, and which
sampler each (version, dtype) uses."""

from __future__ import annotations

import numpy as np
import pytest

from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import build_plan
from tensorseed.stream import SPEC_V1, SPEC_V2
from tensorseed.stream.dtypes import DType
from tensorseed.stream.key import stream_key
from tensorseed.stream.samplers import (
    Constant,
    Normal,
    Normal32,
    TruncNormal,
    TruncNormal32,
    Uniform,
    Uniform32,
    sample,
)
from tensorseed.stream.structured import Eye, Sparse
from tensorseed.stream.versions import sampler_for

KEY = stream_key(3, "w", SPEC_V2)


def one(sampler: Normal32 | TruncNormal32 | Uniform32, word: int) -> str:
    x = np.float32(sampler.transform(np.array([word], dtype=np.uint32), 1, False)[0])
    return f"{int(x.view(np.uint32)):08x}"


@pytest.mark.parametrize(
    ("word", "expected"), [(0x8F3A2B1C, "3fc791fa"), (0x00123456, "c05cf4a9"), (0x7FFFFFFF, "b3a06c99")]
)
def test_normal_worked_examples_of_the_spec(word: int, expected: str) -> None:
    assert one(Normal32(0.0, 1.0), word) == expected


@pytest.mark.parametrize(
    ("a", "b", "word", "expected"),
    [
        (5.0, 6.0, 0x0000ABCD, "40bffc0f"),
        (5.0, 6.0, 0x80012345, "40a00006"),
        (-2.0, 2.0, 0x3C000000, "bf2f87fc"),
        (-1.0, 6.0, 0xC0000000, "3f4e2534"),
        (30.0, 37.0, 0x0000ABCD, "41f30a8a"),
    ],
)
def test_trunc_normal_worked_examples_of_the_spec(a: float, b: float, word: int, expected: str) -> None:
    assert one(TruncNormal32(0.0, 1.0, a, b, a, b), word) == expected


def test_one_word_per_element_and_any_range_on_its_own() -> None:
    for sampler in (Normal32(0.5, 2.0), TruncNormal32(0.0, 1.0, -1.0, 6.0, -1.0, 6.0), Uniform32(-1.0, 3.0)):
        assert sampler.words_per_element(False) == 1
        whole = sample(sampler, KEY, 0, 5000, False)
        for start, count in ((0, 1), (3, 7), (4093, 907), (1, 4999)):
            assert np.array_equal(sample(sampler, KEY, start, count, False), whole[start : start + count])


def test_values_are_binary32() -> None:
    for sampler in (Normal32(0.1, 0.3), TruncNormal32(0.1, 0.3, -2.0, 2.0, -0.5, 0.7), Uniform32(-0.1, 0.3)):
        x = sample(sampler, KEY, 0, 10_000, False)
        assert np.array_equal(x, x.astype(np.float32).astype(np.float64))


def test_a_very_wide_interval_is_the_normal_clamped() -> None:
    # Phi(-100) underflows binary64: W = 1, r0 = r1 = 0, the spec's Normal32 exactly.
    normal = sample(Normal32(0.0, 1.0), KEY, 0, 100_000, False)
    wide = sample(TruncNormal32(0.0, 1.0, -100.0, 100.0, -100.0, 100.0), KEY, 0, 100_000, False)
    assert np.array_equal(normal, wide)


@pytest.mark.parametrize(("a", "b"), [(8.0, 30.0), (-30.0, -8.0), (14.0, 15.0), (30.0, 37.0), (0.0, 1e-3)])
def test_far_and_narrow_intervals_stay_inside_their_bounds(a: float, b: float) -> None:
    x = sample(TruncNormal32(0.0, 1.0, a, b, a, b), KEY, 0, 50_000, False)
    assert np.isfinite(x).all() and x.min() >= np.float32(a) and x.max() <= np.float32(b)
    assert len(np.unique(x)) > 100  # not collapsed onto a bound


def test_huge_scalars_saturate_instead_of_making_nans() -> None:
    x = sample(Normal32(3e38, 1e39), KEY, 0, 1000, False)
    assert not np.isnan(x).any() and np.isinf(x).any()
    t = sample(TruncNormal32(1e38, 3e38, -4.0 / 3.0, 2.0 / 3.0, -3e38, 3e38), KEY, 0, 1000, False)
    assert np.isfinite(t).all() and np.abs(t).max() <= np.float32(3e38)  # [L, H], the bounds in binary32


@pytest.mark.parametrize(
    ("spec", "dtype", "expected"),
    [
        (SPEC_V1, DType.float32, Normal),
        (SPEC_V2, DType.float64, Normal),
        (SPEC_V2, DType.float32, Normal32),
        (SPEC_V2, DType.float16, Normal32),
        (SPEC_V2, DType.bfloat16, Normal32),
    ],
)
def test_sampler_for_picks_by_version_and_dtype(spec: str, dtype: DType, expected: type) -> None:
    assert type(sampler_for(Normal(0.0, 1.0), spec, dtype)) is expected


def test_sampler_for_the_other_samplers() -> None:
    v2, f32 = SPEC_V2, DType.float32
    assert type(sampler_for(Uniform(-1.0, 1.0), v2, f32)) is Uniform32
    # Wider than binary32: v1's formula (one word per element too).
    assert type(sampler_for(Uniform(-3e38, 3e38), v2, f32)) is Uniform
    assert type(sampler_for(TruncNormal(0.0, 1.0, -2.0, 2.0, -2.0, 2.0), v2, f32)) is TruncNormal32
    assert sampler_for(Constant(1.5), v2, f32) == Constant(1.5)
    assert sampler_for(Eye(2, 3, 1.0), v2, f32) == Eye(2, 3, 1.0)
    sparse = Sparse(5, 4, 0.1, 2, stream_key(1, "s\u0000sparse", v2))
    assert sampler_for(sparse, v2, f32) == Sparse(5, 4, 0.1, 2, sparse.mask_key, binary32=True)
    assert sampler_for(sparse, v2, DType.float64) == sparse


def test_v2_keys_its_streams_and_sub_streams_under_its_own_name() -> None:
    recipe = {
        "seed": 1,
        "tensors": [{"name": "s", "shape": [6, 4], "init": {"scheme": "sparse", "sparsity": 0.5}}],
    }
    v2 = build_plan(Recipe.model_validate(recipe)).tensors[0]
    v1 = build_plan(Recipe.model_validate({**recipe, "spec": SPEC_V1})).tensors[0]
    assert v2.key == stream_key(1, "s", SPEC_V2) != v1.key == stream_key(1, "s", SPEC_V1)
    assert isinstance(v2.sampler, Sparse) and isinstance(v1.sampler, Sparse)
    assert v2.sampler.mask_key == stream_key(1, "s\u0000sparse", SPEC_V2)
    assert v1.sampler.mask_key == stream_key(1, "s\u0000sparse", SPEC_V1)
    assert v2.sampler.binary32 and not v1.sampler.binary32


def test_v2_key_derivation_known_answer() -> None:
    # SHA-256("tensorseed-stream/2" || 0x00 || seed LE || name), first 16 bytes as four u32 LE.
    import hashlib

    digest = hashlib.sha256(b"tensorseed-stream/2\x00" + (42).to_bytes(8, "little") + b"fc1.weight").digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]
    key = stream_key(42, "fc1.weight", SPEC_V2)
    assert [key.k0, key.k1, key.c2, key.c3] == words
    assert key != stream_key(42, "fc1.weight", SPEC_V1)

"""Which sampler computes a tensor's bytes, given the spec version and the output dtype.

Schemes resolve to v1's binary64 samplers (``Uniform``, ``Normal``, ``TruncNormal``, ``Sparse``
with binary64 values). tensorseed-stream/1 uses them as they are; so does tensorseed-stream/2
for float64 outputs (and int64 buffers, which are constants). For float32, float16 and bfloat16
outputs, v2 swaps in the binary32 samplers of the same distribution. Samplers that draw no words
(constants, eye, dirac, ZerO, gate slices) are the same in both versions; orthogonal schemes keep
their binary64 Gaussian input (the QR runs in binary64 anyway) under the version's key.
"""

from __future__ import annotations

import dataclasses

from tensorseed.stream import SPEC_V1, SPEC_VERSIONS
from tensorseed.stream.dtypes import DType
from tensorseed.stream.samplers import (
    Normal,
    Normal32,
    Sampler,
    TruncNormal,
    TruncNormal32,
    Uniform,
    Uniform32,
    fits_binary32,
)
from tensorseed.stream.structured import Sparse

BINARY32_DTYPES = frozenset({DType.float32, DType.float16, DType.bfloat16})


def samples_in_binary32(spec: str, dtype: DType) -> bool:
    """Whether this version samples this output dtype in binary32 (v2, all but float64)."""
    if spec not in SPEC_VERSIONS:
        raise ValueError(f"unknown spec version {spec!r}")
    return spec != SPEC_V1 and dtype in BINARY32_DTYPES


def sampler_for(sampler: Sampler, spec: str, dtype: DType) -> Sampler:
    """The sampler that computes this distribution's bytes under ``spec`` for ``dtype``."""
    if not samples_in_binary32(spec, dtype):
        return sampler
    kind = type(sampler)
    if kind is Uniform:
        assert isinstance(sampler, Uniform)
        # An interval wider than the largest binary32 keeps v1's binary64 formula (one word per
        # element too): the binary32 width would be infinite.
        if not fits_binary32(sampler.high - sampler.low):
            return sampler
        return Uniform32(sampler.low, sampler.high)
    if kind is Normal:
        assert isinstance(sampler, Normal)
        return Normal32(sampler.mean, sampler.std)
    if kind is TruncNormal:
        assert isinstance(sampler, TruncNormal)
        s = sampler
        return TruncNormal32(s.mean, s.std, s.alpha, s.beta, s.low, s.high)
    if kind is Sparse:
        assert isinstance(sampler, Sparse)
        return dataclasses.replace(sampler, binary32=True)
    return sampler

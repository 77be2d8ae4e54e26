"""The portable stream: Philox4x32-10 counters, exact conversions, portable math, samplers.

Everything in this package is the readable reference that ``docs/stream-spec.md`` describes.
It imports nothing from the web layer.

Two versions of the stream are served. ``tensorseed-stream/1`` (every sampler in binary64, two
Philox words per normal) is frozen: it produces the same bytes forever. ``tensorseed-stream/2``,
the default, samples float32, float16 and bfloat16 outputs in binary32 with one word per
element (float64 outputs keep v1's binary64 samplers) and derives keys under its own name.
"""

SPEC_V1 = "tensorseed-stream/1"
SPEC_V2 = "tensorseed-stream/2"
#: Every version this build generates, oldest first.
SPEC_VERSIONS = (SPEC_V1, SPEC_V2)
#: The version of a recipe that does not name one.
SPEC_VERSION = SPEC_V2


def spec_major(spec: str) -> str:
    """The version number after the slash: "2" for tensorseed-stream/2 (the token prefix)."""
    return spec.rsplit("/", 1)[1]

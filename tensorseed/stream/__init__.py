"""The portable stream: Philox4x32-10 counters, exact conversions, portable math, samplers.

Everything in this package is the readable reference that ``docs/stream-spec.md`` describes.
It imports nothing from the web layer.
"""

SPEC_VERSION = "tensorseed-stream/1"

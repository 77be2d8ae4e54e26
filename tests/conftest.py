"""Session-wide test setup.

Triton decides when it is first imported whether @triton.jit functions (its own ``tl`` helpers
included) are interpreted on CPU or compiled for a GPU. The suite runs without a GPU, so the
Triton kernels are always interpreted here; tests/stream/test_triton_ptx.py compiles for a GPU
target in a separate process.
"""

from __future__ import annotations

import os

os.environ.setdefault("TRITON_INTERPRET", "1")

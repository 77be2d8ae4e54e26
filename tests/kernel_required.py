"""The compiled kernel must be there: a missing build fails the suite instead of hiding it.

Set TENSORSEED_ALLOW_NO_KERNEL=1 to run the rest of the suite on a machine without a C
compiler; the kernel's tests then skip, saying why.
"""

from __future__ import annotations

import os

import pytest

from tensorseed.stream import kernel


def require_kernel() -> None:
    if kernel.AVAILABLE:
        return
    if os.environ.get("TENSORSEED_ALLOW_NO_KERNEL") == "1":
        pytest.skip("compiled kernel not built and TENSORSEED_ALLOW_NO_KERNEL=1")
    pytest.fail("compiled kernel tensorseed.stream._kernel is not built: `pip install -e .` must compile it")

"""The Triton kernels give the reference's bytes, proven on CPU under TRITON_INTERPRET=1.

The interpreter runs the kernels' own code (Philox, portable log, AS 241, rounding) through
numpy, so this checks the kernel logic; the GPU's instruction selection (div.rn/sqrt.rn, no FMA)
is checked by scripts/gpu_check.py on a device.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("triton", reason="triton is not installed (it is a Linux x86-64 dev dependency)")
torch = pytest.importorskip("torch")

from tensorseed.engine.backend import ReferenceBackend, zeroed_elements  # noqa: E402
from tensorseed.recipe.plan import TensorPlan  # noqa: E402
from tensorseed.stream import triton_kernels  # noqa: E402
from tensorseed.stream.dtypes import DType  # noqa: E402
from tests.stream.test_kernel import BINARY32_DTYPES, SAMPLERS, SAMPLERS32, tensor_plan  # noqa: E402
from tests.support import FLOAT_DTYPES  # noqa: E402

REFERENCE = ReferenceBackend()


def test_kernels_run_in_the_interpreter() -> None:
    # tests/conftest.py sets TRITON_INTERPRET=1 before anything imports triton.
    assert type(triton_kernels.fill_kernel).__name__ == "InterpretedFunction"


def run(tensor: TensorPlan, start: int, count: int, block: int = 64) -> bytes:
    out = torch.empty(count * tensor.dtype.itemsize, dtype=torch.uint8)
    # Saturated scalars overflow to infinity, as the spec says; the interpreter's numpy would warn.
    with np.errstate(over="ignore"):
        triton_kernels.launch(
            out, tensor.sampler, tensor.key, start, count, tensor.dtype, zeroed_elements(tensor), block
        )
    return bytes(out.numpy())


def reference(tensor: TensorPlan, start: int, count: int) -> bytes:
    with np.errstate(over="ignore"):
        return REFERENCE.fill(tensor, start, count)


NAMES = ["constant", "uniform", "uniform_wide", "normal", "trunc_normal", "trunc_normal_right_tail",
         "trunc_normal_far_tail", "trunc_normal_near_one"]  # fmt: skip


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("name", NAMES)
def test_triton_matches_the_reference(name: str, dtype: DType) -> None:
    # A start inside a Philox block, a count that leaves a partial block and a partial program.
    tensor = tensor_plan(SAMPLERS[name], dtype, 2**64 - 1)
    assert run(tensor, 3, 301) == REFERENCE.fill(tensor, 3, 301)


@pytest.mark.parametrize("dtype", BINARY32_DTYPES)
@pytest.mark.parametrize("name", sorted(SAMPLERS32))
def test_triton_matches_the_reference_on_v2(name: str, dtype: DType) -> None:
    # tensorseed-stream/2's binary32 samplers: 1301 elements hold a few normal tail words.
    tensor = tensor_plan(SAMPLERS32[name], dtype, 2**64 - 1)
    assert run(tensor, 3, 1301) == reference(tensor, 3, 1301)


def test_triton_v2_tail_words_zero_row_and_high_counter() -> None:
    tensor = tensor_plan(SAMPLERS32["normal32"], DType.float32, 5, shape=(200, 50), zero_row=7)
    assert run(tensor, 0, 10_000, block=256) == reference(tensor, 0, 10_000)
    assert run(tensor, 349, 7, block=16) == reference(tensor, 349, 7)
    high = tensor_plan(SAMPLERS32["trunc32_asymmetric"], DType.bfloat16, 0, shape=(1 << 36,))
    assert run(high, (1 << 34) - 5, 11) == reference(high, (1 << 34) - 5, 11)


def test_triton_seeds_edges_and_zero_row() -> None:
    tensor = tensor_plan(SAMPLERS["normal"], DType.bfloat16, 0, shape=(40, 7), zero_row=3)
    assert run(tensor, 0, 280) == REFERENCE.fill(tensor, 0, 280)
    assert run(tensor, 19, 5, block=16) == REFERENCE.fill(tensor, 19, 5)
    high = tensor_plan(SAMPLERS["uniform"], DType.float32, 0, shape=(1 << 36,))
    assert run(high, (1 << 34) - 5, 11) == REFERENCE.fill(high, (1 << 34) - 5, 11)

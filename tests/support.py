"""Small helpers shared by the tests: plan a recipe dict, read a tensor, build a whole file."""

from __future__ import annotations

from typing import Any

import numpy as np

from tensorseed.engine.backend import ReferenceBackend
from tensorseed.formats.safetensors import iter_file
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import Plan, TensorPlan, build_plan
from tensorseed.stream.dtypes import DType, decode_to_float64

BACKEND = ReferenceBackend()
#: The dtypes the compiled and Triton kernels implement; int64 buffers (BatchNorm's counter)
#: always come from the reference.
FLOAT_DTYPES = [d for d in DType if d is not DType.int64]


def plan_of(recipe: dict[str, Any]) -> Plan:
    return build_plan(Recipe.model_validate(recipe))


def tensor(plan: Plan, name: str) -> TensorPlan:
    return next(t for t in plan.tensors if t.name == name)


def values(plan: Plan, name: str) -> np.ndarray:
    """The tensor's values exactly as stored (dtype-rounded), widened to float64."""
    t = tensor(plan, name)
    return decode_to_float64(BACKEND.fill(t, 0, t.numel), t.dtype)


def file_bytes(recipe: dict[str, Any], chunk_elements: int = 1 << 16) -> bytes:
    return b"".join(iter_file(plan_of(recipe), BACKEND, chunk_elements))


def one_tensor(
    init: dict[str, Any], shape: list[int], dtype: str = "float32", seed: int = 1, **extra: Any
) -> dict[str, Any]:
    return {"seed": seed, "dtype": dtype, "tensors": [{"name": "t", "shape": shape, "init": init, **extra}]}

"""The Python API: a recipe in, numpy arrays, a safetensors file or statistics out.

Recipes are dicts, JSON text, or :class:`tensorseed.Recipe` objects, validated exactly as the
REST service validates them (the same models, the same limits by default), and the bytes are
the service's: ``save(recipe, path)`` writes the file ``POST /v1/weights`` serves.

Example::

    import tensorseed

    recipe = {
        "seed": 42,
        "layers": [{"name": "fc1", "type": "linear", "in_features": 784, "out_features": 256}],
    }
    arrays = tensorseed.generate(recipe)  # {"fc1.bias": array(...), "fc1.weight": array(...)}
    tensorseed.save(recipe, "init.safetensors")
    tensorseed.stats(recipe)["tensors"][0]["sha256"]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tensorseed.engine.backend import cpu_backend
from tensorseed.engine.inplace import fill_into
from tensorseed.formats.safetensors import iter_file
from tensorseed.formats.stats import plan_stats
from tensorseed.recipe.plan import SERVICE_LIMITS, Limits, Plan, build_plan
from tensorseed.recipe.validation import RecipeSource, parse_recipe
from tensorseed.stream.dtypes import DType

#: Memory per generated chunk when writing files and reducing statistics (the service's default).
CHUNK_BYTES = 4 * 1024 * 1024
#: The service's default limit on histogram bins (TENSORSEED_MAX_HISTOGRAM_BINS).
MAX_HISTOGRAM_BINS = 1024

_NUMPY_DTYPES: dict[DType, np.dtype[Any]] = {
    DType.float32: np.dtype("<f4"),
    DType.float64: np.dtype("<f8"),
    DType.float16: np.dtype("<f2"),
    DType.bfloat16: np.dtype("<u2"),  # bit patterns, widened to float32 below
    DType.int64: np.dtype("<i8"),
}


def plan(recipe: RecipeSource, *, limits: Limits | None = None) -> Plan:
    """Validate a recipe and plan it: every tensor's name, shape, dtype and sampler, nothing generated.

    Raises :class:`tensorseed.InvalidRecipe` (not JSON, or not a recipe field by field),
    :class:`tensorseed.LimitExceeded` (over ``limits``, by default the service's) or
    :class:`tensorseed.RecipeError` (valid fields that cannot be planned), each naming the field.
    """
    return build_plan(parse_recipe(recipe), limits or SERVICE_LIMITS)


def generate(
    recipe: RecipeSource, *, threads: int = 0, limits: Limits | None = None
) -> dict[str, npt.NDArray[Any]]:
    """Every tensor of a recipe as a numpy array, by name, in file order.

    float32, float64, float16 and int64 arrays hold exactly the file's bytes. numpy has no
    bfloat16: bfloat16 tensors come as float32 arrays holding exactly the bfloat16 values
    (``torch.from_numpy(a).bfloat16()`` gives the file's bits back). ``threads`` <= 0 uses
    every CPU.

    >>> ones = {"seed": 0, "tensors": [{"name": "t", "shape": [2, 3], "init": {"scheme": "ones"}}]}
    >>> generate(ones)["t"].tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]]
    """
    planned = plan(recipe, limits=limits)
    out: dict[str, npt.NDArray[Any]] = {}
    for tensor in planned.tensors:
        array = np.empty(tensor.numel, dtype=_NUMPY_DTYPES[tensor.dtype])
        fill_into(array.data, tensor, 0, tensor.numel, threads)
        if tensor.dtype is DType.bfloat16:
            array = (array.astype(np.uint32) << np.uint32(16)).view(np.float32)
        out[tensor.name] = array.reshape(tensor.shape)
    return out


def save(recipe: RecipeSource, path: str | os.PathLike[str], *, threads: int = 0,
         limits: Limits | None = None) -> Path:  # fmt: skip
    """Write the recipe's safetensors file (the bytes ``POST /v1/weights`` serves) to ``path``.

    The file is written chunk by chunk (memory stays near 4 MiB whatever its size) to a
    temporary name beside ``path``, then renamed, so ``path`` never holds a partial file.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "init.safetensors"
    >>> zeros = {"seed": 0, "tensors": [{"name": "t", "shape": [4], "init": {"scheme": "zeros"}}]}
    >>> save(zeros, target).read_bytes()[-16:] == bytes(16)
    True
    """
    planned = plan(recipe, limits=limits)
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    backend = cpu_backend(threads)
    with open(partial, "wb") as out:
        for chunk in iter_file(planned, backend, max(1, CHUNK_BYTES // planned.dtype.itemsize)):
            out.write(chunk)
    partial.replace(target)
    return target


def stats(
    recipe: RecipeSource, *, bins: int = 32, threads: int = 0, limits: Limits | None = None
) -> dict[str, Any]:
    """The statistics ``POST /v1/stats`` answers: per tensor, the observed mean, std, min, max
    and histogram next to the scheme's expected values, and the sha256 of its bytes.

    >>> ones = {"seed": 0, "tensors": [{"name": "t", "shape": [8], "init": {"scheme": "ones"}}]}
    >>> stats(ones)["tensors"][0]["observed"]["mean"]
    1.0
    """
    if not 1 <= bins <= MAX_HISTOGRAM_BINS:
        raise ValueError(f"bins must be in [1, {MAX_HISTOGRAM_BINS}], got {bins}")
    planned = plan(recipe, limits=limits)
    chunk = max(1, CHUNK_BYTES // planned.dtype.itemsize)
    return plan_stats(planned, cpu_backend(threads), chunk, bins)

"""Weights as named numpy arrays, from a recipe (generated here) or a tensorseed file, with where
each tensor comes from (its layer and parameter): what the Keras and Flax loaders start from.

No framework is imported here: the loaders (``tensorseed.keras``, ``tensorseed.flax``) convert.
"""

from __future__ import annotations

import json
import math
import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from tensorseed.api import generate as generate_arrays
from tensorseed.api import plan as plan_recipe
from tensorseed.formats.safetensors import METADATA_RECIPE_KEY
from tensorseed.recipe.export import Library, library_of
from tensorseed.recipe.layers import layer_parameters
from tensorseed.recipe.models import Layer, Recipe
from tensorseed.recipe.validation import parse_recipe
from tensorseed.stream.dtypes import DType

#: What a loader accepts: a recipe (a Recipe, a dict, or JSON text as str or bytes), or a
#: tensorseed file (a path, or the file's bytes).
Source = Recipe | Mapping[str, Any] | str | os.PathLike[str] | bytes

_NUMPY = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "I64": "<i8"}
_CODES = {d.safetensors_code: d for d in DType}


@dataclass(frozen=True)
class Origin:
    """The layer a tensor belongs to and its parameter name there (in the file's layout)."""

    layer: Layer
    parameter: str


@dataclass(frozen=True)
class Weights:
    """Named arrays in file order, their dtypes, the recipe, and each layer tensor's origin."""

    arrays: dict[str, npt.NDArray[Any]]
    dtypes: dict[str, DType]
    recipe: Recipe
    origins: dict[str, Origin]


def _bfloat16() -> Any:
    import ml_dtypes  # installed with jax and with keras (their bfloat16 dtype)

    return ml_dtypes.bfloat16


def _array(raw: bytes, dtype: DType, shape: tuple[int, ...]) -> npt.NDArray[Any]:
    if dtype is DType.bfloat16:
        bf16: npt.NDArray[Any] = np.frombuffer(raw, dtype="<u2").view(_bfloat16()).reshape(shape)
        return bf16
    return np.frombuffer(raw, dtype=_NUMPY[dtype.safetensors_code]).reshape(shape)


def origins(recipe: Recipe) -> dict[str, Origin]:
    """Each layer tensor's layer and parameter, in the layout the recipe's file is written in."""
    found: dict[str, Origin] = {}
    for i, layer in enumerate(recipe.layers):
        convention = layer.convention or recipe.convention
        if recipe.export is not None and library_of(convention) != recipe.export:
            convention = recipe.export
        for p in layer_parameters(layer, convention, ("layers", i)):
            found[f"{layer.name}.{p.suffix}"] = Origin(layer, p.suffix)
    return found


def in_layout(recipe: Recipe, library: Library) -> Recipe:
    """The recipe with its layers written in ``library``'s layout (``export``), refusing a recipe
    that already asks for another one."""
    if recipe.export is not None and recipe.export != library:
        raise ValueError(
            f"the recipe exports to {recipe.export}; a {library} loader needs export {library!r}"
        )
    if recipe.model is not None:
        raise ValueError("recipes with a model preset cannot be exported: write its layers out")
    return recipe if recipe.export == library else recipe.model_copy(update={"export": library})


def generate(recipe: Recipe) -> Weights:
    """Generate every tensor of a recipe on this machine's CPU (the same bytes as the service)."""
    dtypes = {t.name: t.dtype for t in plan_recipe(recipe).tensors}
    arrays = generate_arrays(recipe)
    for name, dtype in dtypes.items():
        if dtype is DType.bfloat16:  # generate() widens bfloat16 to float32 exactly; narrow back
            arrays[name] = arrays[name].astype(_bfloat16())
    return Weights(arrays, dtypes, recipe, origins(recipe))


def _is_file(data: bytes) -> bool:
    """A safetensors file: an 8-byte header length, then the header's JSON object."""
    return len(data) >= 9 and data[8:9] == b"{" and 8 + struct.unpack("<Q", data[:8])[0] <= len(data)


def read_file(data: bytes) -> Weights:
    """A tensorseed safetensors file: its tensors and the recipe in its header."""
    if len(data) < 8:
        raise ValueError("not a safetensors file: shorter than its 8-byte header length")
    (size,) = struct.unpack("<Q", data[:8])
    if 8 + size > len(data):
        raise ValueError("not a safetensors file: the header runs past the end")
    header = json.loads(data[8 : 8 + size])
    meta = header.pop("__metadata__", {}) or {}
    if METADATA_RECIPE_KEY not in meta:
        raise ValueError("not a tensorseed file: its metadata has no recipe (tensorseed.recipe)")
    recipe = Recipe.model_validate_json(meta[METADATA_RECIPE_KEY])
    start = 8 + size
    arrays: dict[str, npt.NDArray[Any]] = {}
    dtypes: dict[str, DType] = {}
    for name, entry in header.items():
        dtype = _CODES[entry["dtype"]]
        shape = tuple(entry["shape"])
        lo, hi = entry["data_offsets"]
        if hi - lo != math.prod(shape) * dtype.itemsize or start + hi > len(data):
            raise ValueError(f"tensor {name!r}: its data offsets do not match its shape")
        arrays[name] = _array(data[start + lo : start + hi], dtype, shape)
        dtypes[name] = dtype
    return Weights(arrays, dtypes, recipe, origins(recipe))


def load(source: Source, library: Library) -> Weights:
    """Weights in ``library``'s layout from a recipe (exported there if it is not yet) or a file
    (which must already be in that layout). A str is JSON text when it starts with "{", else a
    path; bytes are a safetensors file when they look like one, else JSON text."""
    if isinstance(source, bytes) and _is_file(source):
        weights = read_file(source)
    elif isinstance(source, os.PathLike) or (isinstance(source, str) and not source.lstrip().startswith("{")):
        weights = read_file(Path(source).read_bytes())
    else:
        return generate(in_layout(parse_recipe(source), library))
    layouts = {
        weights.recipe.export or library_of(o.layer.convention or weights.recipe.convention)
        for o in weights.origins.values()
    }
    if layouts - {library}:
        raise ValueError(
            f"the file holds layers in the {', '.join(sorted(layouts))} layout; a {library} loader needs a "
            f"file generated with export {library!r}"
        )
    return weights

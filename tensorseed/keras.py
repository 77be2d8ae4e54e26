"""Load tensorseed weights into a built Keras 3 model, by weight path.

    import tensorseed.keras
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(256, name="fc1"), ...])
    tensorseed.keras.load(model, recipe)          # or a file: path or bytes, written with export "keras"

A file tensor ``<layer>.<parameter>`` goes to the Keras weight whose path, with "/" read as "." and
recurrent layers' cell level left out, is that name: ``fc1.kernel`` -> ``fc1/kernel``,
``enc.lstm.kernel`` -> ``enc/lstm/lstm_cell/kernel``, ``mha.query.kernel`` -> ``mha/query/kernel``
(a leading ``<model name>/``, which Sequential models put on their paths, is left out too).
Every weight of the model must get a tensor and every tensor a weight, with the same shape;
anything else is refused before a single value is assigned. Nothing depends on order.

Imports Keras, so it is a module of its own: ``import tensorseed`` never imports it.
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np

from tensorseed.weights import Source, Weights
from tensorseed.weights import load as load_weights


class LoadError(ValueError):
    """The file and the model do not hold the same weights (names or shapes)."""


def weight_names(model: Any) -> dict[str, Any]:
    """Every weight of ``model`` (trainable or not) by the name a tensorseed file gives it."""
    cells = {}
    for layer in model._flatten_layers(include_self=False, recursive=True):
        cell = getattr(layer, "cell", None)
        if isinstance(layer, keras.layers.RNN) and cell is not None and hasattr(cell, "name"):
            cells[f"{layer.path}/{cell.name}/"] = f"{layer.path}/"
    names: dict[str, Any] = {}
    prefix = f"{model.name}/"
    for w in model.weights:
        path = w.path
        for cell_path, layer_path in cells.items():
            if path.startswith(cell_path):
                path = layer_path + path[len(cell_path) :]
                break
        path = path.removeprefix(prefix)
        name = path.replace("/", ".")
        if name in names:
            raise LoadError(f"two weights of the model are both named {name!r}")
        names[name] = w
    return names


def _fits(array: np.ndarray[Any, Any], shape: tuple[int, ...], name: str, weights: Weights) -> bool:
    if array.shape == shape:
        return True
    # Keras' PReLU keeps alpha with the input's shape and 1 on the shared axes: (1, 1, C) for
    # images, (C,) for vectors; the convention's (C,) fits every such shape.
    origin = weights.origins.get(name)
    squeeze = tuple(d for d in shape if d != 1)
    return (
        origin is not None
        and origin.layer.kind == "prelu"
        and squeeze == tuple(d for d in array.shape if d != 1)
    )


def load(model: Any, source: Source) -> None:
    """Assign every weight of a built Keras model from a recipe or a file in the Keras layout.

    Raises LoadError, naming them, for weights the file lacks, tensors the model lacks, and
    shapes that differ; nothing is assigned then. Values are converted to each weight's dtype.
    """
    if not model.built:
        raise LoadError("the model is not built: call it on an input (or build it) first")
    weights = load_weights(source, "keras")
    targets = weight_names(model)
    missing = sorted(set(targets) - set(weights.arrays))
    extra = sorted(set(weights.arrays) - set(targets))
    shapes = sorted(
        f"{n}: file {list(weights.arrays[n].shape)}, model {list(targets[n].shape)}"
        for n in set(targets) & set(weights.arrays)
        if not _fits(weights.arrays[n], tuple(targets[n].shape), n, weights)
    )
    problems = []
    if missing:
        problems.append(f"the file has no tensor for the model's weights {missing}")
    if extra:
        problems.append(f"the model has no weight for the file's tensors {extra}")
    if shapes:
        problems.append(f"shapes differ: {shapes}")
    if problems:
        raise LoadError("; ".join(problems))
    for name, variable in targets.items():
        # Widen exactly (bfloat16 and float16 to float32); Keras casts to the variable's dtype.
        wide = np.float64 if weights.arrays[name].dtype == np.float64 else np.float32
        variable.assign(weights.arrays[name].astype(wide).reshape(tuple(variable.shape)))

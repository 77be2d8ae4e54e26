"""tensorseed weights as Flax variables: linen ``{"params", "batch_stats"}`` and nnx state.

    import tensorseed.flax
    variables = tensorseed.flax.linen_variables(recipe)            # or a file written with export "flax"
    y = model.apply(variables, x)
    tensorseed.flax.load_nnx(nnx_model, recipe)                    # assigns an nnx module in place

Names: a file tensor ``<layer>.<parameter>`` is the variable at that dotted path, nested
(``encoder.fc.kernel`` -> ``params["encoder"]["fc"]["kernel"]``). BatchNorm's ``mean`` and ``var``
go to ``batch_stats`` in float32 (as Flax keeps them, whatever the parameter dtype); parameters
keep the file's dtype (Flax's ``param_dtype``). nnx names differ from linen's for recurrent cells:
``LSTMCell`` calls its forget-gate kernel ``if_``, and ``SimpleCell`` and ``GRUCell`` keep fused
``dense_i`` / ``dense_h`` kernels (gates r, z, n side by side); nnx's GRUCell has no bias inside its
reset gate, so a GRU whose ``hn.bias`` is not zero is refused for nnx.

Given a template (``like=``: what ``model.init`` returns, or an nnx module), every template
variable must get a tensor and every tensor a variable, with the same shape, else nothing is
returned; a ``cell`` level in the template (``nn.RNN`` / ``nnx.RNN`` wrappers) is matched to the
cell's tensors; values take the template's dtypes. Nothing depends on order.

Imports jax and flax, so it is a module of its own: ``import tensorseed`` never imports them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from tensorseed.stream.dtypes import DType
from tensorseed.weights import Source, Weights
from tensorseed.weights import load as load_weights

Path = tuple[str, ...]
BATCH_STATS = ("mean", "var")


class LoadError(ValueError):
    """The file and the model do not hold the same variables (names or shapes)."""


def _jax_array(array: np.ndarray[Any, Any], dtype: Any = None) -> jax.Array:
    if (
        array.dtype == np.float64
        and jax.dtypes.canonicalize_dtype(np.float64) != np.float64
        and dtype is None
    ):
        raise LoadError("float64 weights need jax_enable_x64 (jax.config.update('jax_enable_x64', True))")
    return jnp.asarray(array if dtype is None else array.astype(np.float32), dtype=dtype)


def _split(name: str) -> Path:
    return tuple(name.split("."))


def linen_flat(weights: Weights) -> dict[tuple[str, Path], np.ndarray[Any, Any]]:
    """(collection, path) -> array: BatchNorm statistics in ``batch_stats``, the rest in ``params``."""
    flat: dict[tuple[str, Path], np.ndarray[Any, Any]] = {}
    for name, array in weights.arrays.items():
        origin = weights.origins.get(name)
        is_stat = (
            origin is not None
            and origin.layer.kind.startswith("batch_norm")
            and origin.parameter in BATCH_STATS
        )
        if weights.dtypes[name] is DType.int64:
            raise LoadError(
                f"{name!r} is an int64 buffer (a torch layout): load files written with export 'flax'"
            )
        flat["batch_stats" if is_stat else "params", _split(name)] = array
    return flat


def _nnx_renames(weights: Weights) -> dict[Path, np.ndarray[Any, Any]]:
    flat: dict[Path, np.ndarray[Any, Any]] = {}
    fused: dict[str, dict[str, np.ndarray[Any, Any]]] = {}
    for name, array in weights.arrays.items():
        origin = weights.origins.get(name)
        if origin is None or origin.layer.kind not in ("rnn", "lstm", "gru"):
            flat[_split(name)] = array
            continue
        layer, parameter = _split(origin.layer.name), origin.parameter
        if origin.layer.kind == "lstm":
            module, leaf = parameter.split(".")
            flat[(*layer, "if_" if module == "if" else module, leaf)] = array
        elif origin.layer.kind == "rnn":  # SimpleCell: i -> dense_i, h -> dense_h
            module, leaf = parameter.split(".")
            flat[(*layer, f"dense_{module}", leaf)] = array
        else:
            fused.setdefault(origin.layer.name, {})[parameter] = array
    for layer_name, p in fused.items():
        if np.any(p["hn.bias"].astype(np.float32) != 0):
            raise LoadError(
                f"GRU {layer_name!r}: nnx.GRUCell has no bias inside its reset gate, and this file's "
                "hn.bias is not zero (linen's GRUCell has one); initialize hn.bias with zeros for nnx"
            )
        layer = _split(layer_name)
        flat[(*layer, "dense_i", "kernel")] = np.concatenate([p[f"i{g}.kernel"] for g in "rzn"], axis=1)
        flat[(*layer, "dense_i", "bias")] = np.concatenate([p[f"i{g}.bias"] for g in "rzn"], axis=0)
        flat[(*layer, "dense_h", "kernel")] = np.concatenate([p[f"h{g}.kernel"] for g in "rzn"], axis=1)
    return flat


def nnx_flat(weights: Weights) -> dict[Path, np.ndarray[Any, Any]]:
    """path -> array with nnx's names (``if_``, fused ``dense_i`` / ``dense_h``)."""
    for name, dtype in weights.dtypes.items():
        if dtype is DType.int64:
            raise LoadError(
                f"{name!r} is an int64 buffer (a torch layout): load files written with export 'flax'"
            )
    return _nnx_renames(weights)


def _nest(flat: Iterable[tuple[tuple[Any, ...], Any]]) -> dict[Any, Any]:
    tree: dict[Any, Any] = {}
    for path, value in flat:
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return tree


def _match(
    have: Mapping[Path, np.ndarray[Any, Any]], want: Mapping[Path, Any]
) -> dict[Path, np.ndarray[Any, Any]]:
    """Each wanted path's array (a ``cell`` level in the wanted path may be absent from the
    file's); refuses missing, extra and mis-shaped ones, naming them."""
    found: dict[Path, np.ndarray[Any, Any]] = {}
    used: set[Path] = set()
    missing, shapes = [], []
    for path, template in want.items():
        # An RNN wrapper's "cell" level (one of them; a layer may itself be named "cell").
        candidates = [path, *(path[:i] + path[i + 1 :] for i in range(1, len(path)) if path[i] == "cell")]
        key = next((c for c in candidates if c in have), None)
        if key is None:
            missing.append(".".join(path))
            continue
        used.add(key)
        if tuple(have[key].shape) != tuple(template.shape):
            shapes.append(f"{'.'.join(path)}: file {list(have[key].shape)}, model {list(template.shape)}")
        found[path] = have[key]
    extra = sorted(".".join(p) for p in set(have) - used)
    problems = []
    if missing:
        problems.append(f"the file has no tensor for the model's variables {sorted(missing)}")
    if extra:
        problems.append(f"the model has no variable for the file's tensors {extra}")
    if shapes:
        problems.append(f"shapes differ: {sorted(shapes)}")
    if problems:
        raise LoadError("; ".join(problems))
    return found


def linen_variables(source: Source, *, like: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Flax linen variables (``{"params": ..., "batch_stats": ...}``, nested) from a recipe or a
    file in the Flax layout; with ``like`` (e.g. ``model.init(key, x)``), checked against it and
    in its dtypes."""
    flat = linen_flat(load_weights(source, "flax"))
    if like is None:
        collections: dict[str, list[tuple[Path, Any]]] = {}
        for (collection, path), array in flat.items():
            dtype = jnp.float32 if collection == "batch_stats" else None
            collections.setdefault(collection, []).append((path, _jax_array(array, dtype)))
        return {c: _nest(items) for c, items in collections.items()}
    want = {
        (str(c), *(str(k.key) for k in keys)): leaf
        for c, tree in like.items()
        for keys, leaf in jax.tree_util.tree_flatten_with_path(tree)[0]
    }
    have = {(c, *path): array for (c, path), array in flat.items()}
    found = _match(have, want)
    out: dict[str, list[tuple[Path, Any]]] = {}
    for path, array in found.items():
        out.setdefault(path[0], []).append((path[1:], _jax_array(array, want[path].dtype)))
    return {c: _nest(items) for c, items in out.items()}


def nnx_state(source: Source) -> dict[str, Any]:
    """The nested state (``Param`` and ``BatchStat`` values) of the nnx modules a recipe or file
    describes, with nnx's names; for ``nnx.update(module, state)``."""
    weights = load_weights(source, "flax")
    stats = {
        tuple(n.split(".")[:-1]) for n, o in weights.origins.items() if o.layer.kind.startswith("batch_norm")
    }
    items = []
    for path, array in nnx_flat(weights).items():
        is_stat = path[-1] in BATCH_STATS and path[:-1] in stats
        items.append((path, _jax_array(array, jnp.float32 if is_stat else None)))
    return _nest(items)


def load_nnx(module: Any, source: Source) -> None:
    """Assign every ``Param`` and ``BatchStat`` of an nnx module from a recipe or a file in the
    Flax layout, by path (``cell`` levels of ``nnx.RNN`` matched); refuses missing, extra and
    mis-shaped variables before assigning anything. Values take the variables' dtypes."""
    state = nnx.to_flat_state(nnx.state(module, nnx.Any(nnx.Param, nnx.BatchStat)))
    original = {tuple(str(p) for p in path): path for path, _ in state}  # list indices stay ints
    want = {tuple(str(p) for p in path): variable.get_value() for path, variable in state}
    found = _match(nnx_flat(load_weights(source, "flax")), want)
    nnx.update(module, _nest((original[p], _jax_array(a, want[p].dtype)) for p, a in found.items()))

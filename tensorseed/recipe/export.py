"""Export layouts: a layer's values, as its own convention defines them, under another library's
names and layouts (docs/stream-spec.md section 18).

An exported tensor is an *index expression* over the layer's own tensors: transposes, reshapes,
slices, flips and concatenations, with zero blocks where the target library keeps a parameter the
source has not (torch's second recurrent bias, BatchNorm's int64 counter). Every element of an
exported tensor is therefore one element of one source tensor, bit for bit, or zero; the stream
stays keyed by the source tensor's name. Mappings go through torch's form: a keras layer exported
to flax is ``from_torch(flax, to_torch(keras, layer))``, so each library needs one table each way.

Exported tensors are generated lazily: ``Gathered`` maps any element range of the exported tensor
to the source elements it holds, and computes only those (bounded memory for any size).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from tensorseed.recipe import models as m
from tensorseed.recipe.errors import Loc, RecipeError
from tensorseed.recipe.layers import Parameter, attention_dims, conv_groups, kernel_size, layer_parameters
from tensorseed.stream.fmath import F64
from tensorseed.stream.key import StreamKey
from tensorseed.stream.orthogonal import DeltaOrthogonal, Orthogonal
from tensorseed.stream.samplers import Constant, Indexed, Sampler, sample
from tensorseed.stream.words import words_at

I64 = npt.NDArray[np.int64]
Library = Literal["torch", "keras", "flax"]


def library_of(convention: str) -> Library:
    """The library whose layers a convention describes (jax recipes use Flax's)."""
    return "flax" if convention in ("jax", "flax") else "keras" if convention == "keras" else "torch"


# ---- index expressions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Expr:
    """A tensor defined by where each of its elements comes from."""

    shape: tuple[int, ...]


@dataclass(frozen=True)
class Src(Expr):
    """A source tensor (a parameter of the layer in the form being mapped from)."""

    name: str


@dataclass(frozen=True)
class Zero(Expr):
    """A block of zeros (a parameter the source form does not have)."""


@dataclass(frozen=True)
class Transpose(Expr):
    """Axis k of the result is axis ``axes[k]`` of ``inner`` (numpy.transpose)."""

    inner: Expr
    axes: tuple[int, ...]


@dataclass(frozen=True)
class Reshape(Expr):
    """The same row-major sequence of elements in another shape."""

    inner: Expr


@dataclass(frozen=True)
class Slice(Expr):
    """Indices [start, stop) of ``inner`` along ``axis``."""

    inner: Expr
    axis: int
    start: int


@dataclass(frozen=True)
class Flip(Expr):
    """``inner`` with each of ``axes`` reversed (index i reads size - 1 - i)."""

    inner: Expr
    axes: tuple[int, ...]


@dataclass(frozen=True)
class Concat(Expr):
    """``parts`` one after another along ``axis``."""

    parts: tuple[Expr, ...]
    axis: int


@dataclass(frozen=True)
class Merge(Expr):
    """One of two summed tensors where the target keeps only their sum (two recurrent biases).

    ``same_side`` is the one on the target's side; it is taken when ``other`` is zero, ``other`` is
    taken when ``same_side`` is zero, and anything else cannot be exported exactly.
    """

    same_side: Expr
    other: Expr
    what: str


def src(name: str, shape: tuple[int, ...]) -> Src:
    return Src(tuple(shape), name)


def zero(*shape: int) -> Zero:
    return Zero(tuple(shape))


def transpose(x: Expr, axes: tuple[int, ...]) -> Expr:
    if axes == tuple(range(len(axes))):
        return x
    if isinstance(x, Transpose):  # one transpose: axis k reads inner axis x.axes[axes[k]]
        return transpose(x.inner, tuple(x.axes[a] for a in axes))
    return Transpose(tuple(x.shape[a] for a in axes), x, axes)


def swap(x: Expr) -> Expr:
    """The transposed matrix."""
    return transpose(x, (1, 0))


def reshape(x: Expr, shape: tuple[int, ...]) -> Expr:
    assert math.prod(shape) == math.prod(x.shape), (shape, x.shape)
    if tuple(shape) == x.shape:
        return x
    if isinstance(x, Reshape):
        return reshape(x.inner, shape)
    if isinstance(x, Zero):
        return Zero(tuple(shape))
    return Reshape(tuple(shape), x)


def take(x: Expr, axis: int, start: int, stop: int) -> Expr:
    """Indices [start, stop) along ``axis``; a slice that falls within one part of a
    concatenation along the same axis reads that part directly."""
    if (start, stop) == (0, x.shape[axis]):
        return x
    shape = list(x.shape)
    shape[axis] = stop - start
    if isinstance(x, Zero):
        return Zero(tuple(shape))
    if isinstance(x, Slice) and x.axis == axis:
        return take(x.inner, axis, x.start + start, x.start + stop)
    if isinstance(x, Concat) and x.axis == axis:
        offset = 0
        for part in x.parts:
            size = part.shape[axis]
            if offset <= start and stop <= offset + size:
                return take(part, axis, start - offset, stop - offset)
            offset += size
    return Slice(tuple(shape), x, axis, start)


def flip(x: Expr, axes: tuple[int, ...]) -> Expr:
    return Flip(x.shape, x, axes) if axes else x


def concat(parts: list[Expr], axis: int) -> Expr:
    if len(parts) == 1:
        return parts[0]
    shape = list(parts[0].shape)
    shape[axis] = sum(p.shape[axis] for p in parts)
    return Concat(tuple(shape), tuple(parts), axis)


def merge(same_side: Expr, other: Expr, what: str) -> Merge:
    return Merge(same_side.shape, same_side, other, what)


def rebuild(x: Expr, inner: Callable[[Expr], Expr]) -> Expr:
    """``x`` with ``inner`` applied to its operands, through the simplifying constructors."""
    if isinstance(x, Src | Zero):
        return x
    if isinstance(x, Concat):
        return concat([inner(p) for p in x.parts], x.axis)
    if isinstance(x, Merge):
        return merge(inner(x.same_side), inner(x.other), x.what)
    if isinstance(x, Transpose):
        return transpose(inner(x.inner), x.axes)
    if isinstance(x, Reshape):
        return reshape(inner(x.inner), x.shape)
    if isinstance(x, Slice):
        return take(inner(x.inner), x.axis, x.start, x.start + x.shape[x.axis])
    assert isinstance(x, Flip)
    return flip(inner(x.inner), x.axes)


def substitute(x: Expr, table: Mapping[str, Expr]) -> Expr:
    """``x`` with every source replaced by its definition in ``table``."""
    if isinstance(x, Src):
        found = table[x.name]
        assert found.shape == x.shape, (x.name, found.shape, x.shape)
        return found
    return rebuild(x, lambda e: substitute(e, table))


def resolve_merges(x: Expr, is_zero_source: Callable[[str], bool], loc: Loc, layer: str) -> Expr:
    """Replace every Merge by the side it takes, or refuse the export (section 18.3)."""

    def is_zero(e: Expr) -> bool:
        if isinstance(e, Zero):
            return True
        if isinstance(e, Src):
            return is_zero_source(e.name)
        return all(is_zero(b) for b in leaves(e))

    if isinstance(x, Merge):
        if is_zero(x.other):
            return resolve_merges(x.same_side, is_zero_source, loc, layer)
        if is_zero(x.same_side):
            return resolve_merges(x.other, is_zero_source, loc, layer)
        raise RecipeError(
            (*loc, "init"),
            f"layer {layer!r}: the target keeps one bias where the source has two ({x.what}); their sum "
            "is not any of the source's values. Initialize one of them with 'zeros' to export it",
        )
    return rebuild(x, lambda e: resolve_merges(e, is_zero_source, loc, layer))


def leaves(x: Expr) -> Iterator[Src | Zero]:
    """Source and zero blocks, left to right."""
    if isinstance(x, Src | Zero):
        yield x
    elif isinstance(x, Concat):
        for p in x.parts:
            yield from leaves(p)
    elif isinstance(x, Merge):
        yield from leaves(x.same_side)
        yield from leaves(x.other)
    else:
        assert isinstance(x, Transpose | Reshape | Slice | Flip)
        yield from leaves(x.inner)


def locate(x: Expr, flat: I64) -> Iterator[tuple[Src | Zero, I64, I64]]:
    """For elements ``flat`` (row-major indices) of ``x``: (block, positions in ``flat``, indices
    into the block). Vectorized; O(len(flat) * depth) time and memory."""
    yield from _locate(x, flat, np.arange(flat.shape[0], dtype=np.int64))


def _unravel(flat: I64, shape: tuple[int, ...]) -> list[I64]:
    if not shape:
        return []
    return [np.asarray(a, dtype=np.int64) for a in np.unravel_index(flat, shape)]


def _ravel(index: list[I64], shape: tuple[int, ...], like: I64) -> I64:
    if not shape:
        return np.zeros_like(like)
    out = np.zeros_like(like)
    for i, size in zip(index, shape, strict=True):
        out = out * size + i
    return out


def _locate(x: Expr, flat: I64, pos: I64) -> Iterator[tuple[Src | Zero, I64, I64]]:
    if flat.shape[0] == 0:
        return
    if isinstance(x, Src | Zero):
        yield x, pos, flat
    elif isinstance(x, Reshape):
        yield from _locate(x.inner, flat, pos)
    elif isinstance(x, Transpose):
        outer = _unravel(flat, x.shape)
        inner = [outer[x.axes.index(a)] for a in range(len(x.axes))]
        yield from _locate(x.inner, _ravel(inner, x.inner.shape, flat), pos)
    elif isinstance(x, Slice):
        index = _unravel(flat, x.shape)
        index[x.axis] = index[x.axis] + x.start
        yield from _locate(x.inner, _ravel(index, x.inner.shape, flat), pos)
    elif isinstance(x, Flip):
        index = _unravel(flat, x.shape)
        for a in x.axes:
            index[a] = x.shape[a] - 1 - index[a]
        yield from _locate(x.inner, _ravel(index, x.inner.shape, flat), pos)
    elif isinstance(x, Concat):
        index = _unravel(flat, x.shape)
        bounds = np.cumsum([0] + [p.shape[x.axis] for p in x.parts])
        which = np.searchsorted(bounds, index[x.axis], side="right") - 1
        for k, part in enumerate(x.parts):
            sel = which == k
            if not sel.any():
                continue
            sub = [i[sel] for i in index]
            sub[x.axis] = sub[x.axis] - bounds[k]
            yield from _locate(part, _ravel(sub, part.shape, flat[sel]), pos[sel])
    else:
        raise AssertionError(f"unresolved {type(x).__name__} in an export expression")


#: Slices of several blocks at once are counted element by element up to this size.
COUNT_LIMIT = 1 << 16


def block_counts(x: Expr) -> list[tuple[Src | Zero, int]] | None:
    """How many elements of ``x`` each block provides (views are injective, so a block whose
    count equals its size is used whole); None when that is not known cheaply."""
    if isinstance(x, Src | Zero):
        return [(x, math.prod(x.shape))]
    if isinstance(x, Concat):
        counts = [block_counts(p) for p in x.parts]
        return None if any(c is None for c in counts) else [b for c in counts if c is not None for b in c]
    assert isinstance(x, Transpose | Reshape | Slice | Flip)
    inner = block_counts(x.inner)
    if not isinstance(x, Slice) or inner is None:
        return inner
    if len(inner) == 1:  # a slice keeps its share of a single block
        return [(inner[0][0], math.prod(x.shape))]
    if math.prod(x.shape) > COUNT_LIMIT:
        return None
    found: dict[int, tuple[Src | Zero, int]] = {}
    for block, where, _ in locate(x, np.arange(math.prod(x.shape), dtype=np.int64)):
        seen = found.get(id(block), (block, 0))[1]
        found[id(block)] = (block, seen + int(where.shape[0]))
    return list(found.values())


# ---- the gathered sampler ----------------------------------------------------------------------

#: Position-defined samplers are computed in windows; two wanted source elements further apart
#: than this start a new window, so a window never computes more than GAP + 1 elements per wanted
#: element (bounded memory), at the price of one call per element for strided reads.
GAP = 16


@dataclass(frozen=True)
class SourceTensor:
    """What a gathered tensor reads from one source tensor of the plan."""

    name: str
    shape: tuple[int, ...]
    sampler: Sampler
    key: StreamKey
    zero_row: int | None = None

    @property
    def numel(self) -> int:
        return math.prod(self.shape)


def source_values(source: SourceTensor, indices: I64, wide: bool) -> F64:
    """Binary64 values of elements ``indices`` of a source tensor (any order, repeats allowed),
    equal to what its own generation gives for them."""
    n = int(indices.shape[0])
    sampler = source.sampler
    if n == 0:
        return np.zeros(0, dtype=np.float64)
    first = int(indices[0])
    if np.array_equal(indices, np.arange(first, first + n, dtype=np.int64)):
        out = sample(sampler, source.key, first, n, wide)
    elif isinstance(sampler, Constant):
        out = np.full(n, sampler.value, dtype=np.float64)
    elif isinstance(sampler, Indexed):
        out = _indexed_values(source, indices, wide)
    else:
        # Elementwise samplers: element e reads words e*W .. e*W + W - 1 and nothing else.
        per = sampler.words_per_element(wide)
        word_index = (indices.astype(np.uint64)[:, None] * np.uint64(per)) + np.arange(per, dtype=np.uint64)
        words = words_at(source.key, word_index.reshape(-1).astype(np.uint64))
        out = sampler.transform(words, n, wide)
    if source.zero_row is not None:
        row = math.prod(source.shape[1:])
        out[indices // row == source.zero_row] = 0.0
    return out


def _indexed_values(source: SourceTensor, indices: I64, wide: bool) -> F64:
    order = np.argsort(indices, kind="stable")
    wanted = indices[order]
    out = np.empty(wanted.shape[0], dtype=np.float64)
    # Samplers that compute their whole tensor anyway (and cache it) are read in one window.
    whole = isinstance(source.sampler, Orthogonal | DeltaOrthogonal)
    inner = [] if whole else (np.nonzero(np.diff(wanted) > GAP)[0] + 1).tolist()
    for a, b in itertools.pairwise([0, *inner, wanted.shape[0]]):
        lo, hi = int(wanted[a]), int(wanted[b - 1]) + 1
        assert isinstance(source.sampler, Indexed)
        window = source.sampler.values(source.key, lo, hi - lo, wide)
        out[a:b] = window[wanted[a:b] - lo]
    result = np.empty_like(out)
    result[order] = out
    return result


@dataclass(frozen=True)
class Gathered(Indexed):
    """An exported tensor: each element is an element of a source tensor, or zero."""

    expr: Expr
    sources: tuple[SourceTensor, ...]
    _by_name: dict[str, SourceTensor] = field(init=False, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {s.name: s for s in self.sources})

    def values(self, key: StreamKey, start: int, count: int, wide: bool) -> F64:
        out = np.zeros(count, dtype=np.float64)
        for block, where, inner in locate(self.expr, np.arange(start, start + count, dtype=np.int64)):
            if isinstance(block, Src):
                out[where] = source_values(self._by_name[block.name], inner, wide)
        return out

    def parts(self) -> list[tuple[Sampler | None, int | None, bool]]:
        """(source sampler or None for zeros, elements taken or None if unknown, whether the whole
        source is taken)."""
        counts = block_counts(self.expr)
        if counts is None:
            return [(self._by_name[b.name].sampler if isinstance(b, Src) else None, None, False)
                    for b in leaves(self.expr)]  # fmt: skip
        return [
            (self._by_name[b.name].sampler, n, n == math.prod(b.shape))
            if isinstance(b, Src)
            else (None, n, True)
            for b, n in counts
        ]

    def expected_with(self, of: Callable[[Sampler], dict[str, float | None]]) -> dict[str, float | None]:
        """Moments of the mixture of the parts, each part's from ``of``; mean and std unknown (None)
        where a position-defined source is only partly taken (its part's moments are not its
        own) or the parts' sizes are not known."""
        parts = self.parts()
        zero: dict[str, float | None] = {"mean": 0.0, "std": 0.0, "min": 0.0, "max": 0.0}
        moments = [(zero if s is None else of(s), n, whole, s) for s, n, whole in parts]
        lows = [e["min"] for e, _, _, _ in moments]
        highs = [e["max"] for e, _, _, _ in moments]
        low = None if any(v is None for v in lows) else min(v for v in lows if v is not None)
        high = None if any(v is None for v in highs) else max(v for v in highs if v is not None)
        total = sum(n or 0 for _, n, _, _ in moments)
        mean = square = 0.0
        for e, n, whole, sampler in moments:
            mu, sd = e["mean"], e["std"]
            if n is None or mu is None or sd is None or (isinstance(sampler, Indexed) and not whole):
                return {"mean": None, "std": None, "min": low, "max": high}
            mean += mu * n / total
            square += (sd * sd + mu * mu) * n / total
        return {"mean": mean, "std": math.sqrt(max(square - mean * mean, 0.0)), "min": low, "max": high}

    def expected(self) -> dict[str, float | None]:
        return self.expected_with(lambda s: s.expected() if isinstance(s, Indexed) else _UNKNOWN)

    def extremes(self) -> tuple[float, ...]:
        return ()  # every source was checked against the dtype's range when it was planned


_UNKNOWN: dict[str, float | None] = {"mean": None, "std": None, "min": None, "max": None}


# ---- layer tables: each library's form <-> torch's form ----------------------------------------


def _spatial(layer: m.ConvLayer | m.ConvTransposeLayer) -> int:
    return int(layer.kind[-2])


def _is_transposed(layer: m.Layer) -> bool:
    return isinstance(layer, m.ConvTranspose1dLayer | m.ConvTranspose2dLayer | m.ConvTranspose3dLayer)


def _keras_depthwise(layer: m.Layer) -> bool:
    return isinstance(layer, m.Conv1dLayer | m.Conv2dLayer) and layer.depthwise


RENAMES: dict[str, dict[str, dict[str, str]]] = {
    # layer type -> library -> {library's parameter: torch's parameter}
    "embedding": {"keras": {"embeddings": "weight"}, "flax": {"embedding": "weight"}},
    "layer_norm": {"keras": {"gamma": "weight", "beta": "bias"}, "flax": {"scale": "weight", "bias": "bias"}},
    "rms_norm": {"keras": {"scale": "weight"}, "flax": {"scale": "weight"}},
    "group_norm": {"keras": {"gamma": "weight", "beta": "bias"}, "flax": {"scale": "weight", "bias": "bias"}},
    "batch_norm": {
        "keras": {"gamma": "weight", "beta": "bias", "moving_mean": "running_mean",
                  "moving_variance": "running_var"},
        "flax": {"scale": "weight", "bias": "bias", "mean": "running_mean", "var": "running_var"},
    },
}  # fmt: skip
GRU_KERAS_ORDER = (1, 0, 2)  # Keras keeps the gates (z, r, n); torch (r, z, n)
FLAX_LSTM_GATES = ("i", "f", "g", "o")
FLAX_GRU_GATES = ("r", "z", "n")


def _family(layer: m.Layer) -> str:
    return "batch_norm" if layer.kind.startswith("batch_norm") else layer.kind


def to_torch(
    layer: m.Layer, library: Library, shapes: Mapping[str, tuple[int, ...]], loc: Loc
) -> dict[str, Expr]:
    """torch's parameters of ``layer`` as expressions over the ``library`` form's (``shapes``)."""
    s: dict[str, Expr] = {name: src(name, shape) for name, shape in shapes.items()}
    family = _family(layer)
    if family in RENAMES:
        out: dict[str, Expr] = {
            torch: s[name] for name, torch in RENAMES[family][library].items() if name in s
        }
        if family == "batch_norm":
            out["num_batches_tracked"] = zero()
        return out
    if isinstance(layer, m.LinearLayer):
        return {"weight": swap(s["kernel"]), **({"bias": s["bias"]} if "bias" in s else {})}
    if isinstance(layer, m.ConvLayer | m.ConvTransposeLayer):
        return {
            "weight": _conv_to_torch(layer, library, s["kernel"], loc),
            **({"bias": s["bias"]} if "bias" in s else {}),
        }
    if isinstance(layer, m.PReLULayer):
        slope = s["alpha"] if library == "keras" else s["negative_slope"]
        return {"weight": reshape(slope, (layer.num_parameters,))}
    if isinstance(layer, m.RecurrentLayer):
        return _recurrent_to_torch(layer, library, s)
    if isinstance(layer, m.MultiheadAttentionLayer):
        return _attention_to_torch(layer, library, s, loc)
    raise AssertionError(f"no export table for {layer.kind}")


def from_torch(layer: m.Layer, library: Library, torch: Mapping[str, Expr], loc: Loc) -> dict[str, Expr]:
    """The ``library`` form's parameters of ``layer`` as expressions over torch's (``torch``)."""
    t = dict(torch)
    family = _family(layer)
    if family in RENAMES:
        return {name: t[source] for name, source in RENAMES[family][library].items() if source in t}
    if isinstance(layer, m.LinearLayer):
        return {"kernel": swap(t["weight"]), **({"bias": t["bias"]} if "bias" in t else {})}
    if isinstance(layer, m.ConvLayer | m.ConvTransposeLayer):
        return {
            "kernel": _conv_from_torch(layer, library, t["weight"], loc),
            **({"bias": t["bias"]} if "bias" in t else {}),
        }
    if isinstance(layer, m.PReLULayer):
        if library == "keras":
            return {"alpha": t["weight"]}
        return {"negative_slope": reshape(t["weight"], ())}
    if isinstance(layer, m.RecurrentLayer):
        return _recurrent_from_torch(layer, library, t)
    if isinstance(layer, m.MultiheadAttentionLayer):
        return _attention_from_torch(layer, library, t, loc)
    raise AssertionError(f"no export table for {layer.kind}")


def _conv_to_torch(
    layer: m.ConvLayer | m.ConvTransposeLayer, library: Library, kernel: Expr, loc: Loc
) -> Expr:
    d = _spatial(layer)
    spatial = tuple(range(d))
    if library == "keras" and _keras_depthwise(layer):
        # (*k, in, multiplier) -> (in, multiplier, *k) -> (out = in * multiplier, 1, *k)
        moved = transpose(kernel, (d, d + 1, *spatial))
        return reshape(moved, (layer.out_channels, 1, *kernel_size(layer, loc)))
    if _is_transposed(layer):
        if library == "keras":  # (*k, out, in) -> (in, out, *k)
            return transpose(kernel, (d + 1, d, *spatial))
        # flax (*k, in, out), applied without torch's spatial flip -> (in, out, *k) flipped
        return flip(transpose(kernel, (d, d + 1, *spatial)), tuple(range(2, d + 2)))
    return transpose(kernel, (d + 1, d, *spatial))  # (*k, in/g, out) -> (out, in/g, *k)


def _conv_from_torch(
    layer: m.ConvLayer | m.ConvTransposeLayer, library: Library, weight: Expr, loc: Loc
) -> Expr:
    d = _spatial(layer)
    kernel_axes = tuple(range(2, d + 2))
    if library == "keras" and _keras_depthwise(layer):
        groups = conv_groups(layer, loc)
        split = reshape(weight, (groups, layer.out_channels // groups, *kernel_size(layer, loc)))
        return transpose(split, (*kernel_axes, 0, 1))  # (in, multiplier, *k) -> (*k, in, multiplier)
    if _is_transposed(layer):
        if library == "keras":  # (in, out, *k) -> (*k, out, in)
            return transpose(weight, (*kernel_axes, 1, 0))
        return transpose(flip(weight, kernel_axes), (*kernel_axes, 0, 1))  # flax (*k, in, out), flipped
    return transpose(weight, (*kernel_axes, 1, 0))  # (out, in/g, *k) -> (*k, in/g, out)


def _gates(x: Expr, n: int, axis: int = 0) -> list[Expr]:
    size = x.shape[axis] // n
    return [take(x, axis, q * size, (q + 1) * size) for q in range(n)]


def _recurrent_to_torch(layer: m.RecurrentLayer, library: Library, s: Mapping[str, Expr]) -> dict[str, Expr]:
    h = layer.hidden_size
    g = {"rnn": 1, "lstm": 4, "gru": 3}[layer.kind]
    out: dict[str, Expr] = {}
    if library == "keras":
        kernels = [swap(s["kernel"]), swap(s["recurrent_kernel"])]  # (g*h, in), (g*h, h)
        if layer.kind == "gru":  # Keras (z, r, n) -> torch (r, z, n), on rows
            kernels = [concat([_gates(k, 3)[q] for q in GRU_KERAS_ORDER], 0) for k in kernels]
        out["weight_ih_l0"], out["weight_hh_l0"] = kernels
        if "bias" in s:
            if layer.kind == "gru":  # (2, 3h): row 0 the input biases, row 1 the recurrent ones
                rows = [reshape(take(s["bias"], 0, r, r + 1), (3 * h,)) for r in (0, 1)]
                out["bias_ih_l0"], out["bias_hh_l0"] = (
                    concat([_gates(b, 3)[q] for q in GRU_KERAS_ORDER], 0) for b in rows
                )
            else:  # one bias, on the input side
                out["bias_ih_l0"], out["bias_hh_l0"] = s["bias"], zero(g * h)
        return out
    if layer.kind == "rnn":  # SimpleCell: i (with bias), h (without)
        return {"weight_ih_l0": swap(s["i.kernel"]), "weight_hh_l0": swap(s["h.kernel"]),
                "bias_ih_l0": s["i.bias"], "bias_hh_l0": zero(h)}  # fmt: skip
    gates = FLAX_LSTM_GATES if layer.kind == "lstm" else FLAX_GRU_GATES
    out["weight_ih_l0"] = concat([swap(s[f"i{q}.kernel"]) for q in gates], 0)
    out["weight_hh_l0"] = concat([swap(s[f"h{q}.kernel"]) for q in gates], 0)

    def bias(side: str, q: str) -> Expr:
        return s[f"{side}{q}.bias"] if f"{side}{q}.bias" in s else zero(h)

    out["bias_ih_l0"] = concat([bias("i", q) for q in gates], 0)
    out["bias_hh_l0"] = concat([bias("h", q) for q in gates], 0)
    return out


def _recurrent_from_torch(
    layer: m.RecurrentLayer, library: Library, t: Mapping[str, Expr]
) -> dict[str, Expr]:
    g = {"rnn": 1, "lstm": 4, "gru": 3}[layer.kind]
    w_ih, w_hh = t["weight_ih_l0"], t["weight_hh_l0"]
    has_bias = "bias_ih_l0" in t
    out: dict[str, Expr] = {}
    if library == "keras":
        if layer.kind == "gru":
            order = list(GRU_KERAS_ORDER)
            out["kernel"] = concat([swap(_gates(w_ih, 3)[q]) for q in order], 1)
            out["recurrent_kernel"] = concat([swap(_gates(w_hh, 3)[q]) for q in order], 1)
            if has_bias:
                both = [concat([_gates(t[b], 3)[q] for q in order], 0) for b in ("bias_ih_l0", "bias_hh_l0")]
                out["bias"] = reshape(concat(both, 0), (2, g * layer.hidden_size))
            return out
        out["kernel"], out["recurrent_kernel"] = swap(w_ih), swap(w_hh)
        if has_bias:
            out["bias"] = merge(t["bias_ih_l0"], t["bias_hh_l0"], "bias_ih_l0 + bias_hh_l0")
        return out
    b_ih, b_hh = t["bias_ih_l0"], t["bias_hh_l0"]
    if layer.kind == "rnn":
        return {"i.kernel": swap(w_ih), "h.kernel": swap(w_hh),
                "i.bias": merge(b_ih, b_hh, "bias_ih_l0 + bias_hh_l0")}  # fmt: skip
    gates = FLAX_LSTM_GATES if layer.kind == "lstm" else FLAX_GRU_GATES
    for q, (wi, wh, bi, bh) in enumerate(
        zip(_gates(w_ih, g), _gates(w_hh, g), _gates(b_ih, g), _gates(b_hh, g), strict=True)
    ):
        name = gates[q]
        out[f"i{name}.kernel"], out[f"h{name}.kernel"] = swap(wi), swap(wh)
        what = f"gate {name}: bias_ih_l0 + bias_hh_l0"
        if layer.kind == "lstm":  # LSTMCell: biases on the h side only
            out[f"h{name}.bias"] = merge(bh, bi, what)
        elif name == "n":  # GRUCell: in.bias outside the reset gate, hn.bias inside it, as torch
            out["in.bias"], out["hn.bias"] = bi, bh
        else:  # GRUCell r and z: biases on the i side only
            out[f"i{name}.bias"] = merge(bi, bh, what)
    return out


def _attention_names(library: Library) -> tuple[str, str, str, str]:
    return ("query", "key", "value", "attention_output" if library == "keras" else "out")


def _attention_to_torch(
    layer: m.MultiheadAttentionLayer, library: Library, s: Mapping[str, Expr], loc: Loc
) -> dict[str, Expr]:
    _, kdim, vdim = attention_dims(layer, loc)
    e = layer.embed_dim
    q, k, v, o = _attention_names(library)
    # (in, heads, head_dim) -> (in, E) -> (E, in): row a * head_dim + b is head a, feature b.
    proj = [swap(reshape(s[f"{n}.kernel"], (w, e))) for n, w in ((q, e), (k, kdim), (v, vdim))]
    out: dict[str, Expr] = {}
    if kdim == e and vdim == e:
        out["in_proj_weight"] = concat(proj, 0)
    else:
        out["q_proj_weight"], out["k_proj_weight"], out["v_proj_weight"] = proj
    if f"{q}.bias" in s:
        out["in_proj_bias"] = concat([reshape(s[f"{n}.bias"], (e,)) for n in (q, k, v)], 0)
        out["out_proj.bias"] = s[f"{o}.bias"]
    out["out_proj.weight"] = swap(reshape(s[f"{o}.kernel"], (e, e)))  # (heads, head_dim, E) -> (E, E)^T
    return out


def _attention_from_torch(
    layer: m.MultiheadAttentionLayer, library: Library, t: Mapping[str, Expr], loc: Loc
) -> dict[str, Expr]:
    head, kdim, vdim = attention_dims(layer, loc)
    e, heads = layer.embed_dim, layer.num_heads
    q, k, v, o = _attention_names(library)
    if "in_proj_weight" in t:
        weights = _gates(t["in_proj_weight"], 3)
    else:
        weights = [t["q_proj_weight"], t["k_proj_weight"], t["v_proj_weight"]]
    out: dict[str, Expr] = {}
    for name, w, width in zip((q, k, v), weights, (e, kdim, vdim), strict=True):
        out[f"{name}.kernel"] = reshape(swap(w), (width, heads, head))
    if "in_proj_bias" in t:
        for name, b in zip((q, k, v), _gates(t["in_proj_bias"], 3), strict=True):
            out[f"{name}.bias"] = reshape(b, (heads, head))
        out[f"{o}.bias"] = t["out_proj.bias"]
    out[f"{o}.kernel"] = reshape(swap(t["out_proj.weight"]), (heads, head, e))
    return out


# ---- one layer's export ------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportedParameter:
    """One parameter of the target library's layer and where its elements come from."""

    parameter: Parameter
    expr: Expr


def export_layer(
    layer: m.Layer,
    convention: str,
    target: Library,
    loc: Loc,
    is_zero_source: Callable[[str], bool],
) -> list[ExportedParameter] | None:
    """The target library's parameters of ``layer`` as expressions over its own parameters
    (named by suffix); None when the layer already is in the target's form."""
    source = library_of(convention)
    if source == target:
        return None
    try:
        wanted = layer_parameters(layer, target, loc)
    except RecipeError as exc:
        raise RecipeError(
            exc.loc,
            f"layer {layer.name!r} ({layer.kind}) cannot be exported to {target}: {exc.message}",
        ) from exc
    own = {p.suffix: p.shape for p in layer_parameters(layer, convention, loc)}
    torch = to_torch(layer, source, own, loc) if source != "torch" else {n: src(n, s) for n, s in own.items()}
    exprs = from_torch(layer, target, torch, loc) if target != "torch" else torch
    out = []
    for p in wanted:
        expr = resolve_merges(exprs[p.suffix], is_zero_source, loc, layer.name)
        assert expr.shape == p.shape, (layer.kind, p.suffix, expr.shape, p.shape)
        out.append(ExportedParameter(p, expr))
    return out

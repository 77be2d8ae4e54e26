"""Recipe -> plan: one entry per tensor with everything the engine and the sinks need.

Planning is pure and O(number of tensors): sizes are checked against the limits here, with
Python integers, before anything is allocated.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from tensorseed.recipe import models as m
from tensorseed.recipe.canonical import canonical_json, utf16_order
from tensorseed.recipe.errors import LimitExceeded, Loc, RecipeError, did_you_mean
from tensorseed.recipe.export import (
    ExportedParameter,
    Gathered,
    Reshape,
    SourceTensor,
    Src,
    export_layer,
    leaves,
)
from tensorseed.recipe.fans import Fans, Layout, convention_fans, layout_of
from tensorseed.recipe.layers import layer_parameters
from tensorseed.recipe.presets import expand
from tensorseed.recipe.schemes import Target, resolve
from tensorseed.stream.dtypes import DType
from tensorseed.stream.key import StreamKey, stream_key
from tensorseed.stream.samplers import Constant, Indexed, Sampler, TruncNormal, Uniform

if TYPE_CHECKING:  # torch is imported only for rng="torch" recipes
    from tensorseed.stream.torch_rng import TorchDraw


@dataclass(frozen=True)
class Limits:
    """Size limits a plan must respect (configured by the service)."""

    max_tensor_elements: int = 2**31
    max_total_elements: int = 2**33
    max_tensors: int = 10_000


@dataclass(frozen=True)
class TensorPlan:
    """One tensor: what to generate and where it comes from."""

    name: str
    shape: tuple[int, ...]
    dtype: DType
    scheme: str
    sampler: Sampler
    key: StreamKey
    fans: Fans
    gain: float | None
    zero_row: int | None = None
    #: Set in torch-exact mode: the bytes come from torch's generator, ``sampler`` only
    #: describes the distribution (for expected statistics).
    torch_draw: TorchDraw | None = None

    @property
    def numel(self) -> int:
        return math.prod(self.shape)

    @property
    def nbytes(self) -> int:
        return self.numel * self.dtype.itemsize

    @property
    def row_elements(self) -> int:
        return math.prod(self.shape[1:])


@dataclass(frozen=True)
class Plan:
    """All tensors of a recipe, in file order (names sorted by UTF-16 code units, as JCS does)."""

    seed: int
    dtype: DType
    canonical_recipe: str
    tensors: tuple[TensorPlan, ...]
    rng: str = "portable"

    @property
    def total_elements(self) -> int:
        return sum(t.numel for t in self.tensors)


def canonical_recipe(recipe: m.Recipe) -> str:
    """RFC 8785 form of the recipe as given (unset defaults stay unset), seed as a string."""
    data = recipe.model_dump(mode="python", exclude_unset=True)
    data["seed"] = str(recipe.seed_value)
    try:
        return canonical_json(data)
    except ValueError as exc:  # an integer JSON cannot carry exactly (beyond 2^53)
        raise RecipeError((), f"the recipe cannot be written as canonical JSON: {exc}") from exc


def _check_dtype_range(sampler: Sampler, dtype: DType, loc: Loc) -> None:
    limit = dtype.max_finite
    values: tuple[float, ...] = ()
    if isinstance(sampler, Constant):
        values = (sampler.value,)
    elif isinstance(sampler, Uniform | TruncNormal):
        values = (sampler.low, sampler.high)
    elif isinstance(sampler, Indexed):
        values = sampler.extremes()
    if dtype is DType.int64 and not (isinstance(sampler, Constant) and float(sampler.value).is_integer()):
        raise RecipeError(loc, "an int64 buffer takes an integral constant only (zeros, ones, constant)")
    for v in values:
        if abs(v) > limit:
            raise RecipeError(loc, f"value {v} is outside the finite range of {dtype.value}")


def _shape_numel(shape: tuple[int, ...], loc: Loc, limits: Limits) -> int:
    numel = math.prod(shape)
    if numel > m.INT64_MAX:
        raise RecipeError((*loc, "shape"), f"shape {list(shape)} has more elements than int64 can count")
    if numel > limits.max_tensor_elements:
        raise LimitExceeded(
            (*loc, "shape"),
            f"{numel} elements exceed the per-tensor limit of {limits.max_tensor_elements}",
        )
    return numel


class _Builder:
    def __init__(self, recipe: m.Recipe, limits: Limits) -> None:
        self.seed = recipe.seed_value
        self.dtype = DType(recipe.dtype)
        self.limits = limits
        self.tensors: dict[str, TensorPlan] = {}
        self.total = 0
        #: (layer, loc, convention) of every layer, and the tensors tied to another, for ``export``.
        self.layers: list[tuple[m.Layer, Loc, str]] = []
        self.ties: dict[str, str] = {}

    def add(
        self,
        name: str,
        shape: tuple[int, ...],
        spec: m.InitBase,
        fans: Fans,
        loc: Loc,
        *,
        convention: str,
        layout: Layout,
        zero_row: int | None = None,
        dtype: DType | None = None,
    ) -> None:
        if name in self.tensors:
            raise RecipeError(loc, f"duplicate tensor name {name!r}")
        if len(self.tensors) >= self.limits.max_tensors:
            raise LimitExceeded(loc, f"a recipe holds at most {self.limits.max_tensors} tensors")
        numel = _shape_numel(shape, loc, self.limits)
        self.total += numel
        if self.total > self.limits.max_total_elements:
            raise LimitExceeded(
                loc, f"the recipe exceeds the limit of {self.limits.max_total_elements} elements"
            )
        init_loc = (*loc, "init")
        target = Target(name, self.seed, shape, fans, layout, convention)
        resolved = resolve(spec, target, init_loc)
        tensor_dtype = dtype or self.dtype
        _check_dtype_range(resolved.sampler, tensor_dtype, init_loc)
        self.tensors[name] = TensorPlan(
            name=name,
            shape=shape,
            dtype=tensor_dtype,
            scheme=spec.scheme,
            sampler=resolved.sampler,
            key=stream_key(self.seed, name),
            fans=fans,
            gain=resolved.gain,
            zero_row=zero_row,
        )

    def add_layer(self, layer: m.Layer, loc: Loc, recipe_convention: str) -> None:
        """Every parameter of a layer: the convention's default init unless ``init`` overrides."""
        convention = layer.convention or recipe_convention
        params = layer_parameters(layer, convention, loc)
        self.layers.append((layer, loc, convention))
        overrides = dict(layer.init or {})
        names = [p.suffix for p in params]
        unknown = sorted(set(overrides) - set(names))
        if unknown:
            raise RecipeError(
                (*loc, "init"),
                f"{layer.type} layer {layer.name!r} ({convention} convention) has no parameter(s) "
                f"{unknown}{did_you_mean(unknown[0], names)}; it has {names}",
            )
        for p in params:
            spec = overrides.get(p.suffix, p.default)
            self.add(
                f"{layer.name}.{p.suffix}", p.shape, spec, p.fans, loc,
                convention=convention, layout=p.layout, zero_row=p.zero_row, dtype=p.dtype,
            )  # fmt: skip

    def add_raw(self, t: m.TensorSpec, loc: Loc, recipe_convention: str) -> None:
        """A raw tensor: fans from its convention's layout unless given explicitly."""
        shape = tuple(t.shape)
        convention = t.convention or recipe_convention
        computed = convention_fans(shape, convention)
        fans = Fans(
            t.fan_in if t.fan_in is not None else computed.fan_in,
            t.fan_out if t.fan_out is not None else computed.fan_out,
        )
        self.add(t.name, shape, t.init, fans, loc, convention=convention, layout=layout_of(convention))

    def add_tie(self, name: str, target: str, loc: Loc) -> None:
        """A tensor with the bytes of ``target``: same stream (keyed by the target's name)."""
        if name in self.tensors:
            raise RecipeError(loc, f"duplicate tensor name {name!r}")
        if target not in self.tensors:
            raise RecipeError(
                loc,
                f"{name!r} is tied to {target!r}, which is not in the recipe"
                f"{did_you_mean(target, self.tensors)}",
            )
        if len(self.tensors) >= self.limits.max_tensors:
            raise LimitExceeded(loc, f"a recipe holds at most {self.limits.max_tensors} tensors")
        source = self.tensors[target]
        self.total += source.numel
        if self.total > self.limits.max_total_elements:
            raise LimitExceeded(
                loc, f"the recipe exceeds the limit of {self.limits.max_total_elements} elements"
            )
        self.tensors[name] = dataclasses.replace(source, name=name)
        self.ties[name] = target

    def export_layers(self, target: m.ExportTarget, loc: Loc) -> None:
        """Every layer's tensors in the target library's names and layouts (spec section 18): the
        layer's own tensors are replaced by views of them; raw tensors stay as they are."""
        exports: list[tuple[m.Layer, Loc, list[ExportedParameter], dict[str, TensorPlan]]] = []
        for layer, layer_loc, convention in self.layers:
            own = {
                p.suffix: self.tensors[f"{layer.name}.{p.suffix}"]
                for p in layer_parameters(layer, convention, layer_loc)
            }
            exported = export_layer(layer, convention, target, layer_loc, partial(_is_zero_param, own))
            if exported is not None:
                exports.append((layer, layer_loc, exported, own))
        for layer, _, _, own in exports:
            for suffix in own:
                name = f"{layer.name}.{suffix}"
                tied = [tie for tie, source in self.ties.items() if source == name]
                if tied:
                    raise RecipeError(
                        loc,
                        f"{tied[0]!r} is tied to {name!r}, which export rewrites; ties cannot be exported",
                    )
                del self.tensors[name]
                self.total -= own[suffix].numel
        for layer, layer_loc, exported, own in exports:
            for e in exported:
                name = f"{layer.name}.{e.parameter.suffix}"
                if name in self.tensors:
                    raise RecipeError(layer_loc, f"exported tensor {name!r} duplicates another tensor's name")
                if len(self.tensors) >= self.limits.max_tensors:
                    raise LimitExceeded(loc, f"a recipe holds at most {self.limits.max_tensors} tensors")
                tensor = _exported_tensor(name, e, own, self.seed, self.dtype)
                self.total += tensor.numel
                if self.total > self.limits.max_total_elements:
                    raise LimitExceeded(
                        loc, f"the recipe exceeds the limit of {self.limits.max_total_elements} elements"
                    )
                self.tensors[name] = tensor


def _is_zero_param(own: dict[str, TensorPlan], suffix: str) -> bool:
    """Whether every element of a layer's parameter is zero by its scheme (a constant 0): such a
    tensor may be dropped where the target library keeps one bias for two (section 18)."""
    sampler = own[suffix].sampler
    return isinstance(sampler, Constant) and sampler.value == 0.0


def _exported_tensor(
    name: str, exported: ExportedParameter, own: dict[str, TensorPlan], seed: int, dtype: DType
) -> TensorPlan:
    """The plan of one exported tensor: a renamed (or reshaped) source keeps its own plan, so it
    is generated as fast as before; any other view gathers its elements from the sources."""
    expr, param = exported.expr, exported.parameter
    inner = expr.inner if isinstance(expr, Reshape) else expr
    if isinstance(inner, Src) and (inner is expr or own[inner.name].zero_row is None):
        return dataclasses.replace(own[inner.name], name=name, shape=expr.shape)
    used = list(dict.fromkeys(b.name for b in leaves(expr) if isinstance(b, Src)))
    if not used:  # the target keeps a parameter the source has not (torch's counter, a second bias)
        return TensorPlan(name, expr.shape, param.dtype or dtype, "zeros", Constant(0.0),
                          stream_key(seed, name), Fans(None, None), None)  # fmt: skip
    sources = [own[u] for u in used]
    dtypes = {t.dtype for t in sources}
    assert len(dtypes) == 1, f"{name} gathers from tensors of several dtypes"
    sampler = Gathered(expr, tuple(SourceTensor(u, t.shape, t.sampler, t.key, t.zero_row)
                                   for u, t in zip(used, sources, strict=True)))  # fmt: skip
    schemes = list(dict.fromkeys(t.scheme for t in sources))
    single = sources[0] if len(sources) == 1 else None
    return TensorPlan(
        name=name,
        shape=expr.shape,
        dtype=dtypes.pop(),
        scheme="+".join(schemes),
        sampler=sampler,
        key=stream_key(seed, name),
        fans=single.fans if single else Fans(None, None),
        gain=single.gain if single else None,
    )


def build_plan(recipe: m.Recipe, limits: Limits | None = None) -> Plan:
    """Expand layers, resolve schemes, check names and limits; raise RecipeError on problems."""
    builder = _Builder(recipe, limits or Limits())
    for i, layer in enumerate(recipe.layers):
        builder.add_layer(layer, ("layers", i), recipe.convention)
    for i, t in enumerate(recipe.tensors):
        builder.add_raw(t, ("tensors", i), recipe.convention)
    if recipe.model is not None:
        if recipe.rng == "torch":
            raise RecipeError(("model",), "model presets are not available with rng='torch'")
        expansion = expand(recipe.model, builder.limits.max_tensors)
        for layer in expansion.layers:
            builder.add_layer(layer, ("model", layer.name), "torch")
        for t in expansion.tensors:
            builder.add_raw(t, ("model", t.name), "torch")
        for tie in expansion.ties:
            builder.add_tie(tie.name, tie.target, ("model", tie.name))
    if recipe.ties and recipe.rng == "torch":
        raise RecipeError(("ties",), "ties are not available with rng='torch'")
    for name, target in recipe.ties.items():
        if target in recipe.ties:
            raise RecipeError(
                ("ties", name),
                f"{name!r} is tied to {target!r}, itself tied to {recipe.ties[target]!r}: "
                "tie every tensor to the one that is generated",
            )
        builder.add_tie(name, target, ("ties", name))
    if recipe.export is not None:
        if recipe.rng == "torch":
            raise RecipeError(("export",), "export is available with rng 'portable' only")
        builder.export_layers(recipe.export, ("export",))
    if recipe.rng == "torch":
        from tensorseed.recipe.torch_program import torch_draws

        draws = torch_draws(recipe, {name: t.dtype.itemsize for name, t in builder.tensors.items()})
        for name, draw in draws.items():
            builder.tensors[name] = dataclasses.replace(builder.tensors[name], torch_draw=draw)
    ordered = tuple(sorted(builder.tensors.values(), key=lambda tp: utf16_order(tp.name)))
    return Plan(builder.seed, builder.dtype, canonical_recipe(recipe), ordered, recipe.rng)

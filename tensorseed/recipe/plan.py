"""Recipe -> plan: one entry per tensor with everything the engine and the sinks need.

Planning is pure and O(number of tensors): sizes are checked against the limits here, with
Python integers, before anything is allocated. Its own cost is bounded too: every tensor
planned, preset entry expanded and override pattern tested counts against
``Limits.max_plan_work`` (``WorkBudget``), so no recipe makes the planner run for minutes.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from pydantic import BaseModel

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
from tensorseed.recipe.presets import WorkBudget, expand
from tensorseed.recipe.schemes import Target, resolve
from tensorseed.stream import SPEC_V1, SPEC_VERSION
from tensorseed.stream.dtypes import DType
from tensorseed.stream.key import StreamKey, stream_key
from tensorseed.stream.samplers import Constant, Indexed, Normal, Sampler, TruncNormal, Uniform
from tensorseed.stream.versions import sampler_for

if TYPE_CHECKING:  # torch is imported only for rng="torch" recipes
    from tensorseed.stream.torch_rng import TorchDraw


@dataclass(frozen=True)
class Limits:
    """Size limits a plan must respect (configured by the service)."""

    max_tensor_elements: int = 2**31
    max_total_elements: int = 2**33
    max_tensors: int = 10_000
    #: Planning steps: tensors planned, preset entries expanded, (override pattern, name) tests.
    max_plan_work: int = 200_000
    #: Refuse parameters whose values could be infinite in the output dtype (a uniform whose
    #: width overflows binary64, a normal reaching past the dtype's largest value). The stream
    #: spec defines those values (infinities), so the library and the ports generate them; the
    #: service sets this and answers 422 instead of serving infinities and null statistics.
    finite_values: bool = False


#: The reference service's default limits (app/settings.py), which the library's API and the CLI
#: apply too, so that a recipe is accepted by `tensorseed.generate` exactly when the service
#: accepts it. ``Limits()`` itself is the stream spec's own rule (what the ports implement).
SERVICE_LIMITS = Limits(finite_values=True)


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
    #: The stream version: ``key`` is derived under it and ``sampler`` is that version's sampler
    #: for ``dtype`` (v2's binary32 samplers for float32, float16 and bfloat16).
    spec: str = SPEC_VERSION

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
    #: The stream version of every tensor (the file's ``tensorseed.spec``).
    spec: str = SPEC_VERSION

    @property
    def total_elements(self) -> int:
        return sum(t.numel for t in self.tensors)


def _dump(value: object) -> object:
    """``model_dump(exclude_unset=True)``, one list item at a time: a megabyte recipe is then
    many short calls, not one long one that holds the GIL (a server's event loop waits)."""
    if isinstance(value, BaseModel):
        return {
            name: _dump(getattr(value, name)) if isinstance(getattr(value, name), list | BaseModel)
            else value.model_dump(mode="python", include={name}, exclude_unset=True)[name]
            for name in value.model_fields_set
        }  # fmt: skip
    if isinstance(value, list):
        return [_dump(v) if isinstance(v, BaseModel) else v for v in value]
    return value


def canonical_recipe(recipe: m.Recipe) -> str:
    """RFC 8785 form of the recipe as given (unset defaults stay unset), seed as a string.

    The version is explicit from v2 on: a v2 canonical recipe always holds ``"spec":
    "tensorseed-stream/2"`` (added when the recipe left it out), so a file or token is
    self-describing forever. A v1 recipe's canonical form is v1's own rule, without a ``spec``
    member, so that pinning v1 reproduces v1's files (header included) byte for byte.
    """
    data = _dump(recipe)
    assert isinstance(data, dict)
    data["seed"] = str(recipe.seed_value)
    if recipe.spec == SPEC_V1:
        data.pop("spec", None)
    else:
        data["spec"] = recipe.spec
    try:
        return canonical_json(data)
    except ValueError as exc:  # an integer JSON cannot carry exactly (beyond 2^53)
        raise RecipeError((), f"the recipe cannot be written as canonical JSON: {exc}") from exc


#: No normal sampler draws |z| this large: its uniform input has at most 64 bits, and
#: Phi^-1(2^-64) is about -9.3. Used to refuse parameters whose values would overflow the dtype.
NORMAL_Z_BOUND = 10.0
#: How many unknown parameter names an error about a layer's ``init`` spells out.
UNKNOWN_LISTED = 10


def _check_dtype_range(sampler: Sampler, dtype: DType, loc: Loc, finite_values: bool = False) -> None:
    limit = dtype.max_finite
    values: tuple[float, ...] = ()
    if isinstance(sampler, Constant):
        values = (sampler.value,)
    elif isinstance(sampler, Uniform):
        if finite_values and not math.isfinite(sampler.high - sampler.low):
            raise RecipeError(
                loc, f"uniform's width b - a = {sampler.high} - ({sampler.low}) overflows binary64: "
                "its values would be infinite",
            )  # fmt: skip
        values = (sampler.low, sampler.high)
    elif isinstance(sampler, TruncNormal):
        values = (sampler.low, sampler.high)
    elif isinstance(sampler, Normal) and finite_values:
        reach = abs(sampler.mean) + NORMAL_Z_BOUND * sampler.std
        if not math.isfinite(reach) or reach > limit:
            raise RecipeError(
                loc, f"normal with mean {sampler.mean} and std {sampler.std} draws values up to "
                f"|mean| + {NORMAL_Z_BOUND:g} std = {reach}, outside the finite range of {dtype.value}",
            )  # fmt: skip
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
        self.spec = recipe.spec
        self.dtype = DType(recipe.dtype)
        self.limits = limits
        self.work = WorkBudget(limits.max_plan_work)
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
        self.work.spend(1, loc)
        numel = _shape_numel(shape, loc, self.limits)
        self.total += numel
        if self.total > self.limits.max_total_elements:
            raise LimitExceeded(
                loc, f"the recipe exceeds the limit of {self.limits.max_total_elements} elements"
            )
        init_loc = (*loc, "init")
        target = Target(name, self.seed, shape, fans, layout, convention, self.spec)
        resolved = resolve(spec, target, init_loc)
        tensor_dtype = dtype or self.dtype
        _check_dtype_range(resolved.sampler, tensor_dtype, init_loc, self.limits.finite_values)
        self.tensors[name] = TensorPlan(
            name=name,
            shape=shape,
            dtype=tensor_dtype,
            scheme=spec.scheme,
            sampler=sampler_for(resolved.sampler, self.spec, tensor_dtype),
            key=stream_key(self.seed, name, self.spec),
            fans=fans,
            gain=resolved.gain,
            zero_row=zero_row,
            spec=self.spec,
        )

    def add_layer(self, layer: m.Layer, loc: Loc, recipe_convention: str) -> None:
        """Every parameter of a layer: the convention's default init unless ``init`` overrides."""
        convention = layer.convention or recipe_convention
        params = layer_parameters(layer, convention, loc, self.spec)
        self.layers.append((layer, loc, convention))
        overrides = dict(layer.init or {})
        names = [p.suffix for p in params]
        unknown = sorted(set(overrides) - set(names))
        if unknown:
            # A megabyte body can name ~40,000 parameters: the message lists a few, not all.
            listed = f"{unknown[:UNKNOWN_LISTED]}" + (
                f" and {len(unknown) - UNKNOWN_LISTED} more" if len(unknown) > UNKNOWN_LISTED else ""
            )
            raise RecipeError(
                (*loc, "init"),
                f"{layer.type} layer {layer.name!r} ({convention} convention) has no parameter(s) "
                f"{listed}{did_you_mean(unknown[0], names)}; it has {names}",
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
                for p in layer_parameters(layer, convention, layer_loc, self.spec)
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
                if tensor.numel > self.limits.max_tensor_elements:
                    # 18.4: the limits of 9.4 hold for exported tensors too, and a concatenation
                    # (Flax gate kernels, attention projections) can exceed what each source stays under.
                    raise LimitExceeded(
                        layer_loc,
                        f"exported tensor {name!r} has {tensor.numel} elements, over the per-tensor limit "
                        f"of {self.limits.max_tensor_elements}",
                    )
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
        expansion = expand(recipe.model, builder.limits.max_tensors, builder.work)
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
    return Plan(builder.seed, builder.dtype, canonical_recipe(recipe), ordered, recipe.rng, recipe.spec)

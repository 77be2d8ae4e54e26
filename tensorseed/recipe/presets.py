"""Model presets: an architecture named in a recipe expands to its whole state dict.

Each preset is a declarative JSON description in ``tensorseed/recipe/presets/`` (config with defaults,
consistency checks, and a tensor list with ``for``/``if`` blocks, ``{expr}`` name fields,
``"=expr"`` values and ``tie`` entries). Adding a preset is adding a file; this module is the
one expander for all of them.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from pydantic import TypeAdapter, ValidationError

from tensorseed.recipe import models as m
from tensorseed.recipe.errors import LimitExceeded, Loc, RecipeError, did_you_mean
from tensorseed.recipe.expressions import ExpressionError, evaluate, substitute
from tensorseed.recipe.layers import layer_parameters


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    source: str
    config: dict[str, dict[str, Any]]
    checks: list[list[str]]
    tensors: list[dict[str, Any]]


class WorkBudget:
    """Planning steps left for one recipe; spending past zero raises LimitExceeded (413)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit

    def spend(self, steps: int, loc: Loc) -> None:
        self.left -= steps
        if self.left < 0:
            raise LimitExceeded(
                loc,
                f"planning this recipe takes more than {self.limit} steps (tensors planned, preset "
                "entries expanded and override patterns tested against tensor names: the planning "
                "work limit, max_plan_work); use fewer or more specific overrides, or fewer tensors",
            )


#: Wildcards (``*``, ``?``, ``[``) one override pattern may hold: keeps one test's cost small.
MAX_PATTERN_WILDCARDS = 16


@dataclass(frozen=True)
class Tie:
    """``name`` holds the same bytes as ``target`` (e.g. GPT-2's lm_head and wte)."""

    name: str
    target: str


@cache
def presets() -> dict[str, Preset]:
    """Every preset shipped in tensorseed/recipe/presets/*.json, by name."""
    out = {}
    for entry in sorted(
        resources.files("tensorseed.recipe").joinpath("presets").iterdir(), key=lambda p: p.name
    ):
        if entry.name.endswith(".json"):
            raw = json.loads(entry.read_text(encoding="utf-8"))
            out[raw["name"]] = Preset(**raw)
    return out


def _config(preset: Preset, given: Mapping[str, Any], loc: Loc) -> dict[str, Any]:
    unknown = sorted(set(given) - set(preset.config))
    if unknown:
        raise RecipeError(
            (*loc, "config"),
            f"{preset.name} has no config key(s) {unknown}{did_you_mean(unknown[0], preset.config)}; "
            f"it has {list(preset.config)}",
        )
    values: dict[str, Any] = {}
    for key, spec in preset.config.items():
        value = given[key] if key in given else substitute(spec["default"], values)
        _check_type(key, value, spec, (*loc, "config", key))
        values[key] = value
    for condition, message in preset.checks:
        if not evaluate(condition, values):
            raise RecipeError((*loc, "config"), message)
    return values


def _check_type(key: str, value: Any, spec: Mapping[str, Any], loc: Loc) -> None:
    kind = spec["type"]
    ok = {
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "string": isinstance(value, str),
        "boolean": isinstance(value, bool),
        "array": isinstance(value, list),
    }[kind]
    if not ok:
        raise RecipeError(loc, f"{key} must be of type {kind}")
    if kind in ("integer", "number") and "minimum" in spec and value < spec["minimum"]:
        raise RecipeError(loc, f"{key} must be at least {spec['minimum']}")
    if "enum" in spec and value not in spec["enum"]:
        raise RecipeError(loc, f"{key} must be one of {spec['enum']}")
    if kind == "array":
        if len(value) < spec.get("minItems", 0):
            raise RecipeError(loc, f"{key} needs at least {spec['minItems']} items")
        item = spec.get("items", {})
        for i, v in enumerate(value):
            _check_type(f"{key}[{i}]", v, item, (*loc, i))


def _walk(entries: list[dict[str, Any]], names: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Blocks: ``for``/``in`` loops, ``if`` conditions, ``let`` bindings (evaluated in order);
    leaves: a tensor, a ``tie``, or a ``layer`` (expanded as recipe layers are)."""
    for entry in entries:
        if "for" in entry:
            for k in range(int(evaluate(entry["in"], names))):
                yield from _walk(entry["tensors"], {**names, entry["for"]: k})
        elif "if" in entry:
            if evaluate(entry["if"], names):
                yield from _walk(entry["tensors"], names)
        elif "let" in entry:
            scope = dict(names)
            for key, value in entry["let"].items():
                scope[key] = substitute(value, scope)
            yield from _walk(entry["tensors"], scope)
        else:
            yield substitute(entry, names)


@dataclass(frozen=True)
class Expansion:
    """What a preset becomes: raw tensors and layers (overrides applied), and ties."""

    tensors: list[m.TensorSpec]
    layers: list[m.Layer]
    ties: list[Tie]


_LAYER = TypeAdapter(m.Layer)


def expand(spec: m.ModelSpec, max_tensors: int, work: WorkBudget | None = None) -> Expansion:
    """The preset's tensors and layers, validated like a recipe's, in the torch convention.

    Each expanded entry and each override test spends from ``work`` (unbounded when None).
    """
    work = work or WorkBudget(1 << 62)
    loc: Loc = ("model",)
    preset = presets().get(spec.preset)
    if preset is None:
        raise RecipeError(
            (*loc, "preset"),
            f"unknown preset {spec.preset!r}{did_you_mean(spec.preset, presets())}; "
            f"available: {sorted(presets())}",
        )
    tensors: list[m.TensorSpec] = []
    layers: list[m.Layer] = []
    ties: list[Tie] = []
    try:
        config = _config(preset, spec.config, loc)
        for raw in _walk(preset.tensors, config):
            if len(tensors) + len(layers) + len(ties) >= max_tensors:
                raise LimitExceeded(loc, f"the preset expands to more than {max_tensors} tensors")
            work.spend(1, loc)
            if "tie" in raw:
                ties.append(Tie(raw["name"], raw["tie"]))
            elif "layer" in raw:
                layers.append(_LAYER.validate_python({**raw["layer"], "convention": "torch"}, strict=True))
            else:
                tensors.append(m.TensorSpec.model_validate(raw))
    except ExpressionError as exc:
        raise RecipeError((*loc, "config"), str(exc)) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise RecipeError(
            (*loc, "config"), f"the config gives an invalid tensor ({where}: {first['msg']})"
        ) from exc
    _apply_overrides(tensors, layers, spec.overrides, work)
    return Expansion(tensors, layers, ties)


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    # fnmatch.translate's star segments are atomic, so one test is linear in the name's length.
    return re.compile(fnmatch.translate(pattern))


def matches(pattern: str, name: str) -> bool:
    """Glob over names: the pattern matches the whole name or a suffix starting at a dot,
    so ``h.*.mlp.c_proj.weight`` matches ``transformer.h.3.mlp.c_proj.weight``."""
    rx = _compiled(pattern)
    if rx.match(name):
        return True
    pos = name.find(".")
    while pos >= 0:
        if rx.match(name, pos + 1):
            return True
        pos = name.find(".", pos + 1)
    return False


def wildcards(pattern: str) -> int:
    """How many wildcards (``*``, ``?``, ``[``) a glob holds."""
    return sum(pattern.count(c) for c in "*?[")


def _apply_overrides(
    tensors: list[m.TensorSpec],
    layers: list[m.Layer],
    overrides: list[m.PresetOverride],
    work: WorkBudget,
) -> None:
    """Replace, in place, the init of every tensor or layer parameter a pattern matches.

    Later overrides win. Each distinct pattern is tested once per name (repeats reuse the
    result), and every test spends one planning step.
    """
    names: list[str] = [t.name for t in tensors]
    params: list[list[str]] = []
    for layer in layers:
        params.append([p.suffix for p in layer_parameters(layer, "torch", ("model",))])
        names.extend(f"{layer.name}.{n}" for n in params[-1])
    hits_of: dict[str, frozenset[str]] = {}
    last_init: dict[str, m.InitSpec] = {}  # the init of each pattern's last occurrence
    for i, override in enumerate(overrides):
        where = ("model", "overrides", i, "match")
        pattern = override.match
        if pattern not in hits_of:
            if wildcards(pattern) > MAX_PATTERN_WILDCARDS:
                raise RecipeError(where, f"a pattern holds at most {MAX_PATTERN_WILDCARDS} wildcards (* ? [)")
            work.spend(len(names), where)
            hits_of[pattern] = frozenset(n for n in names if matches(pattern, n))
        if not hits_of[pattern]:
            raise RecipeError(where, f"pattern {pattern!r} matches no tensor")
        last_init.pop(pattern, None)  # re-inserted: dict order is the order of last occurrences
        last_init[pattern] = override.init
    # Later overrides win: walk the distinct patterns from the last one back, first claim wins.
    chosen: dict[str, m.InitSpec] = {}
    for pattern in reversed(last_init):
        for n in hits_of[pattern]:
            chosen.setdefault(n, last_init[pattern])
    if not chosen:
        return
    for j, t in enumerate(tensors):
        if t.name in chosen:
            tensors[j] = t.model_copy(update={"init": chosen[t.name]})
    for j, layer in enumerate(layers):
        mine = {n: chosen[f"{layer.name}.{n}"] for n in params[j] if f"{layer.name}.{n}" in chosen}
        if mine:
            layers[j] = layer.model_copy(update={"init": {**(layer.init or {}), **mine}})

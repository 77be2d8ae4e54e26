"""Model presets: an architecture named in a recipe expands to its whole state dict.

Each preset is a declarative JSON description in ``app/recipe/presets/`` (config with defaults,
consistency checks, and a tensor list with ``for``/``if`` blocks, ``{expr}`` name fields,
``"=expr"`` values and ``tie`` entries). Adding a preset is adding a file; this module is the
one expander for all of them.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pydantic import ValidationError

from app.recipe import models as m
from app.recipe.errors import LimitExceeded, Loc, RecipeError
from app.recipe.expressions import ExpressionError, evaluate, substitute


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    source: str
    config: dict[str, dict[str, Any]]
    checks: list[list[str]]
    tensors: list[dict[str, Any]]


@dataclass(frozen=True)
class Tie:
    """``name`` holds the same bytes as ``target`` (e.g. GPT-2's lm_head and wte)."""

    name: str
    target: str


@cache
def presets() -> dict[str, Preset]:
    """Every preset shipped in app/recipe/presets/*.json, by name."""
    out = {}
    for entry in sorted(resources.files("app.recipe").joinpath("presets").iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            raw = json.loads(entry.read_text(encoding="utf-8"))
            out[raw["name"]] = Preset(**raw)
    return out


def _config(preset: Preset, given: Mapping[str, Any], loc: Loc) -> dict[str, Any]:
    unknown = sorted(set(given) - set(preset.config))
    if unknown:
        raise RecipeError(
            (*loc, "config"), f"{preset.name} has no config key(s) {unknown}; it has {list(preset.config)}"
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
    for entry in entries:
        if "for" in entry:
            for k in range(int(evaluate(entry["in"], names))):
                yield from _walk(entry["tensors"], {**names, entry["for"]: k})
        elif "if" in entry:
            if evaluate(entry["if"], names):
                yield from _walk(entry["tensors"], names)
        else:
            yield substitute(entry, names)


def expand(spec: m.ModelSpec, max_tensors: int) -> tuple[list[m.TensorSpec], list[Tie]]:
    """The preset's tensors (overrides applied) and its ties, validated like raw tensors."""
    loc: Loc = ("model",)
    preset = presets().get(spec.preset)
    if preset is None:
        raise RecipeError((*loc, "preset"), f"unknown preset {spec.preset!r}; available: {sorted(presets())}")
    tensors: list[m.TensorSpec] = []
    ties: list[Tie] = []
    try:
        config = _config(preset, spec.config, loc)
        for raw in _walk(preset.tensors, config):
            if len(tensors) + len(ties) >= max_tensors:
                raise LimitExceeded(loc, f"the preset expands to more than {max_tensors} tensors")
            if "tie" in raw:
                ties.append(Tie(raw["name"], raw["tie"]))
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
    return _apply_overrides(tensors, spec.overrides), ties


def matches(pattern: str, name: str) -> bool:
    """Glob over names: the pattern matches the whole name or a suffix starting at a dot,
    so ``h.*.mlp.c_proj.weight`` matches ``transformer.h.3.mlp.c_proj.weight``."""
    parts = name.split(".")
    return any(fnmatch.fnmatchcase(".".join(parts[i:]), pattern) for i in range(len(parts)))


def _apply_overrides(tensors: list[m.TensorSpec], overrides: list[m.PresetOverride]) -> list[m.TensorSpec]:
    out = list(tensors)
    for i, override in enumerate(overrides):
        hits = [j for j, t in enumerate(out) if matches(override.match, t.name)]
        if not hits:
            raise RecipeError(
                ("model", "overrides", i, "match"), f"pattern {override.match!r} matches no tensor"
            )
        for j in hits:
            out[j] = out[j].model_copy(update={"init": override.init})
    return out

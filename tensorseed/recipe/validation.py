"""Reading a recipe: JSON text or data -> a validated Recipe, with errors a person can act on.

The service and the library read recipes the same way: ``json.loads`` (FastAPI's body parser),
then the strict pydantic models. This module turns pydantic's errors into the messages both
show: the unknown field or name with a "did you mean", the layer types and schemes there are,
and JSON syntax errors with their line and column. The same details make the service's 422
body ``{"error", "error_type", "details"}`` and the CLI's error output.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from tensorseed.recipe import models as m
from tensorseed.recipe.errors import RecipeError, closest, did_you_mean

#: Details listed in a message; the full list stays in ``details``.
MESSAGE_DETAILS = 10


class InvalidRecipe(RecipeError):
    """A recipe that is not valid JSON, or not a valid recipe field by field (HTTP 422).

    ``details`` lists every problem as ``{"loc", "msg", "type"}`` (the HTTP body's ``details``).
    """

    def __init__(self, message: str, details: list[dict[str, str]], error_type: str) -> None:
        super().__init__((), message)
        self.details = details
        self.error_type = error_type


RecipeSource = m.Recipe | Mapping[str, Any] | str | bytes


def parse_recipe(source: RecipeSource) -> m.Recipe:
    """A validated Recipe from a Recipe, a dict, or JSON text; InvalidRecipe otherwise.

    Examples:
        >>> text = '{"seed": 1, "tensors": [{"name": "t", "shape": [2], "init": {"scheme": "ones"}}]}'
        >>> parse_recipe(text).seed
        1
    """
    if isinstance(source, m.Recipe):
        return source
    data: Any = source
    if isinstance(source, str | bytes):
        try:
            data = json.loads(source)
        except json.JSONDecodeError as exc:
            raise json_error(exc.msg, exc.doc, exc.pos) from None
        except UnicodeDecodeError as exc:
            message = f"recipe is not valid JSON: not UTF-8 ({exc.reason} at byte {exc.start})"
            raise InvalidRecipe(message, [{"loc": "body", "msg": message, "type": "json_invalid"}],
                                "invalid_json") from None  # fmt: skip
    try:
        return m.Recipe.model_validate(data)
    except ValidationError as exc:
        details = error_details(exc.errors(include_url=False))
        raise InvalidRecipe(summary(details), details, "validation_error") from None


def json_error(reason: str, document: str | bytes, position: int) -> InvalidRecipe:
    """A JSON syntax error at character ``position`` of ``document``, with its line and column."""
    text = document if isinstance(document, str) else document.decode("utf-8", "replace")
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    message = f"not valid JSON: {reason} at line {line} column {column}"
    return InvalidRecipe(message, [{"loc": "body", "msg": message, "type": "json_invalid"}], "invalid_json")


def summary(details: list[dict[str, str]]) -> str:
    """The details as one line: ``loc: msg; loc: msg``, at most MESSAGE_DETAILS of them."""
    message = "; ".join(f"{d['loc']}: {d['msg']}" for d in details[:MESSAGE_DETAILS])
    if len(details) > MESSAGE_DETAILS:
        message += f"; and {len(details) - MESSAGE_DETAILS} more"
    return message


def error_body(exc: RecipeError) -> dict[str, Any]:
    """The service's error body for a recipe error: ``{"error", "error_type"[, "details"]}``."""
    body: dict[str, Any] = {"error": str(exc), "error_type": exc.error_type}
    if isinstance(exc, InvalidRecipe):
        body["details"] = exc.details
    else:  # one entry locating the problem, so a form can show it next to its field
        body["details"] = [{"loc": loc_text(exc.loc), "msg": exc.message, "type": exc.error_type}]
    return body


def loc_text(loc: Iterable[Any]) -> str:
    """``layers.0.linear.in_features``: a location as the service prints it (no ``body``)."""
    return ".".join(str(p) for p in loc if p != "body") or "body"


def error_details(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """pydantic's errors as ``{"loc", "msg", "type"}``, each message saying what to write."""
    out = []
    for error in errors:
        loc = tuple(p for p in error.get("loc", ()) if p != "body")
        kind = str(error.get("type", ""))
        loc, msg = _explain(kind, loc, error)
        out.append({"loc": loc_text(loc), "msg": msg, "type": kind})
    return out


# ---- messages ----

_QUOTED = re.compile(r"'([^']*)'")
_LAYER_TYPES = list(m.TORCH_CLASS_NAMES)


def _explain(kind: str, loc: tuple[Any, ...], error: Mapping[str, Any]) -> tuple[tuple[Any, ...], str]:
    msg = str(error.get("msg", ""))
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "union_tag_invalid":
        field = str(ctx.get("discriminator", "")).strip("'")
        tag = str(ctx.get("tag", ""))
        return (*loc, field), _unknown_tag(field, tag, _QUOTED.findall(str(ctx.get("expected_tags", ""))))
    if kind == "union_tag_not_found":
        field = str(ctx.get("discriminator", "")).strip("'")
        if field == "type":
            return (*loc, field), f'a layer needs a "type": one of {", ".join(_LAYER_TYPES)}'
        return (*loc, field), 'an init needs a "scheme" (e.g. {"scheme": "normal", "std": 0.02})'
    if kind == "extra_forbidden" and loc:
        return loc, _unknown_field(loc)
    if kind == "literal_error" and isinstance(value, str):
        return loc, msg + did_you_mean(value, _QUOTED.findall(str(ctx.get("expected", ""))))
    if kind == "value_error":
        return loc, msg.removeprefix("Value error, ")
    return loc, msg


#: Class names other libraries give the catalogue's layer types (a hint, not an alias).
_OTHER_LIBRARY_NAMES = {
    "dense": "linear", "conv1dtranspose": "conv_transpose1d", "conv2dtranspose": "conv_transpose2d",
    "conv3dtranspose": "conv_transpose3d", "layernormalization": "layer_norm", "embed": "embedding",
    "rmsnormalization": "rms_norm", "batchnormalization": "batch_norm2d", "groupnormalization": "group_norm",
    "simplernn": "rnn", "multiheadattention": "multihead_attention",
    "multiheaddotproductattention": "multihead_attention",
}  # fmt: skip


def _unknown_tag(field: str, tag: str, expected: list[str]) -> str:
    if field == "type":
        hint = _OTHER_LIBRARY_NAMES.get(tag.lower().replace("_", ""))
        best = closest(tag, expected)
        text = f"unknown layer type {tag!r}"
        if hint is not None and best is None:
            return (
                f"{text}; {tag} is called {hint!r} here (the convention field picks whose names and defaults)"
            )
        if best is not None:
            return f"{text}; did you mean {best!r}?"
        canonical = [t for t in expected if t in m.TORCH_CLASS_NAMES]
        return f"{text}; layer types: {', '.join(canonical)} (or their torch.nn class names)"
    best = closest(tag, expected)
    what = "scheme" if field == "scheme" else f"{field} value"
    if best is not None:
        return f"unknown {what} {tag!r}; did you mean {best!r}?"
    return f"unknown {what} {tag!r}; {what}s: {', '.join(expected)}"


def _unknown_field(loc: tuple[Any, ...]) -> str:
    field = str(loc[-1])
    model = _model_at(loc[:-1])
    if model is None:
        return f"unknown field {field!r}"
    fields = list(model.model_fields)
    suggestion = did_you_mean(field, fields)
    if suggestion:
        return f"unknown field {field!r}{suggestion}"
    return f"unknown field {field!r}; {_model_label(model, loc[:-1])} takes: {', '.join(fields)}"


def _model_label(model: type[BaseModel], loc: tuple[Any, ...]) -> str:
    if model is m.Recipe:
        return "a recipe"
    tag = next((p for p in reversed(loc) if isinstance(p, str) and _tags(model) and p in _tags(model)), None)
    if tag is not None and "type" in model.model_fields:
        return f"a {tag} layer"
    if tag is not None:
        return f"the {tag} scheme"
    return {m.TensorSpec: "a raw tensor", m.ModelSpec: "a model", m.PresetOverride: "an override"}.get(
        model, model.__name__
    )


def _tags(model: type[BaseModel]) -> tuple[Any, ...]:
    """The discriminator values (``type`` or ``scheme`` literals) of a union member."""
    for name in ("type", "scheme"):
        info = model.model_fields.get(name)
        if info is not None and get_origin(info.annotation) is not None:
            return get_args(info.annotation)
    return ()


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def _step(tp: Any, part: Any) -> Any:
    """The type one location element further down from ``tp``, or None where it leads nowhere."""
    tp = _unwrap(tp)
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        members = [_unwrap(a) for a in get_args(tp) if a is not type(None)]
        for member in members:  # a discriminated union: the location names the member's tag
            if isinstance(member, type) and issubclass(member, BaseModel) and part in _tags(member):
                return member
        for member in members:
            found = _step(member, part)
            if found is not None:
                return found
        return None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        info = tp.model_fields.get(part) if isinstance(part, str) else None
        return None if info is None else info.annotation
    if origin is list and isinstance(part, int):
        return get_args(tp)[0]
    if origin is dict and isinstance(part, str):
        return get_args(tp)[1]
    return None


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model whose fields a location's last element is checked against."""
    current: Any = m.Recipe
    for part in loc:
        current = _step(current, part)
        if current is None:
            return None
    current = _unwrap(current)
    if get_origin(current) in (Union, types.UnionType):  # an optional model: ``ModelSpec | None``
        models = [a for a in get_args(current) if isinstance(a, type) and issubclass(a, BaseModel)]
        current = models[0] if len(models) == 1 else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None

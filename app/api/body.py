"""JSON bodies parsed and validated off the event loop, in GIL-friendly steps.

FastAPI would parse and validate a body model on the event loop: about 130 ms for a 1 MiB
``Recipe`` body on the 2-core dev machine, during which nothing else (health checks included) is
answered. ``JsonBodyRoute`` (alias ``RecipeBodyRoute``) reads the raw body, hands it to the
engine's planning threads, and gives FastAPI's own body step the validated model (an instance
passes FastAPI's validation at once), so the OpenAPI document and the SDKs still describe the
model. A ``Recipe`` is validated as below; any other model in one call, once the route's
prechecks (``json_body_route``) and ``check_list_lengths`` have refused, by looking at the raw
data, lists longer than the limits or the schema allow (a list's length costs nothing, while
validating a megabyte of items before refusing them is one call of about 100 ms).

Even on a worker thread, one long C call (``json.loads``, a pydantic validation) holds the GIL
and stalls the loop for its whole length. So the long lists of a recipe (layers, tensors,
preset overrides) are validated in batches of ``BATCH`` items: each call is short, and between
them the loop gets the GIL. The result, and every error (same locations, same order), equal a
single ``Recipe.model_validate``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter, ValidationError

from tensorseed.recipe import models as m

from .clients import client_key

#: Items validated per call (a few ms each).
BATCH = 128
#: Top-level recipe fields in declaration order (pydantic reports errors in this order).
_FIELD_ORDER = {name: i for i, name in enumerate(m.Recipe.model_fields)}
_MODEL_ORDER = {name: i for i, name in enumerate(m.ModelSpec.model_fields)}
_LAYERS: TypeAdapter[list[m.Layer]] = TypeAdapter(list[m.Layer])
_TENSORS: TypeAdapter[list[m.TensorSpec]] = TypeAdapter(list[m.TensorSpec])
_OVERRIDES: TypeAdapter[list[m.PresetOverride]] = TypeAdapter(list[m.PresetOverride])

BOM = b"\xef\xbb\xbf"


class UndecodableBody(ValueError):
    """A body that is not UTF-8 JSON text at all (answered 400 invalid_json)."""


def _number(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """``convert`` behind a Python frame: json.loads calls it for every number, and each call into
    Python code lets the interpreter hand the GIL to the event loop. Without it, a megabyte of
    numbers is one C call that holds the GIL for 100-150 ms (floats); with it, at most ~15 ms,
    for 20% more time."""

    def number(text: str) -> Any:
        return convert(text)

    return number


def decode_json(raw: bytes) -> Any:
    """The JSON value of a body: strict UTF-8 without a byte order mark (stream spec 9.5).

    Raises UndecodableBody (400) for bad encodings, nesting too deep for the parser or numbers
    with more digits than Python converts, and RequestValidationError (422, ``json_invalid``)
    for text that is not JSON.
    """
    if raw.startswith(BOM):
        raise UndecodableBody(
            "request body is not valid JSON: it starts with a UTF-8 byte order mark (stream spec 9.5)"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UndecodableBody(
            f"request body is not valid JSON: not UTF-8 ({exc.reason} at byte {exc.start})"
        ) from None
    try:
        return json.loads(text, parse_float=_number(float), parse_int=_number(int))
    except json.JSONDecodeError as exc:
        error = {"type": "json_invalid", "loc": ("body", exc.pos), "msg": "JSON decode error",
                 "input": {}, "ctx": {"error": exc.msg}}  # fmt: skip
        raise RequestValidationError([error], body=text) from None
    except RecursionError:
        raise UndecodableBody("request body is not valid JSON: nested too deeply") from None
    except ValueError as exc:  # int(): more digits than sys.get_int_max_str_digits() (4300)
        raise UndecodableBody(f"request body is not valid JSON: {str(exc).split(';')[0]}") from None


def _batched(
    items: list[Any], adapter: TypeAdapter[Any], loc: tuple[Any, ...]
) -> tuple[list[Any], list[Any]]:
    """Items validated BATCH at a time: valid ones as instances, invalid ones left raw; and the
    errors of the invalid ones with their locations in the recipe."""
    out: list[Any] = []
    errors: list[Any] = []
    for offset in range(0, len(items), BATCH):
        part = items[offset : offset + BATCH]
        try:
            out.extend(adapter.validate_python(part))
            continue
        except ValidationError as exc:
            failed = exc.errors(include_url=False)
        bad = {e["loc"][0] for e in failed}
        for i, item in enumerate(part):
            out.append(item if i in bad else adapter.validate_python([item])[0])
        errors.extend({**e, "loc": (*loc, offset + int(e["loc"][0]), *e["loc"][1:])} for e in failed)
    return out, errors


def _rank(error: dict[str, Any]) -> tuple[int, int]:
    loc = error.get("loc", ())
    top = _FIELD_ORDER.get(loc[0], len(_FIELD_ORDER)) if loc else -1
    sub = _MODEL_ORDER.get(loc[1], len(_MODEL_ORDER)) if len(loc) > 1 and loc[0] == "model" else 0
    return top, sub


def validate_recipe(data: Any) -> m.Recipe:
    """``Recipe.model_validate(data)``, with the long lists validated in short steps."""
    if not isinstance(data, dict):
        return m.Recipe.model_validate(data)
    data = dict(data)
    errors: list[Any] = []
    for field, adapter in (("layers", _LAYERS), ("tensors", _TENSORS)):
        if isinstance(data.get(field), list) and len(data[field]) > BATCH:
            data[field], found = _batched(data[field], adapter, (field,))
            errors += found
    model = data.get("model")
    if (
        isinstance(model, dict)
        and isinstance(model.get("overrides"), list)
        and len(model["overrides"]) > BATCH
    ):
        model = dict(model)
        model["overrides"], found = _batched(model["overrides"], _OVERRIDES, ("model", "overrides"))
        data["model"] = model
        errors += found
    if not errors:
        return m.Recipe.model_validate(data)
    # Some batched items are invalid: validate everything else with those lists emptied (the
    # valid items are known to pass) and report all errors in pydantic's order.
    head = {**data, **{k: [] for k in ("layers", "tensors") if isinstance(data.get(k), list)}}
    if isinstance(model, dict) and isinstance(model.get("overrides"), list):
        head["model"] = {**model, "overrides": []}
    try:
        m.Recipe.model_validate(head)
    except ValidationError as exc:
        # The "needs a layer or tensor" check ran on the emptied lists: not a real error here.
        errors += [e for e in exc.errors(include_url=False) if e.get("loc")]
    errors.sort(key=_rank)  # stable: the order within each field is kept
    raise RequestValidationError(errors)


def parse_recipe(raw: bytes) -> m.Recipe:
    """Body bytes -> validated Recipe (run it on a worker thread); RequestValidationError (422)
    or UndecodableBody (400) otherwise."""
    data = decode_json(raw)
    try:
        return validate_recipe(data)
    except ValidationError as exc:
        raise RequestValidationError(errors_of(exc)) from None


def _is_json(request: Request) -> bool:
    # FastAPI's rule: no Content-Type, or a json / +json subtype, is read as JSON.
    content_type = request.headers.get("content-type")
    if not content_type:
        return True
    main = content_type.split(";", 1)[0].strip().lower()
    return main == "application/json" or (main.startswith("application/") and main.endswith("+json"))


Handler = Callable[[Request], Coroutine[Any, Any, Response]]
#: A check of a body's decoded JSON against the service's settings, before validation: it raises
#: (a LimitExceeded is a 413) to refuse what validating would only refuse after the cost.
Precheck = Callable[[Any, Any], None]


@functools.cache
def _max_items(model: type[BaseModel]) -> dict[str, int]:
    """The most items each top-level list field of ``model`` may have (its schema's maxItems)."""
    out = {}
    for name, prop in model.model_json_schema()["properties"].items():
        for option in (prop, *prop.get("anyOf", ())):
            if option.get("type") == "array" and "maxItems" in option:
                out[name] = int(option["maxItems"])
    return out


def check_list_lengths(data: Any, model: type[BaseModel]) -> None:
    """pydantic validates every item of a list before it says the list is too long (about 100 ms
    in one call for a megabyte of numbers): too long top-level lists get its error (422) first."""
    if not isinstance(data, dict):
        return
    errors = []
    for name, most in _max_items(model).items():
        value = data.get(name)
        if isinstance(value, list) and len(value) > most:
            msg = f"List should have at most {most} items after validation, not {len(value)}"
            ctx = {"field_type": "List", "max_length": most, "actual_length": len(value)}
            errors.append({"type": "too_long", "loc": (name,), "msg": msg, "input": None, "ctx": ctx})
    if errors:
        raise RequestValidationError(errors)


def parse_model(raw: bytes, model: type[BaseModel], precheck: Precheck | None, settings: Any) -> BaseModel:
    """Body bytes -> validated ``model`` (on a worker thread): 400, 413 (precheck) or 422 otherwise."""
    if model is m.Recipe:
        return parse_recipe(raw)
    data = decode_json(raw)
    if precheck is not None:
        precheck(data, settings)
    check_list_lengths(data, model)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(errors_of(exc)) from None


class JsonBodyRoute(APIRoute):
    """A route whose JSON body model is parsed on the engine's planning threads (see module doc),
    under the per-client cap and the planner's queue (429 when full)."""

    #: Checks of the raw data per body model (json_body_route sets them).
    prechecks: Mapping[type[BaseModel], Precheck] = {}

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        body = self.body_field
        model = body.field_info.annotation if body is not None else None
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return handler
        body_model: type[BaseModel] = model
        precheck = self.prechecks.get(body_model)

        async def route(request: Request) -> Response:
            raw = await request.body()
            if raw and _is_json(request):
                engine = request.app.state.engine
                settings = request.app.state.settings
                parsed = await engine.prepare(
                    lambda: parse_model(raw, body_model, precheck, settings), client_key(request)
                )
                # Starlette's Request.json() returns this cached value: FastAPI's body step then
                # validates an existing model instance, which costs nothing.
                request._json = parsed
            return await handler(request)

        return route


#: The recipe routes' name for it.
RecipeBodyRoute = JsonBodyRoute


def json_body_route(prechecks: Mapping[type[BaseModel], Precheck]) -> type[JsonBodyRoute]:
    """A JsonBodyRoute whose bodies of the given models are checked with ``prechecks`` first."""
    return type("JsonBodyRoute", (JsonBodyRoute,), {"prechecks": dict(prechecks)})


def errors_of(exc: ValidationError) -> Sequence[Any]:
    """A pydantic error list for RequestValidationError (inputs and contexts kept: the messages
    name the unknown value and suggest the closest known one)."""
    return exc.errors(include_url=False)

"""Recipe bodies parsed and validated off the event loop, in GIL-friendly steps.

FastAPI would parse and validate a ``Recipe`` body on the event loop: about 130 ms for a 1 MiB
body on the 2-core dev machine, during which nothing else (health checks included) is answered.
``RecipeBodyRoute`` reads the raw body, hands it to the engine's planning threads, and gives
FastAPI's own body step the validated ``Recipe`` (an instance passes FastAPI's validation at
once), so the OpenAPI document and the SDKs still describe a ``Recipe`` body.

Even on a worker thread, one long C call (``json.loads``, a pydantic validation) holds the GIL
and stalls the loop for its whole length. So the long lists of a recipe (layers, tensors,
preset overrides) are validated in batches of ``BATCH`` items: each call is short, and between
them the loop gets the GIL. The result, and every error (same locations, same order), equal a
single ``Recipe.model_validate``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import TypeAdapter, ValidationError

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


def decode_json(raw: bytes) -> Any:
    """The JSON value of a body: strict UTF-8 without a byte order mark (stream spec 9.5).

    Raises UndecodableBody (400) for bad encodings or nesting too deep for the parser, and
    RequestValidationError (422, ``json_invalid``) for text that is not JSON.
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
        return json.loads(text)
    except json.JSONDecodeError as exc:
        error = {"type": "json_invalid", "loc": ("body", exc.pos), "msg": "JSON decode error",
                 "input": {}, "ctx": {"error": exc.msg}}  # fmt: skip
        raise RequestValidationError([error], body=text) from None
    except RecursionError:
        raise UndecodableBody("request body is not valid JSON: nested too deeply") from None


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


class RecipeBodyRoute(APIRoute):
    """A route whose ``Recipe`` body is parsed on the engine's planning threads (see module doc)."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            raw = await request.body()
            if raw and _is_json(request):
                engine = request.app.state.engine
                recipe = await engine.prepare(lambda: parse_recipe(raw), client_key(request))
                # Starlette's Request.json() returns this cached value: FastAPI's body step then
                # validates an existing Recipe instance, which costs nothing.
                request._json = recipe
            return await handler(request)

        return route


def errors_of(exc: ValidationError) -> Sequence[Any]:
    """A pydantic error list for RequestValidationError (inputs and contexts kept: the messages
    name the unknown value and suggest the closest known one)."""
    return exc.errors(include_url=False)

"""Error responses: JSON {"error", "error_type"} with the right status, never a 500 for bad input."""

from __future__ import annotations

import itertools
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from tensorseed.engine.capacity import JobTooLarge, OverCapacity
from tensorseed.recipe.errors import LimitExceeded, RecipeError
from tensorseed.recipe.token import TokenError, TokenSpecMismatch, TokenTooLarge
from tensorseed.recipe.validation import error_body, error_details, json_error, summary

from ..ratelimit import RateLimited
from .body import UndecodableBody
from .schemas import ErrorBody

log = logging.getLogger("tensorseed")

#: Errors of every /v1 route that generates or plans.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in [
        (401, "An API key is required (Authorization: Bearer <key>) and was missing or wrong"),
        (
            413,
            "Request body or recipe over the configured size limits, or more working memory "
            "than the server can give one request",
        ),
        (422, "Invalid recipe: the message names the offending field"),
        (
            429,
            "Over capacity or over the client's rate limit; retry after the number of seconds in Retry-After",
        ),
    ]
}

#: Extra errors of the routes that take a recipe body.
BODY_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The body cannot be decoded: not UTF-8, a byte order "
          "mark, or nested too deeply (invalid_json)"},
    408: {"model": ErrorBody, "description": "The body did not arrive within the body timeout"},
}  # fmt: skip

#: Errors of the catalogue routes (read-only, keyed like every /v1 route).
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {code: ERROR_RESPONSES[code] for code in (401, 429)}

#: Extra errors of the routes that take a recipe token in the path.
TOKEN_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text}
    for code, text in [
        (400, "The token does not decode: not base64url, not zlib, truncated, or not a JSON recipe"),
        (404, "The token is for another spec version than this server generates"),
        (414, "The token, or the recipe it inflates to, is over the configured size limits"),
    ]
}


def error_json(status: int, message: str, error_type: str, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"error": message, "error_type": error_type}
    headers = extra.pop("headers", None)
    body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers)


#: Problems listed in ``details``: a megabyte of invalid items would otherwise be answered with
#: several megabytes of errors (and as long a serialization on the event loop).
MAX_DETAILS = 100


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    syntax = next((e for e in errors if e.get("type") == "json_invalid"), None)
    if syntax is not None:
        # The messages (did you mean, line and column) are the library's: the CLI prints the same.
        position = syntax.get("loc", ("body", 0))[-1]
        if isinstance(exc.body, str | bytes) and isinstance(position, int):
            reason = str((syntax.get("ctx") or {}).get("error", "JSON decode error"))
            invalid = json_error(reason, exc.body, position)
            return error_json(422, "request body is " + str(invalid), "invalid_json", details=invalid.details)
        details = error_details(itertools.islice(errors, MAX_DETAILS))
        return error_json(422, "request body is not valid JSON", "invalid_json", details=details)
    details = error_details(itertools.islice(errors, MAX_DETAILS))
    message = summary(details)
    if len(errors) > len(details):
        message += f" ({len(errors)} problems in all; the first {len(details)} are in details)"
    return error_json(422, message, "validation_error", details=details)


async def _recipe(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RecipeError)
    body = error_body(exc)  # the CLI prints the same body
    if isinstance(exc, LimitExceeded) and "max_plan_work" in body["error"]:
        body["error"] = body["error"].replace("max_plan_work", "TENSORSEED_MAX_PLAN_WORK")
    return JSONResponse(body, status_code=413 if isinstance(exc, LimitExceeded) else 422)


async def _token(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TokenError)
    if isinstance(exc, TokenTooLarge):
        return error_json(414, str(exc), "token_too_large")
    if isinstance(exc, TokenSpecMismatch):
        return error_json(404, str(exc), "spec_mismatch")
    return error_json(400, str(exc), "invalid_token")


async def _capacity(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OverCapacity)
    return error_json(429, str(exc), "over_capacity", headers={"Retry-After": str(exc.retry_after)})


async def _too_large(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, JobTooLarge)
    return error_json(413, f"{exc} (TENSORSEED_{exc.setting.upper()})", "job_too_large")


async def _rate(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimited)
    return error_json(429, str(exc), "rate_limited", headers={"Retry-After": str(exc.retry_after)})


async def _undecodable(_: Request, exc: Exception) -> JSONResponse:
    return error_json(400, str(exc), "invalid_json")


#: FastAPI's message for bodies that json.loads cannot even read (bad UTF-8, nesting too deep).
_FASTAPI_BODY_PARSE_ERROR = "There was an error parsing the body"


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.detail == _FASTAPI_BODY_PARSE_ERROR:
        return error_json(
            400, "request body is not valid JSON (undecodable or nested too deeply)", "invalid_json"
        )
    return error_json(exc.status_code, str(exc.detail), "http_error", headers=exc.headers)


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return error_json(500, "internal error", "internal_error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(RecipeError, _recipe)
    app.add_exception_handler(OverCapacity, _capacity)
    app.add_exception_handler(JobTooLarge, _too_large)
    app.add_exception_handler(RateLimited, _rate)
    app.add_exception_handler(UndecodableBody, _undecodable)
    app.add_exception_handler(TokenError, _token)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)

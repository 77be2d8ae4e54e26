"""Stateless recipe URLs: POST a recipe once, then GET its file (with Range and caching) or stats.

The token in the URL carries the whole canonical recipe, so any replica serves any URL with no
shared store, and the strong ETag (a digest of the header, which names the spec version and the
canonical recipe) is known before anything is generated: conditional requests and range checks
cost nothing, and a range generates only what it covers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import ValidationError

from tensorseed.engine.chunks import Piece
from tensorseed.engine.demand import stream_demand
from tensorseed.engine.service import Engine
from tensorseed.formats.ranges import map_byte_range, range_pieces
from tensorseed.formats.safetensors import FileLayout, layout, metadata
from tensorseed.recipe.models import Recipe
from tensorseed.recipe.plan import Plan, TensorPlan
from tensorseed.recipe.token import TokenError, decode_token, encode_token

from ..settings import Settings
from .body import RecipeBodyRoute, decode_json, errors_of, validate_recipe
from .conditional import (
    ByteRange,
    Unsatisfiable,
    match_fails,
    multipart_layout,
    none_match,
    parse_range,
    range_applies,
)
from .deps import ClientDep, EngineDep, SettingsDep
from .errors import BODY_ERROR_RESPONSES, ERROR_RESPONSES, TOKEN_ERROR_RESPONSES, error_json
from .responses import GeneratedResponse
from .schemas import ErrorBody, RecipeResource, StatsResponse
from .stats import Bins, check_bins, respond_stats
from .weights import charge_bytes, stream_file

router = APIRouter(prefix="/v1/recipes", tags=["recipes"], route_class=RecipeBodyRoute)

#: The bytes behind a portable token never change (a new spec version gets new tokens), so
#: caches may keep them for a year without revalidating.
CACHE_FOREVER = "public, max-age=31536000, immutable"
OCTET_STREAM = "application/octet-stream"

Token = Annotated[str, Path(description="A token from POST /v1/recipes.")]
RangeHeader = Annotated[
    str | None, Header(alias="Range", description="bytes=first-last, bytes=first-, bytes=-suffix; "
                       "several comma-separated ranges give a multipart/byteranges body.")
]  # fmt: skip
IfRangeHeader = Annotated[
    str | None, Header(alias="If-Range", description="Serve the range only if this ETag is current.")
]
IfNoneMatchHeader = Annotated[
    str | None, Header(alias="If-None-Match", description="304 if one of these ETags is current.")
]
IfMatchHeader = Annotated[
    str | None, Header(alias="If-Match", description="412 unless one of these ETags is current.")
]

_BINARY = {"schema": {"type": "string", "format": "binary"}}
_WEIGHTS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The whole safetensors file, streamed", "content": {OCTET_STREAM: _BINARY}},
    206: {
        "description": "The requested byte range (Content-Range says which); several ranges come "
        "as multipart/byteranges",
        "content": {OCTET_STREAM: _BINARY},
    },
    304: {"description": "Not modified: the If-None-Match ETag is current"},
    412: {"model": ErrorBody, "description": "If-Match names no current ETag"},
    416: {"model": ErrorBody, "description": "No requested range overlaps the file (or too many ranges)"},
}
#: Every token route: a token that is not in canonical form is redirected to the canonical one,
#: so one file has one URL (and one cache entry).
_REDIRECT: dict[int | str, dict[str, Any]] = {
    308: {"description": "The token is not canonical: the Location header has the canonical URL"}
}


@dataclass(frozen=True)
class Resolved:
    """A recipe turned into everything the routes need, without generating anything."""

    token: str
    plan: Plan
    layout: FileLayout
    size: int
    digest: str

    @property
    def etag(self) -> str:
        return f'"{self.digest}"'


def _resolved(token: str, plan: Plan) -> Resolved:
    file_layout = layout(plan)
    return Resolved(token, plan, file_layout, file_layout.total_size(plan), file_layout.digest)


def resolve_token(token: str, engine: Engine, settings: Settings) -> Resolved:
    """Token -> recipe -> plan (on a planning thread); a bad token is a TokenError (4xx), a bad
    recipe a 422 or 413. ``Resolved.token`` is the canonical token, which may differ."""
    text, spec = decode_token(token, settings.max_token_chars, settings.max_body_bytes)
    try:
        data = decode_json(text.encode("utf-8"))
    except RequestValidationError:
        raise TokenError("token does not carry a JSON document") from None
    try:
        recipe = validate_recipe(data)
    except ValidationError as exc:
        raise RequestValidationError(errors_of(exc)) from None
    try:
        # A v1 token's canonical recipe names no version: the prefix says which it is.
        recipe = recipe.read_as(spec)
    except ValueError as exc:
        raise TokenError(f"token prefix and recipe disagree: {exc}") from None
    plan = engine.plan(recipe)
    return _resolved(encode_token(plan.canonical_recipe, plan.spec), plan)


async def resolve(
    request: Request, token: str, engine: Engine, settings: Settings, client: str
) -> Resolved | Response:
    """The resolved token, or a 308 to the canonical token's URL (same path and query)."""
    res = await engine.prepare(lambda: resolve_token(token, engine, settings), client)
    if res.token == token:
        return res
    prefix, rest = request.url.path.split("/v1/recipes/", 1)
    tail = rest.split("/", 1)[1] if "/" in rest else None
    location = f"{prefix}/v1/recipes/{res.token}" + (f"/{tail}" if tail is not None else "")
    if request.url.query:
        location += "?" + request.url.query
    return Response(status_code=308, headers={"Location": location, "Cache-Control": CACHE_FOREVER})


def _cache_control(res: Resolved) -> str:
    # torch-exact bytes depend on the replica's torch build and CPU: same URL, possibly another
    # ETag elsewhere, so caches must revalidate instead of keeping one copy forever.
    return CACHE_FOREVER if res.plan.rng == "portable" else "public, no-cache"


def _file_headers(res: Resolved) -> dict[str, str]:
    return {
        "ETag": res.etag,
        "Cache-Control": _cache_control(res),
        "Accept-Ranges": "bytes",
        "X-Tensorseed-Spec": res.plan.spec,
        "Content-Disposition": 'attachment; filename="weights.safetensors"',
    }


def _precondition(
    etag: str, headers: dict[str, str], if_match: str | None, if_none_match: str | None
) -> Response | None:
    """RFC 9110 13.2.2 order: If-Match (412), then If-None-Match (304); None to go on."""
    if if_match is not None and match_fails(if_match, etag):
        return error_json(412, f"If-Match does not name the current ETag {etag}", "precondition_failed")
    if if_none_match is not None and none_match(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return None


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _header(res: Resolved) -> dict[str, Any]:
    """The safetensors header as data, rebuilt from the plan (parsing a megabyte of header JSON
    back would be one long GIL-holding call)."""
    header: dict[str, Any] = {"__metadata__": metadata(res.plan)}
    for t, offset in zip(res.plan.tensors, res.layout.data_offsets, strict=True):
        header[t.name] = {"dtype": t.dtype.safetensors_code, "shape": list(t.shape),
                          "data_offsets": [offset, offset + t.nbytes]}  # fmt: skip
    return header


def _resource(root: str, res: Resolved) -> bytes:
    """The RecipeResource JSON (built on a planning thread: it grows with the recipe)."""
    base = f"{root}/v1/recipes/{res.token}"
    start = res.layout.data_start
    resource = {
        "token": res.token,
        "spec_version": res.plan.spec,
        "canonical_recipe": res.plan.canonical_recipe,
        "etag": res.etag,
        "size": res.size,
        "header_size": start,
        "header": _header(res),
        "total_elements": res.plan.total_elements,
        "tensors": [
            {
                "name": t.name,
                "dtype": t.dtype.safetensors_code,
                "shape": list(t.shape),
                "begin": start + offset,
                "end": start + offset + t.nbytes,
            }
            for t, offset in zip(res.plan.tensors, res.layout.data_offsets, strict=True)
        ],
        "urls": {"recipe": base, "weights": f"{base}/weights.safetensors", "stats": f"{base}/stats"},
    }
    return json.dumps(resource, ensure_ascii=False, separators=(",", ":")).encode()


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


@router.post(
    "",
    response_model=RecipeResource,
    responses={**ERROR_RESPONSES, **BODY_ERROR_RESPONSES, 413: {"model": ErrorBody, "description": "Recipe "
               "over the size limits, or its token over TENSORSEED_MAX_TOKEN_CHARS (use POST /v1/weights)"}},
    summary="Validate a recipe and get its stateless, cacheable URLs",
)  # fmt: skip
async def create_recipe(
    recipe: Recipe, engine: EngineDep, settings: SettingsDep, client: ClientDep, request: Request
) -> Any:
    """Canonical recipe, token, file size, safetensors header and URLs; nothing is generated."""
    root = _root(request)

    def work() -> bytes | Response:
        plan = engine.plan(recipe)
        token = encode_token(plan.canonical_recipe, plan.spec)
        limit = settings.max_token_chars
        if len(token) > limit:
            return error_json(
                413,
                f"the recipe's token would be {len(token)} characters, over the limit of {limit} "
                "(TENSORSEED_MAX_TOKEN_CHARS); POST it to /v1/weights or /v1/stats instead",
                "token_too_large",
            )
        return _resource(root, _resolved(token, plan))

    out = await engine.prepare(work, client)
    return out if isinstance(out, Response) else _json(out)


@router.get(
    "/{token}",
    response_model=RecipeResource,
    responses={**_REDIRECT, **ERROR_RESPONSES, **TOKEN_ERROR_RESPONSES},
    summary="What a token carries: canonical recipe, size, header and URLs",
)
async def get_recipe(
    token: Token, engine: EngineDep, settings: SettingsDep, client: ClientDep, request: Request
) -> Any:
    """The same description POST /v1/recipes returns, from the token alone."""
    res = await resolve(request, token, engine, settings, client)
    if isinstance(res, Response):
        return res
    root = _root(request)
    return _json(await engine.prepare(lambda: _resource(root, res), client))


def _tensors_of(res: Resolved, ranges: list[ByteRange]) -> list[TensorPlan]:
    """The tensors the ranges overlap (what their job generates)."""
    seen: dict[str, TensorPlan] = {}
    for r in ranges:
        for piece in map_byte_range(res.plan, res.layout, r.start, r.stop):
            tensor = getattr(piece, "tensor", None)
            if tensor is not None:
                seen.setdefault(tensor.name, tensor)
    return list(seen.values())


@router.get(
    "/{token}/weights.safetensors",
    response_class=Response,
    responses={**_WEIGHTS_RESPONSES, **_REDIRECT, **ERROR_RESPONSES, **TOKEN_ERROR_RESPONSES},
    summary="The safetensors file of a token, with byte ranges and caching",
)
async def get_recipe_weights(
    token: Token,
    engine: EngineDep,
    settings: SettingsDep,
    client: ClientDep,
    request: Request,
    range_: RangeHeader = None,
    if_range: IfRangeHeader = None,
    if_none_match: IfNoneMatchHeader = None,
    if_match: IfMatchHeader = None,
) -> Response:
    """Strong ETag, immutable caching, single and multiple byte ranges (206), 304, 412 and 416.

    A range generates only the tensors and elements it overlaps. Overlapping or nearby ranges
    are merged, and a set of ranges whose multipart body would be larger than the file is
    answered with the whole file (200), as RFC 9110 allows.
    """
    res = await resolve(request, token, engine, settings, client)
    if isinstance(res, Response):
        return res
    headers = _file_headers(res)
    early = _precondition(res.etag, headers, if_match, if_none_match)
    if early is not None:
        return early
    ranges: list[ByteRange] | None = None
    if range_ is not None and range_applies(if_range, res.etag):
        try:
            ranges = parse_range(range_, res.size)
        except Unsatisfiable as exc:
            return error_json(
                416, str(exc), "range_not_satisfiable",
                headers={"Content-Range": f"bytes */{res.size}", "Accept-Ranges": "bytes"},
            )  # fmt: skip
    boundary = f"tensorseed-{res.digest}"
    if ranges is not None and len(ranges) > 1:
        heads, closing, length = multipart_layout(ranges, res.size, boundary, OCTET_STREAM)
        if length >= res.size:  # never send more than the file: the whole file is cheaper
            ranges = None
    if ranges is None:
        return await stream_file(request, engine, res.plan, client, headers)
    wanted = _tensors_of(res, ranges)
    if len(ranges) == 1:
        (only,) = ranges
        length = only.length
        items: Iterator[bytes | Piece] = _range_pieces(engine, res, only)
        media_type = OCTET_STREAM
        headers["Content-Range"] = only.content_range(res.size)
    else:
        items = _multipart_pieces(engine, res, ranges, heads, closing)
        media_type = f"multipart/byteranges; boundary={boundary}"
    charge_bytes(request, client, length)
    demand = stream_demand(res.plan.tensors, wanted, settings.chunk_bytes, settings.chunks_in_flight)
    job = await engine.admit(demand, client)
    headers["Content-Length"] = str(length)
    return GeneratedResponse(
        engine.stream_pieces(items, job), engine=engine, job=job, status_code=206,
        media_type=media_type, headers=headers,
    )  # fmt: skip


def _range_pieces(engine: Engine, res: Resolved, r: ByteRange) -> Iterator[bytes | Piece]:
    chunk_elements = engine.chunk_elements(res.plan.dtype.itemsize)
    return range_pieces(res.plan, res.layout, chunk_elements, r.start, r.stop)


def _multipart_pieces(
    engine: Engine, res: Resolved, ranges: list[ByteRange], heads: list[bytes], closing: bytes
) -> Iterator[bytes | Piece]:
    for head, r in zip(heads, ranges, strict=True):
        yield head
        yield from _range_pieces(engine, res, r)
    yield closing


@router.head("/{token}/weights.safetensors", include_in_schema=False)
async def head_recipe_weights(
    token: Token,
    engine: EngineDep,
    settings: SettingsDep,
    client: ClientDep,
    request: Request,
    if_none_match: IfNoneMatchHeader = None,
    if_match: IfMatchHeader = None,
) -> Response:
    """Size, ETag and caching headers without generating (Range is ignored on HEAD, RFC 9110 14.2)."""
    res = await resolve(request, token, engine, settings, client)
    if isinstance(res, Response):
        return res
    headers = _file_headers(res)
    early = _precondition(res.etag, headers, if_match, if_none_match)
    if early is not None:
        return early
    headers["Content-Length"] = str(res.size)
    return Response(status_code=200, media_type=OCTET_STREAM, headers=headers)


def _stats_headers(res: Resolved, bins: int) -> dict[str, str]:
    # Weak: the statistics mean the same for a token forever, but their last float digits may
    # differ between numpy builds or chunk sizes, so they are not promised byte-identical.
    return {"ETag": f'W/"{res.digest}-stats-{bins}"', "Cache-Control": _cache_control(res)}


@router.get(
    "/{token}/stats",
    response_model=StatsResponse,
    responses={304: {"description": "Not modified"}, **_REDIRECT, **ERROR_RESPONSES, **TOKEN_ERROR_RESPONSES},
    summary="Statistics and sha256 of each tensor of a token, cacheable",
)
async def get_recipe_stats(
    token: Token,
    engine: EngineDep,
    settings: SettingsDep,
    client: ClientDep,
    request: Request,
    bins: Bins = 32,
    if_none_match: IfNoneMatchHeader = None,
) -> Response:
    """As POST /v1/stats, with a weak ETag and immutable caching (304 on If-None-Match)."""
    check_bins(bins, settings)
    res = await resolve(request, token, engine, settings, client)
    if isinstance(res, Response):
        return res
    headers = _stats_headers(res, bins)
    if if_none_match is not None and none_match(if_none_match, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return await respond_stats(request, engine, res.plan, bins, client, headers)


@router.head("/{token}/stats", include_in_schema=False)
async def head_recipe_stats(
    token: Token,
    engine: EngineDep,
    settings: SettingsDep,
    client: ClientDep,
    request: Request,
    bins: Bins = 32,
    if_none_match: IfNoneMatchHeader = None,
) -> Response:
    """Validators without computing anything."""
    check_bins(bins, settings)
    res = await resolve(request, token, engine, settings, client)
    if isinstance(res, Response):
        return res
    headers = _stats_headers(res, bins)
    if if_none_match is not None and none_match(if_none_match, headers["ETag"]):
        return Response(status_code=304, headers=headers)
    return Response(status_code=200, media_type="application/json", headers=headers)

from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from io import BytesIO
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    token: str,
    *,
    range_: None | str | Unset = UNSET,
    if_range: None | str | Unset = UNSET,
    if_none_match: None | str | Unset = UNSET,
    if_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(range_, Unset):
        headers["Range"] = range_

    if not isinstance(if_range, Unset):
        headers["If-Range"] = if_range

    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/recipes/{token}/weights.safetensors".format(
            token=quote(str(token), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorBody | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 206:
        response_206 = File(payload=BytesIO(response.content))

        return response_206

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 308:
        response_308 = cast(Any, None)
        return response_308

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 412:
        response_412 = ErrorBody.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 414:
        response_414 = ErrorBody.from_dict(response.json())

        return response_414

    if response.status_code == 416:
        response_416 = ErrorBody.from_dict(response.json())

        return response_416

    if response.status_code == 422:
        response_422 = ErrorBody.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ErrorBody | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    token: str,
    *,
    client: AuthenticatedClient,
    range_: None | str | Unset = UNSET,
    if_range: None | str | Unset = UNSET,
    if_none_match: None | str | Unset = UNSET,
    if_match: None | str | Unset = UNSET,
) -> Response[Any | ErrorBody | File]:
    """The safetensors file of a token, with byte ranges and caching

     Strong ETag, immutable caching, single and multiple byte ranges (206), 304, 412 and 416.

    A range generates only the tensors and elements it overlaps. Overlapping or nearby ranges
    are merged, and a set of ranges whose multipart body would be larger than the file is
    answered with the whole file (200), as RFC 9110 allows.

    Args:
        token (str): A token from POST /v1/recipes.
        range_ (None | str | Unset): bytes=first-last, bytes=first-, bytes=-suffix; several comma-
            separated ranges give a multipart/byteranges body.
        if_range (None | str | Unset): Serve the range only if this ETag is current.
        if_none_match (None | str | Unset): 304 if one of these ETags is current.
        if_match (None | str | Unset): 412 unless one of these ETags is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | File]
    """

    kwargs = _get_kwargs(
        token=token,
        range_=range_,
        if_range=if_range,
        if_none_match=if_none_match,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient,
    range_: None | str | Unset = UNSET,
    if_range: None | str | Unset = UNSET,
    if_none_match: None | str | Unset = UNSET,
    if_match: None | str | Unset = UNSET,
) -> Any | ErrorBody | File | None:
    """The safetensors file of a token, with byte ranges and caching

     Strong ETag, immutable caching, single and multiple byte ranges (206), 304, 412 and 416.

    A range generates only the tensors and elements it overlaps. Overlapping or nearby ranges
    are merged, and a set of ranges whose multipart body would be larger than the file is
    answered with the whole file (200), as RFC 9110 allows.

    Args:
        token (str): A token from POST /v1/recipes.
        range_ (None | str | Unset): bytes=first-last, bytes=first-, bytes=-suffix; several comma-
            separated ranges give a multipart/byteranges body.
        if_range (None | str | Unset): Serve the range only if this ETag is current.
        if_none_match (None | str | Unset): 304 if one of these ETags is current.
        if_match (None | str | Unset): 412 unless one of these ETags is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | File
    """

    return sync_detailed(
        token=token,
        client=client,
        range_=range_,
        if_range=if_range,
        if_none_match=if_none_match,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient,
    range_: None | str | Unset = UNSET,
    if_range: None | str | Unset = UNSET,
    if_none_match: None | str | Unset = UNSET,
    if_match: None | str | Unset = UNSET,
) -> Response[Any | ErrorBody | File]:
    """The safetensors file of a token, with byte ranges and caching

     Strong ETag, immutable caching, single and multiple byte ranges (206), 304, 412 and 416.

    A range generates only the tensors and elements it overlaps. Overlapping or nearby ranges
    are merged, and a set of ranges whose multipart body would be larger than the file is
    answered with the whole file (200), as RFC 9110 allows.

    Args:
        token (str): A token from POST /v1/recipes.
        range_ (None | str | Unset): bytes=first-last, bytes=first-, bytes=-suffix; several comma-
            separated ranges give a multipart/byteranges body.
        if_range (None | str | Unset): Serve the range only if this ETag is current.
        if_none_match (None | str | Unset): 304 if one of these ETags is current.
        if_match (None | str | Unset): 412 unless one of these ETags is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | File]
    """

    kwargs = _get_kwargs(
        token=token,
        range_=range_,
        if_range=if_range,
        if_none_match=if_none_match,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient,
    range_: None | str | Unset = UNSET,
    if_range: None | str | Unset = UNSET,
    if_none_match: None | str | Unset = UNSET,
    if_match: None | str | Unset = UNSET,
) -> Any | ErrorBody | File | None:
    """The safetensors file of a token, with byte ranges and caching

     Strong ETag, immutable caching, single and multiple byte ranges (206), 304, 412 and 416.

    A range generates only the tensors and elements it overlaps. Overlapping or nearby ranges
    are merged, and a set of ranges whose multipart body would be larger than the file is
    answered with the whole file (200), as RFC 9110 allows.

    Args:
        token (str): A token from POST /v1/recipes.
        range_ (None | str | Unset): bytes=first-last, bytes=first-, bytes=-suffix; several comma-
            separated ranges give a multipart/byteranges body.
        if_range (None | str | Unset): Serve the range only if this ETag is current.
        if_none_match (None | str | Unset): 304 if one of these ETags is current.
        if_match (None | str | Unset): 412 unless one of these ETags is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | File
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            range_=range_,
            if_range=if_range,
            if_none_match=if_none_match,
            if_match=if_match,
        )
    ).parsed


@contextmanager
def stream_detailed(
    token: str,
    *,
    client: AuthenticatedClient,
    range_: None | str | Unset = UNSET,
    if_range: None | str | Unset = UNSET,
    if_none_match: None | str | Unset = UNSET,
    if_match: None | str | Unset = UNSET,
) -> Iterator[httpx.Response]:
    """Like ``sync_detailed``, but the body is not read into memory: iterate
    ``response.iter_bytes()`` (or ``iter_raw``) inside the ``with`` block.

    A status of 400 or more is read and raised as ``errors.ErrorStatus``, whose ``response``
    is what ``sync_detailed`` would have returned (``.parsed`` is the typed error body).
    tensorseed-specific: this function comes from clients/python-templates.
    """
    kwargs = _get_kwargs(
        token=token,
        range_=range_,
        if_range=if_range,
        if_none_match=if_none_match,
        if_match=if_match,
    )

    with client.get_httpx_client().stream(**kwargs) as response:
        if response.status_code >= 400:
            response.read()
            raise errors.ErrorStatus(_build_response(client=client, response=response))
        yield response

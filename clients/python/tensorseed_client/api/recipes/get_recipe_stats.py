from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.stats_response import StatsResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    token: str,
    *,
    bins: int | Unset = 32,
    if_none_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match

    params: dict[str, Any] = {}

    params["bins"] = bins

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/recipes/{token}/stats".format(
            token=quote(str(token), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | StatsResponse | None:
    if response.status_code == 200:
        response_200 = StatsResponse.from_dict(response.json())

        return response_200

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

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 414:
        response_414 = ErrorBody.from_dict(response.json())

        return response_414

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
) -> Response[Any | ErrorBody | StatsResponse]:
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
    bins: int | Unset = 32,
    if_none_match: None | str | Unset = UNSET,
) -> Response[Any | ErrorBody | StatsResponse]:
    """Statistics and sha256 of each tensor of a token, cacheable

     As POST /v1/stats, with a weak ETag and immutable caching (304 on If-None-Match).

    Args:
        token (str): A token from POST /v1/recipes.
        bins (int | Unset): Histogram bins over [observed min, max] Default: 32.
        if_none_match (None | str | Unset): 304 if one of these ETags is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | StatsResponse]
    """

    kwargs = _get_kwargs(
        token=token,
        bins=bins,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    token: str,
    *,
    client: AuthenticatedClient,
    bins: int | Unset = 32,
    if_none_match: None | str | Unset = UNSET,
) -> Any | ErrorBody | StatsResponse | None:
    """Statistics and sha256 of each tensor of a token, cacheable

     As POST /v1/stats, with a weak ETag and immutable caching (304 on If-None-Match).

    Args:
        token (str): A token from POST /v1/recipes.
        bins (int | Unset): Histogram bins over [observed min, max] Default: 32.
        if_none_match (None | str | Unset): 304 if one of these ETags is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | StatsResponse
    """

    return sync_detailed(
        token=token,
        client=client,
        bins=bins,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    token: str,
    *,
    client: AuthenticatedClient,
    bins: int | Unset = 32,
    if_none_match: None | str | Unset = UNSET,
) -> Response[Any | ErrorBody | StatsResponse]:
    """Statistics and sha256 of each tensor of a token, cacheable

     As POST /v1/stats, with a weak ETag and immutable caching (304 on If-None-Match).

    Args:
        token (str): A token from POST /v1/recipes.
        bins (int | Unset): Histogram bins over [observed min, max] Default: 32.
        if_none_match (None | str | Unset): 304 if one of these ETags is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody | StatsResponse]
    """

    kwargs = _get_kwargs(
        token=token,
        bins=bins,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    token: str,
    *,
    client: AuthenticatedClient,
    bins: int | Unset = 32,
    if_none_match: None | str | Unset = UNSET,
) -> Any | ErrorBody | StatsResponse | None:
    """Statistics and sha256 of each tensor of a token, cacheable

     As POST /v1/stats, with a weak ETag and immutable caching (304 on If-None-Match).

    Args:
        token (str): A token from POST /v1/recipes.
        bins (int | Unset): Histogram bins over [observed min, max] Default: 32.
        if_none_match (None | str | Unset): 304 if one of these ETags is current.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody | StatsResponse
    """

    return (
        await asyncio_detailed(
            token=token,
            client=client,
            bins=bins,
            if_none_match=if_none_match,
        )
    ).parsed

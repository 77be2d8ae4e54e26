from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.compare_request import CompareRequest
from ...models.compare_response import CompareResponse
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CompareRequest,
    bins: int | Unset = 0,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["bins"] = bins

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/propagation/compare",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CompareResponse | ErrorBody | None:
    if response.status_code == 200:
        response_200 = CompareResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 408:
        response_408 = ErrorBody.from_dict(response.json())

        return response_408

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

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
) -> Response[CompareResponse | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CompareRequest,
    bins: int | Unset = 0,
) -> Response[CompareResponse | ErrorBody]:
    """The same network under several initializations, side by side

     The "depth" view: for each scheme (default zeros, ones, U(-1, 1), U(+-1/sqrt(n)), N(0, 1),
    Xavier, He, LeCun, biases zero) the per-layer statistics and verdict; the work limit counts
    every scheme. One heavy job runs the schemes one after another.

    Args:
        bins (int | Unset): Histogram bins per layer over [observed min, max]; 0 for none Default:
            0.
        body (CompareRequest): One network, several initializations side by side (the "depth"
            view).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompareResponse | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
        bins=bins,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CompareRequest,
    bins: int | Unset = 0,
) -> CompareResponse | ErrorBody | None:
    """The same network under several initializations, side by side

     The "depth" view: for each scheme (default zeros, ones, U(-1, 1), U(+-1/sqrt(n)), N(0, 1),
    Xavier, He, LeCun, biases zero) the per-layer statistics and verdict; the work limit counts
    every scheme. One heavy job runs the schemes one after another.

    Args:
        bins (int | Unset): Histogram bins per layer over [observed min, max]; 0 for none Default:
            0.
        body (CompareRequest): One network, several initializations side by side (the "depth"
            view).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompareResponse | ErrorBody
    """

    return sync_detailed(
        client=client,
        body=body,
        bins=bins,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CompareRequest,
    bins: int | Unset = 0,
) -> Response[CompareResponse | ErrorBody]:
    """The same network under several initializations, side by side

     The "depth" view: for each scheme (default zeros, ones, U(-1, 1), U(+-1/sqrt(n)), N(0, 1),
    Xavier, He, LeCun, biases zero) the per-layer statistics and verdict; the work limit counts
    every scheme. One heavy job runs the schemes one after another.

    Args:
        bins (int | Unset): Histogram bins per layer over [observed min, max]; 0 for none Default:
            0.
        body (CompareRequest): One network, several initializations side by side (the "depth"
            view).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompareResponse | ErrorBody]
    """

    kwargs = _get_kwargs(
        body=body,
        bins=bins,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CompareRequest,
    bins: int | Unset = 0,
) -> CompareResponse | ErrorBody | None:
    """The same network under several initializations, side by side

     The "depth" view: for each scheme (default zeros, ones, U(-1, 1), U(+-1/sqrt(n)), N(0, 1),
    Xavier, He, LeCun, biases zero) the per-layer statistics and verdict; the work limit counts
    every scheme. One heavy job runs the schemes one after another.

    Args:
        bins (int | Unset): Histogram bins per layer over [observed min, max]; 0 for none Default:
            0.
        body (CompareRequest): One network, several initializations side by side (the "depth"
            view).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompareResponse | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            bins=bins,
        )
    ).parsed

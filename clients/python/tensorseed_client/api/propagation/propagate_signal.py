from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.propagation_request import PropagationRequest
from ...models.propagation_response import PropagationResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: PropagationRequest,
    bins: int | Unset = 32,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["bins"] = bins

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/propagation",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | PropagationResponse | None:
    if response.status_code == 200:
        response_200 = PropagationResponse.from_dict(response.json())

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
) -> Response[ErrorBody | PropagationResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PropagationRequest,
    bins: int | Unset = 32,
) -> Response[ErrorBody | PropagationResponse]:
    """Signal propagation through a network: measured and mean-field statistics per layer

     Push a seeded batch through the network and a seeded gradient back: per layer the mean and
    std of pre-activations and activations, the std of the gradients with respect to activations
    and weights, the mean-field prediction next to each, and a verdict (stable, vanishing,
    exploding). Planned on a planning thread, computed as a heavy job on a worker thread (429
    when the heavy slots or the memory budget are in use), never on the event loop.

    Args:
        bins (int | Unset): Histogram bins per layer over [observed min, max]; 0 for none Default:
            32.
        body (PropagationRequest): One network, one initialization: measured and mean-field
            statistics per layer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PropagationResponse]
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
    body: PropagationRequest,
    bins: int | Unset = 32,
) -> ErrorBody | PropagationResponse | None:
    """Signal propagation through a network: measured and mean-field statistics per layer

     Push a seeded batch through the network and a seeded gradient back: per layer the mean and
    std of pre-activations and activations, the std of the gradients with respect to activations
    and weights, the mean-field prediction next to each, and a verdict (stable, vanishing,
    exploding). Planned on a planning thread, computed as a heavy job on a worker thread (429
    when the heavy slots or the memory budget are in use), never on the event loop.

    Args:
        bins (int | Unset): Histogram bins per layer over [observed min, max]; 0 for none Default:
            32.
        body (PropagationRequest): One network, one initialization: measured and mean-field
            statistics per layer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PropagationResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        bins=bins,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PropagationRequest,
    bins: int | Unset = 32,
) -> Response[ErrorBody | PropagationResponse]:
    """Signal propagation through a network: measured and mean-field statistics per layer

     Push a seeded batch through the network and a seeded gradient back: per layer the mean and
    std of pre-activations and activations, the std of the gradients with respect to activations
    and weights, the mean-field prediction next to each, and a verdict (stable, vanishing,
    exploding). Planned on a planning thread, computed as a heavy job on a worker thread (429
    when the heavy slots or the memory budget are in use), never on the event loop.

    Args:
        bins (int | Unset): Histogram bins per layer over [observed min, max]; 0 for none Default:
            32.
        body (PropagationRequest): One network, one initialization: measured and mean-field
            statistics per layer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | PropagationResponse]
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
    body: PropagationRequest,
    bins: int | Unset = 32,
) -> ErrorBody | PropagationResponse | None:
    """Signal propagation through a network: measured and mean-field statistics per layer

     Push a seeded batch through the network and a seeded gradient back: per layer the mean and
    std of pre-activations and activations, the std of the gradients with respect to activations
    and weights, the mean-field prediction next to each, and a verdict (stable, vanishing,
    exploding). Planned on a planning thread, computed as a heavy job on a worker thread (429
    when the heavy slots or the memory budget are in use), never on the event loop.

    Args:
        bins (int | Unset): Histogram bins per layer over [observed min, max]; 0 for none Default:
            32.
        body (PropagationRequest): One network, one initialization: measured and mean-field
            statistics per layer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | PropagationResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            bins=bins,
        )
    ).parsed

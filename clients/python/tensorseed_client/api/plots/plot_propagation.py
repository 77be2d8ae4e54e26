from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from io import BytesIO
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.plot_propagation_format import PlotPropagationFormat
from ...models.plot_propagation_kind import PlotPropagationKind
from ...models.propagation_request import PropagationRequest
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    body: PropagationRequest,
    format_: PlotPropagationFormat | Unset = PlotPropagationFormat.SVG,
    kind: PlotPropagationKind | Unset = PlotPropagationKind.STD,
    bins: int | Unset = 32,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    params["bins"] = bins

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/propagation/plot",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorBody | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorBody | File]:
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
    format_: PlotPropagationFormat | Unset = PlotPropagationFormat.SVG,
    kind: PlotPropagationKind | Unset = PlotPropagationKind.STD,
    bins: int | Unset = 32,
) -> Response[ErrorBody | File]:
    """A picture of signal propagation: std per layer, or activation histograms

     POST /v1/propagation drawn: activation and gradient std through the layers, measured and
    mean field (kind=std), or histograms of the input and evenly spaced layers (kind=histograms,
    at most TENSORSEED_MAX_PLOT_PANELS).

    Args:
        format_ (PlotPropagationFormat | Unset): svg or png Default: PlotPropagationFormat.SVG.
        kind (PlotPropagationKind | Unset): std: expected vs observed std; histograms: one
            histogram per tensor or layer Default: PlotPropagationKind.STD.
        bins (int | Unset): Histogram bins over [observed min, max] Default: 32.
        body (PropagationRequest): One network, one initialization: measured and mean-field
            statistics per layer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File]
    """

    kwargs = _get_kwargs(
        body=body,
        format_=format_,
        kind=kind,
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
    format_: PlotPropagationFormat | Unset = PlotPropagationFormat.SVG,
    kind: PlotPropagationKind | Unset = PlotPropagationKind.STD,
    bins: int | Unset = 32,
) -> ErrorBody | File | None:
    """A picture of signal propagation: std per layer, or activation histograms

     POST /v1/propagation drawn: activation and gradient std through the layers, measured and
    mean field (kind=std), or histograms of the input and evenly spaced layers (kind=histograms,
    at most TENSORSEED_MAX_PLOT_PANELS).

    Args:
        format_ (PlotPropagationFormat | Unset): svg or png Default: PlotPropagationFormat.SVG.
        kind (PlotPropagationKind | Unset): std: expected vs observed std; histograms: one
            histogram per tensor or layer Default: PlotPropagationKind.STD.
        bins (int | Unset): Histogram bins over [observed min, max] Default: 32.
        body (PropagationRequest): One network, one initialization: measured and mean-field
            statistics per layer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | File
    """

    return sync_detailed(
        client=client,
        body=body,
        format_=format_,
        kind=kind,
        bins=bins,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PropagationRequest,
    format_: PlotPropagationFormat | Unset = PlotPropagationFormat.SVG,
    kind: PlotPropagationKind | Unset = PlotPropagationKind.STD,
    bins: int | Unset = 32,
) -> Response[ErrorBody | File]:
    """A picture of signal propagation: std per layer, or activation histograms

     POST /v1/propagation drawn: activation and gradient std through the layers, measured and
    mean field (kind=std), or histograms of the input and evenly spaced layers (kind=histograms,
    at most TENSORSEED_MAX_PLOT_PANELS).

    Args:
        format_ (PlotPropagationFormat | Unset): svg or png Default: PlotPropagationFormat.SVG.
        kind (PlotPropagationKind | Unset): std: expected vs observed std; histograms: one
            histogram per tensor or layer Default: PlotPropagationKind.STD.
        bins (int | Unset): Histogram bins over [observed min, max] Default: 32.
        body (PropagationRequest): One network, one initialization: measured and mean-field
            statistics per layer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | File]
    """

    kwargs = _get_kwargs(
        body=body,
        format_=format_,
        kind=kind,
        bins=bins,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PropagationRequest,
    format_: PlotPropagationFormat | Unset = PlotPropagationFormat.SVG,
    kind: PlotPropagationKind | Unset = PlotPropagationKind.STD,
    bins: int | Unset = 32,
) -> ErrorBody | File | None:
    """A picture of signal propagation: std per layer, or activation histograms

     POST /v1/propagation drawn: activation and gradient std through the layers, measured and
    mean field (kind=std), or histograms of the input and evenly spaced layers (kind=histograms,
    at most TENSORSEED_MAX_PLOT_PANELS).

    Args:
        format_ (PlotPropagationFormat | Unset): svg or png Default: PlotPropagationFormat.SVG.
        kind (PlotPropagationKind | Unset): std: expected vs observed std; histograms: one
            histogram per tensor or layer Default: PlotPropagationKind.STD.
        bins (int | Unset): Histogram bins over [observed min, max] Default: 32.
        body (PropagationRequest): One network, one initialization: measured and mean-field
            statistics per layer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | File
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            format_=format_,
            kind=kind,
            bins=bins,
        )
    ).parsed


@contextmanager
def stream_detailed(
    *,
    client: AuthenticatedClient,
    body: PropagationRequest,
    format_: PlotPropagationFormat | Unset = PlotPropagationFormat.SVG,
    kind: PlotPropagationKind | Unset = PlotPropagationKind.STD,
    bins: int | Unset = 32,
) -> Iterator[httpx.Response]:
    """Like ``sync_detailed``, but the body is not read into memory: iterate
    ``response.iter_bytes()`` (or ``iter_raw``) inside the ``with`` block.

    A status of 400 or more is read and raised as ``errors.ErrorStatus``, whose ``response``
    is what ``sync_detailed`` would have returned (``.parsed`` is the typed error body).
    tensorseed-specific: this function comes from clients/python-templates.
    """
    kwargs = _get_kwargs(
        body=body,
        format_=format_,
        kind=kind,
        bins=bins,
    )

    with client.get_httpx_client().stream(**kwargs) as response:
        if response.status_code >= 400:
            response.read()
            raise errors.ErrorStatus(_build_response(client=client, response=response))
        yield response

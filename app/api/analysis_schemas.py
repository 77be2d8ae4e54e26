"""Response bodies of the signal-propagation routes (typed, so the OpenAPI document and SDKs are)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from .schemas import Histogram


class Summary(BaseModel):
    """Moments of every element of a batch; null once values overflowed float64."""

    mean: float | None
    std: float | None = Field(description="Population standard deviation.")
    min: float | None
    max: float | None
    finite: bool
    histogram: Histogram | None = Field(description="Over [min, max]; null with bins=0 or non-finite values.")


class MeanAndStd(BaseModel):
    mean: float | None = None
    std: float | None


class WeightSummary(BaseModel):
    scheme: str
    expected_std: float | None
    std: float | None
    mean: float | None


class Prediction(BaseModel):
    """The mean-field prediction (null where the recursion overflowed or does not apply)."""

    linear_output_std: float | None
    preactivation_mean: float | None
    preactivation_std: float | None
    activation_mean: float | None
    activation_std: float | None
    activation_grad_std: float | None
    weight_grad_std: float | None
    bias_grad_std: float | None


class LayerPropagation(BaseModel):
    index: int = Field(description="1 for the first layer (0 is the input).")
    name: str = Field(description="The layer's name in the equivalent recipe.")
    fan_in: int | None
    fan_out: int | None
    weight: WeightSummary
    linear_output: MeanAndStd | None = Field(None, description="W x + b before the norm (with a norm).")
    preactivation: Summary = Field(description="The activation function's input.")
    activation: Summary = Field(description="The layer's output (with the skip connection, if residual).")
    identical_units: bool = Field(description="Every unit holds the same value for every sample.")
    activation_grad: MeanAndStd = Field(description="dL/d(output) for L = sum(output_grad * x_L).")
    weight_grad: MeanAndStd
    bias_grad: MeanAndStd | None = None
    expected: Prediction


class InputPropagation(BaseModel):
    summary: Summary
    grad_std: float | None
    expected_std: float | None
    expected_grad_std: float | None


class Direction(BaseModel):
    state: str = Field(description="stable, vanishing, exploding, or no_signal.")
    left_band_at: int | None = Field(
        description="First layer whose std ratio leaves the band (0: the input)."
    )
    per_layer_factor: float | None = Field(description="Geometric mean change of the std per layer.")
    expected_per_layer_factor: float | None = None


class Verdict(BaseModel):
    band: list[float]
    forward: Direction
    backward: Direction
    identical_units_from: int | None
    weight_grads_zero: bool
    summary: str


class NetworkDescription(BaseModel):
    layer: str
    widths: list[int]
    depth: int
    input_size: list[int] | None
    kernel_size: list[int] | None
    groups: int
    padding: str
    bias: bool
    activation: str
    norm: str | None
    residual: bool
    batch: int


class PropagationResponse(BaseModel):
    spec_version: str
    seed: str
    network: NetworkDescription
    recipe: dict[str, Any] = Field(
        description="The equivalent recipe: POST it to /v1/weights for these very weights, input "
        "and gradient."
    )
    input: InputPropagation
    layers: list[LayerPropagation]
    verdict: Verdict


class SchemeResult(BaseModel):
    label: str
    init: dict[str, Any]
    input: InputPropagation
    layers: list[LayerPropagation]
    verdict: Verdict


class CompareResponse(BaseModel):
    spec_version: str
    seed: str
    network: NetworkDescription
    results: list[SchemeResult]

"""Response bodies, as pydantic models so the OpenAPI document (and the SDKs) are typed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    """Every error: a readable message naming the problem, and a stable machine-readable type."""

    error: str
    error_type: str
    details: list[dict[str, Any]] | None = None


class Moments(BaseModel):
    mean: float | None
    std: float | None
    min: float | None
    max: float | None


class Observed(Moments):
    count: int


class Histogram(BaseModel):
    edges: list[float]
    counts: list[int]


class TensorStats(BaseModel):
    name: str
    shape: list[int]
    dtype: str
    scheme: str
    fan_in: int | None
    fan_out: int | None
    gain: float | None
    expected: Moments = Field(description="What the scheme promises (before dtype rounding).")
    observed: Observed = Field(description="What was generated; std is the population std.")
    histogram: Histogram
    sha256: str = Field(description="sha256 of the tensor's bytes exactly as /v1/weights serves them.")


class StatsResponse(BaseModel):
    spec_version: str
    seed: str
    dtype: str
    total_elements: int
    tensors: list[TensorStats]


class SchemeParameter(BaseModel):
    model_config = {"extra": "allow"}
    name: str
    required: bool


class SchemeEntry(BaseModel):
    name: str
    aliases: list[str]
    parameters: list[SchemeParameter]
    formula: str
    distribution: str
    tier: str
    source: str
    uses_fans: bool
    libraries: dict[str, str] = Field(description="What each library means by this name.")
    notes: str


class GainEntry(BaseModel):
    nonlinearity: str
    formula: str
    gain: float = Field(description="torch.nn.init.calculate_gain(nonlinearity) (leaky_relu: slope 0.01).")


class SchemesResponse(BaseModel):
    spec_version: str
    conventions: list[str]
    schemes: list[SchemeEntry]
    gains: list[GainEntry]


class LayerParameter(BaseModel):
    name: str
    shape: list[int]
    dtype: str | None = Field(description="Fixed dtype (int64 buffers); null means the recipe's dtype.")
    default: dict[str, Any] = Field(description="The default init spec, as a recipe would write it.")
    fan_in: int | None
    fan_out: int | None


class LayerConvention(BaseModel):
    source: str | None = Field(description="The library class; null where the library has none.")
    parameters: list[LayerParameter]
    error: str | None = None


class LayerEntry(BaseModel):
    type: str
    fields: dict[str, Any]
    example: dict[str, Any]
    conventions: dict[str, LayerConvention]
    notes: str


class LayersResponse(BaseModel):
    layers: list[LayerEntry]


class Health(BaseModel):
    status: str


class PresetEntry(BaseModel):
    name: str
    description: str
    source: str
    config: dict[str, dict[str, Any]]


class PresetsResponse(BaseModel):
    presets: list[PresetEntry]

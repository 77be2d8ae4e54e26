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
    parameters: list[SchemeParameter]
    formula: str
    distribution: str
    tier: str
    source: str
    uses_fans: bool
    notes: str


class SchemesResponse(BaseModel):
    spec_version: str
    schemes: list[SchemeEntry]


class LayerEntry(BaseModel):
    type: str
    parameters: list[str]
    fields: dict[str, Any]


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

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
    spec_version: str = Field(description="The stream version of a recipe that names none (the default).")
    spec_versions: list[str] = Field(
        description="Every version served; a recipe picks one with its 'spec' field. The catalogue "
        "is the same in each: versions differ in how the samplers compute bytes, not in the schemes."
    )
    conventions: list[str]
    library_versions: dict[str, str] = Field(
        description="The library version whose names, layouts and defaults each convention follows."
    )
    exports: list[str] = Field(description="The libraries a recipe's `export` may write its layers for.")
    schemes: list[SchemeEntry]
    gains: list[GainEntry]


class LayerParameter(BaseModel):
    name: str
    shape: list[int]
    dtype: str | None = Field(
        description="Fixed dtype (torch's int64 buffers, Flax's float32 batch_stats); "
        "null means the recipe's dtype."
    )
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


class RecipeTensor(BaseModel):
    name: str
    dtype: str = Field(description="safetensors dtype code: F32, F64, F16 or BF16.")
    shape: list[int]
    begin: int = Field(description="Offset of the tensor's first byte in the file.")
    end: int = Field(description="Offset one past the tensor's last byte in the file.")


class RecipeUrls(BaseModel):
    """Paths relative to the server's base URL (they work behind any host name or proxy)."""

    recipe: str
    weights: str
    stats: str


class RecipeResource(BaseModel):
    """A validated recipe and the stateless URLs that serve it."""

    token: str = Field(description="The canonical recipe, zlib-compressed and base64url-encoded, "
                       "prefixed with the spec major version; any replica can decode it.")  # fmt: skip
    spec_version: str
    canonical_recipe: str = Field(
        description="RFC 8785 form of the recipe, as stored in the file's metadata."
    )
    etag: str = Field(description="Strong ETag of the weights file (a quoted string, as in the header).")
    size: int = Field(description="Size of the safetensors file in bytes.")
    header_size: int = Field(
        description="Bytes before the first tensor: 8-byte length prefix and JSON header."
    )
    header: dict[str, Any] = Field(description="The safetensors JSON header, parsed.")
    total_elements: int
    tensors: list[RecipeTensor]
    urls: RecipeUrls


class SpecEntry(BaseModel):
    name: str = Field(description="The version string, e.g. 'tensorseed-stream/2'.")
    token_prefix: str = Field(description="What tokens of this version start with, e.g. '2.'.")
    summary: str


class SpecsResponse(BaseModel):
    """The stream versions this service generates."""

    default: str = Field(description="The version of a recipe without a 'spec' field.")
    versions: list[SpecEntry] = Field(description="Every version served, oldest first.")
    document: str = Field(description="Where the specification of every version is written.")


class PresetEntry(BaseModel):
    name: str
    description: str
    source: str
    config: dict[str, dict[str, Any]]


class PresetsResponse(BaseModel):
    presets: list[PresetEntry]

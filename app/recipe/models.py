"""The recipe: what a user sends. Pydantic models, strict and closed (unknown fields are errors).

Strict mode means a JSON number is never read from a string, a boolean never from 0/1 and an
integer never from 2.0: what is accepted is what the canonical recipe records.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

MAX_DIMS = 8
INT64_MAX = 2**63 - 1
SEED_MAX = 2**64 - 1
NAME_MAX_CHARS = 256


def _check_name(name: str) -> str:
    if not name:
        raise ValueError("names must not be empty")
    if len(name) > NAME_MAX_CHARS:
        raise ValueError(f"names are at most {NAME_MAX_CHARS} characters")
    if any(ord(c) < 0x20 or ord(c) == 0x7F or 0xD800 <= ord(c) <= 0xDFFF for c in name):
        raise ValueError("names must not contain control characters or lone surrogates")
    if name == "__metadata__":
        raise ValueError("'__metadata__' is reserved by the safetensors format")
    return name


def _parse_seed(value: int | str) -> int:
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]{1,20}", value):
            raise ValueError("a seed string holds 1 to 20 decimal digits")
        value = int(value)
    if not 0 <= value <= SEED_MAX:
        raise ValueError(f"seed must be in [0, {SEED_MAX}] (an unsigned 64-bit integer)")
    return value


Name = Annotated[str, AfterValidator(_check_name)]
Seed = Annotated[
    int | str,
    AfterValidator(_parse_seed),
    Field(description="Unsigned 64-bit seed, as a JSON integer or a decimal string "
          "(use the string form from languages whose numbers are doubles)."),
]  # fmt: skip
Dim = Annotated[int, Field(ge=1, le=INT64_MAX)]
Count = Annotated[int, Field(ge=1, le=INT64_MAX)]
DTypeName = Literal["float32", "float64", "float16", "bfloat16"]
Nonlinearity = Literal[
    "linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu",
]  # fmt: skip
FanMode = Literal["fan_in", "fan_out"]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


# ---- initialization schemes (names as torch.nn.init without the trailing underscore) ----


class InitBase(Strict):
    """Common base of every scheme's parameters; ``scheme`` is the discriminator."""

    scheme: str


class Zeros(InitBase):
    scheme: Literal["zeros"]


class Ones(InitBase):
    scheme: Literal["ones"]


class ConstantInit(InitBase):
    scheme: Literal["constant"]
    value: float


class UniformInit(InitBase):
    scheme: Literal["uniform"]
    a: float = 0.0
    b: float = 1.0

    @model_validator(mode="after")
    def _ordered(self) -> UniformInit:
        if not self.a <= self.b:
            raise ValueError(f"uniform needs a <= b, got a={self.a}, b={self.b}")
        return self


class NormalInit(InitBase):
    scheme: Literal["normal"]
    mean: float = 0.0
    std: Annotated[float, Field(ge=0.0)] = 1.0


class TruncNormalInit(InitBase):
    scheme: Literal["trunc_normal"]
    mean: float = 0.0
    std: Annotated[float, Field(gt=0.0)] = 1.0
    a: float = -2.0
    b: float = 2.0

    @model_validator(mode="after")
    def _ordered(self) -> TruncNormalInit:
        if not self.a < self.b:
            raise ValueError(f"trunc_normal needs a < b, got a={self.a}, b={self.b}")
        return self


class XavierUniform(InitBase):
    scheme: Literal["xavier_uniform"]
    gain: Annotated[float, Field(ge=0.0)] = 1.0


class XavierNormal(InitBase):
    scheme: Literal["xavier_normal"]
    gain: Annotated[float, Field(ge=0.0)] = 1.0


class KaimingUniform(InitBase):
    scheme: Literal["kaiming_uniform"]
    a: float = 0.0
    mode: FanMode = "fan_in"
    nonlinearity: Nonlinearity = "leaky_relu"


class KaimingNormal(InitBase):
    scheme: Literal["kaiming_normal"]
    a: float = 0.0
    mode: FanMode = "fan_in"
    nonlinearity: Nonlinearity = "leaky_relu"


class FanInUniform(InitBase):
    """U(-1/sqrt(n), 1/sqrt(n)), n = fan_in: "start your weights in [-y, y], y = 1/sqrt(n)"."""

    scheme: Literal["fan_in_uniform"]


InitSpec = Annotated[
    Zeros | Ones | ConstantInit | UniformInit | NormalInit | TruncNormalInit | XavierUniform
    | XavierNormal | KaimingUniform | KaimingNormal | FanInUniform,
    Field(discriminator="scheme"),
]  # fmt: skip


# ---- raw tensors and layers ----


class TensorSpec(Strict):
    """A tensor given directly: name, shape, scheme, and optional fan overrides."""

    name: Name
    shape: Annotated[list[Dim], Field(min_length=1, max_length=MAX_DIMS)]
    init: InitSpec
    fan_in: Count | None = None
    fan_out: Count | None = None


ParamInits = dict[str, InitSpec]


class LinearLayer(Strict):
    type: Literal["linear"]
    name: Name
    in_features: Count
    out_features: Count
    bias: bool = True
    init: ParamInits | None = None


KernelSize = Count | Annotated[list[Count], Field(min_length=1, max_length=3)]


class _ConvLayer(Strict):
    name: Name
    in_channels: Count
    out_channels: Count
    kernel_size: KernelSize
    groups: Count = 1
    bias: bool = True
    init: ParamInits | None = None


class Conv1dLayer(_ConvLayer):
    type: Literal["conv1d"]


class Conv2dLayer(_ConvLayer):
    type: Literal["conv2d"]


class Conv3dLayer(_ConvLayer):
    type: Literal["conv3d"]


class EmbeddingLayer(Strict):
    type: Literal["embedding"]
    name: Name
    num_embeddings: Count
    embedding_dim: Count
    padding_idx: int | None = None
    init: ParamInits | None = None


Layer = Annotated[
    LinearLayer | Conv1dLayer | Conv2dLayer | Conv3dLayer | EmbeddingLayer,
    Field(discriminator="type"),
]


class PresetOverride(Strict):
    """Replace the init of every preset tensor whose name matches the glob ``match``."""

    match: Annotated[str, Field(min_length=1, max_length=NAME_MAX_CHARS)]
    init: InitSpec


PresetValue = int | float | str | bool | list[int]


class ModelSpec(Strict):
    """A whole architecture by name (see GET /v1/presets), with its config and overrides."""

    preset: str
    config: dict[str, PresetValue] = Field(default_factory=dict)
    overrides: list[PresetOverride] = Field(default_factory=list)


class Recipe(Strict):
    """Seed, dtype, layers (expanded to ``<layer>.<parameter>``) and raw tensors."""

    seed: Seed
    dtype: DTypeName = "float32"
    rng: Literal["portable", "torch"] = Field(
        "portable",
        description="'portable': the tensorseed stream (same bytes everywhere). 'torch': byte-equal to "
        "torch.manual_seed(seed) then building the same torch modules in recipe order on CPU "
        "(sequential, CPU-only, depends on the torch version and CPU capability).",
    )
    model: ModelSpec | None = None
    layers: list[Layer] = Field(default_factory=list)
    tensors: list[TensorSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> Recipe:
        if not self.layers and not self.tensors and self.model is None:
            raise ValueError("a recipe needs a model, at least one layer, or at least one tensor")
        return self

    @property
    def seed_value(self) -> int:
        return int(self.seed)

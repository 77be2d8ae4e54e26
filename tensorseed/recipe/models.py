"""The recipe: what a user sends. Pydantic models, strict and closed (unknown fields are errors).

Strict mode means a JSON number is never read from a string, a boolean never from 0/1 and an
integer never from 2.0: what is accepted is what the canonical recipe records.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, cast, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from tensorseed.stream import SPEC_VERSION, SPEC_VERSIONS

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
#: Integers must survive RFC 8785 (JSON numbers are binary64): 2^53 is the largest exact one.
JSON_SAFE_INT = 2**53
Dim = Annotated[int, Field(ge=1, le=JSON_SAFE_INT)]
Count = Annotated[int, Field(ge=1, le=JSON_SAFE_INT)]
DTypeName = Literal["float32", "float64", "float16", "bfloat16"]
Nonlinearity = Literal[
    "linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu",
]  # fmt: skip
FanMode = Literal["fan_in", "fan_out"]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


# ---- initialization schemes (names as torch.nn.init without the trailing underscore) ----

#: Whose meaning a scheme name has, and (for layers and raw tensors) whose parameter names, layouts
#: and fan rules apply. "jax" and "flax" are one convention: Flax layers use jax.nn.initializers.
Convention = Literal["torch", "keras", "jax", "flax"]
VarianceMode = Literal["fan_in", "fan_out", "fan_avg", "fan_geo_avg"]
VarianceDistribution = Literal["uniform", "normal", "truncated_normal", "untruncated_normal"]
Gain = Annotated[float, Field(ge=0.0)]
Std = Annotated[float, Field(ge=0.0)]
PositiveStd = Annotated[float, Field(gt=0.0)]
Block = Literal["encoder", "decoder"]

_CONVENTION_DOC = (
    "Whose meaning the scheme name has (torch, keras, jax = flax); inherited from the layer or "
    "recipe when absent."
)


class InitBase(Strict):
    """Common base of every scheme's parameters; ``scheme`` is the discriminator."""

    scheme: str
    convention: Annotated[Convention | None, Field(description=_CONVENTION_DOC)] = None


class Zeros(InitBase):
    scheme: Literal["zeros"]


class Ones(InitBase):
    scheme: Literal["ones"]


class ConstantInit(InitBase):
    scheme: Literal["constant"]
    value: float


class UniformInit(InitBase):
    """U(a, b). Defaults by convention: torch U(0, 1), keras U(-0.05, 0.05), jax U(0, 0.01)."""

    scheme: Literal["uniform"]
    a: float | None = None
    b: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> UniformInit:
        if self.a is not None and self.b is not None and not self.a <= self.b:
            raise ValueError(f"uniform needs a <= b, got a={self.a}, b={self.b}")
        return self


class NormalInit(InitBase):
    """N(mean, std^2). std by convention: torch 1, keras 0.05, jax 0.01."""

    scheme: Literal["normal"]
    mean: float = 0.0
    std: Std | None = None


class TruncNormalInit(InitBase):
    scheme: Literal["trunc_normal"]
    mean: float = 0.0
    std: PositiveStd = 1.0
    a: float = -2.0
    b: float = 2.0

    @model_validator(mode="after")
    def _ordered(self) -> TruncNormalInit:
        if not self.a < self.b:
            raise ValueError(f"trunc_normal needs a < b, got a={self.a}, b={self.b}")
        return self


class TruncatedNormalInit(InitBase):
    """N(mean, std^2) cut at [mean + a*std, mean + b*std]: a, b in std units (Keras, JAX, timm _tf_)."""

    scheme: Literal["truncated_normal"]
    mean: float = 0.0
    std: PositiveStd | None = None
    a: float = -2.0
    b: float = 2.0

    @model_validator(mode="after")
    def _ordered(self) -> TruncatedNormalInit:
        if not self.a < self.b:
            raise ValueError(f"truncated_normal needs a < b, got a={self.a}, b={self.b}")
        return self


class VarianceScaling(InitBase):
    """JAX/Keras variance_scaling: variance = scale / fan."""

    scheme: Literal["variance_scaling"]
    scale: PositiveStd = 1.0
    mode: VarianceMode = "fan_in"
    distribution: VarianceDistribution = "truncated_normal"


class XavierUniform(InitBase):
    scheme: Literal["xavier_uniform", "glorot_uniform"]
    gain: Gain = 1.0


class XavierNormal(InitBase):
    scheme: Literal["xavier_normal", "glorot_normal"]
    gain: Gain = 1.0


class KaimingUniform(InitBase):
    scheme: Literal["kaiming_uniform", "he_uniform"]
    a: float = 0.0
    mode: FanMode = "fan_in"
    nonlinearity: Nonlinearity = "leaky_relu"


class KaimingNormal(InitBase):
    scheme: Literal["kaiming_normal", "he_normal"]
    a: float = 0.0
    mode: FanMode = "fan_in"
    nonlinearity: Nonlinearity = "leaky_relu"


class LecunUniform(InitBase):
    scheme: Literal["lecun_uniform"]


class LecunNormal(InitBase):
    scheme: Literal["lecun_normal"]


class FanInUniform(InitBase):
    """U(-1/sqrt(n), 1/sqrt(n)), n = fan_in: "start your weights in [-y, y], y = 1/sqrt(n)"."""

    scheme: Literal["fan_in_uniform"]


class OrthogonalInit(InitBase):
    """torch: rows of the (shape[0], rest) matrix; keras/jax: columns along ``column_axis``."""

    scheme: Literal["orthogonal"]
    gain: Gain = 1.0
    column_axis: int | None = None


class SparseInit(InitBase):
    scheme: Literal["sparse"]
    sparsity: Annotated[float, Field(ge=0.0, lt=1.0)]
    std: Std = 0.01


class EyeInit(InitBase):
    scheme: Literal["eye", "identity"]
    gain: float = 1.0


class DiracInit(InitBase):
    scheme: Literal["dirac"]
    groups: Count = 1


class DeltaOrthogonalInit(InitBase):
    scheme: Literal["delta_orthogonal"]
    gain: Gain = 1.0


class ScaledResidual(InitBase):
    """GPT-2 / Megatron-LM: N(0, (std / sqrt(2 * n_layers))^2) for residual output projections."""

    scheme: Literal["scaled_residual"]
    std: Std = 0.02
    n_layers: Count


class SmallInit(InitBase):
    """GPT-NeoX small_init: N(0, 2 / (5 * dim))."""

    scheme: Literal["small_init"]
    dim: Count


class WangInit(InitBase):
    """GPT-NeoX wang_init: N(0, (2 / n_layers / sqrt(dim))^2)."""

    scheme: Literal["wang_init"]
    n_layers: Count
    dim: Count


class DeepNetInit(InitBase):
    """DeepNet: xavier_normal with gain beta; beta from the layer counts (see the formula)."""

    scheme: Literal["deepnet"]
    n_layers: Count
    decoder_layers: Count | None = None
    block: Block = "encoder"


class TFixupInit(InitBase):
    """T-Fixup: xavier_uniform scaled by 0.67 N^-1/4 (encoder) or (9 M)^-1/4 (decoder)."""

    scheme: Literal["t_fixup"]
    n_layers: Count
    block: Block = "encoder"


class TFixupEmbedding(InitBase):
    """T-Fixup input embeddings: N(0, d^-1) scaled by (9 M)^-1/4."""

    scheme: Literal["t_fixup_embedding"]
    n_layers: Count
    dim: Count


class FixupInit(InitBase):
    """Fixup: He normal scaled by L^(-1/(2m-2)) inside residual branches."""

    scheme: Literal["fixup"]
    n_branches: Count
    m: Annotated[int, Field(ge=2, le=64)] = 2
    mode: FanMode = "fan_out"


class ZerOInit(InitBase):
    """ZerO: identity, partial identity, or a partial normalized Hadamard matrix (2-D)."""

    scheme: Literal["zero"]


class IRNNInit(InitBase):
    """IRNN: the recurrent weight is gain * identity (square matrices)."""

    scheme: Literal["irnn"]
    gain: float = 1.0


class SeluInit(InitBase):
    """Self-normalizing networks: N(0, 1 / fan_in), untruncated."""

    scheme: Literal["selu"]


class ZeroInitResidual(InitBase):
    """Zero-init residual: the last BatchNorm weight (gamma) of each residual branch is 0."""

    scheme: Literal["zero_init_residual"]


class LSTMForgetBias(InitBase):
    """Forget-gate bias: ``value`` on the second quarter of a (4 * hidden) LSTM bias, 0 elsewhere."""

    scheme: Literal["lstm_forget_bias"]
    value: float = 1.0


class MupInit(InitBase):
    """muP: N(0, std'^2), std' = std times the width multiplier of ``role`` against ``base_fan_in``."""

    scheme: Literal["mup"]
    std: Std = 1.0
    base_fan_in: Count
    role: Literal["input", "hidden", "output"] = "hidden"


InitSpec = Annotated[
    Zeros | Ones | ConstantInit | UniformInit | NormalInit | TruncNormalInit | TruncatedNormalInit
    | VarianceScaling | XavierUniform | XavierNormal | KaimingUniform | KaimingNormal | LecunUniform
    | LecunNormal | FanInUniform | OrthogonalInit | SparseInit | EyeInit | DiracInit
    | DeltaOrthogonalInit | ScaledResidual | SmallInit | WangInit | DeepNetInit | TFixupInit
    | TFixupEmbedding | FixupInit | ZerOInit | IRNNInit | SeluInit | ZeroInitResidual
    | LSTMForgetBias | MupInit,
    Field(discriminator="scheme"),
]  # fmt: skip


# ---- raw tensors and layers ----


class TensorSpec(Strict):
    """A tensor given directly: name, shape, scheme, and optional fan overrides.

    Its layout (and so its fans) follows ``convention``: torch (out, in, *kernel), keras
    (*kernel, in, out; a 1-D tensor has fan_in = fan_out = its length), jax/flax (in_axis -2,
    out_axis -1; undefined below 2-D).
    """

    name: Name
    shape: Annotated[list[Dim], Field(min_length=1, max_length=MAX_DIMS)]
    init: InitSpec
    fan_in: Count | None = None
    fan_out: Count | None = None
    convention: Convention | None = None


ParamInits = dict[str, InitSpec]

#: Layer types by their torch.nn class names, accepted as written (``"type": "Conv2d"``) and kept
#: so in the canonical recipe; they mean exactly the canonical type (same tensors, same bytes).
TORCH_CLASS_NAMES: dict[str, str] = {
    "linear": "Linear", "bilinear": "Bilinear", "conv1d": "Conv1d", "conv2d": "Conv2d",
    "conv3d": "Conv3d", "conv_transpose1d": "ConvTranspose1d", "conv_transpose2d": "ConvTranspose2d",
    "conv_transpose3d": "ConvTranspose3d", "embedding": "Embedding", "layer_norm": "LayerNorm",
    "rms_norm": "RMSNorm", "batch_norm1d": "BatchNorm1d", "batch_norm2d": "BatchNorm2d",
    "batch_norm3d": "BatchNorm3d", "group_norm": "GroupNorm", "rnn": "RNN", "lstm": "LSTM", "gru": "GRU",
    "multihead_attention": "MultiheadAttention", "prelu": "PReLU",
}  # fmt: skip
CANONICAL_TYPES = {alias: name for name, alias in TORCH_CLASS_NAMES.items()}


def type_schema(name: str) -> WithJsonSchema:
    """The OpenAPI schema of a layer's ``type``: the canonical name (SDK enums keep one member per
    layer), with the torch class name the service also accepts in the description."""
    return WithJsonSchema({
        "const": name, "title": "Type", "type": "string",
        "description": f"{name!r} (the torch.nn class name {TORCH_CLASS_NAMES[name]!r} is accepted too)",
    })  # fmt: skip


class LayerBase(Strict):
    """Fields every layer has: its name, its convention (default: the recipe's) and overrides."""

    name: Name
    convention: Annotated[
        Convention | None,
        Field(description="Whose parameter names, layouts and defaults (default: the recipe's)."),
    ] = None
    init: ParamInits | None = None

    @field_validator("init", mode="before")
    @classmethod
    def _init_is_per_parameter(cls, value: Any) -> Any:
        # Without this, a scheme written here is read as a map whose keys "scheme", "std"...
        # are parameter names, and the error blames the values instead of the shape.
        if isinstance(value, dict) and "scheme" in value:
            scheme = value["scheme"] if isinstance(value["scheme"], str) else "..."
            raise ValueError(
                "a layer's init maps each parameter name to its scheme, e.g. "
                f'{{"weight": {{"scheme": "{scheme}", ...}}}}, not a scheme itself'
            )
        return value

    @property
    def kind(self) -> str:
        """The canonical layer type (``linear`` for ``Linear``): what the catalogue knows it by."""
        written: str = getattr(self, "type")  # noqa: B009 (every concrete layer has ``type``)
        return CANONICAL_TYPES.get(written, written)


class LinearLayer(LayerBase):
    type: Annotated[Literal["linear", "Linear"], type_schema("linear")]
    in_features: Count
    out_features: Count
    bias: bool = True


class BilinearLayer(LayerBase):
    type: Annotated[Literal["bilinear", "Bilinear"], type_schema("bilinear")]
    in1_features: Count
    in2_features: Count
    out_features: Count
    bias: bool = True


KernelSize = Count | Annotated[list[Count], Field(min_length=1, max_length=3)]


class _ConvLayer(LayerBase):
    in_channels: Count
    out_channels: Count
    kernel_size: KernelSize
    groups: Count = 1
    bias: bool = True


class _ForwardConv(_ConvLayer):
    depthwise: Annotated[
        bool,
        Field(description="Depthwise convolution: groups = in_channels, out_channels a multiple of it."),
    ] = False


class Conv1dLayer(_ForwardConv):
    type: Annotated[Literal["conv1d", "Conv1d"], type_schema("conv1d")]


class Conv2dLayer(_ForwardConv):
    type: Annotated[Literal["conv2d", "Conv2d"], type_schema("conv2d")]


class Conv3dLayer(_ForwardConv):
    type: Annotated[Literal["conv3d", "Conv3d"], type_schema("conv3d")]


class ConvTranspose1dLayer(_ConvLayer):
    type: Annotated[Literal["conv_transpose1d", "ConvTranspose1d"], type_schema("conv_transpose1d")]


class ConvTranspose2dLayer(_ConvLayer):
    type: Annotated[Literal["conv_transpose2d", "ConvTranspose2d"], type_schema("conv_transpose2d")]


class ConvTranspose3dLayer(_ConvLayer):
    type: Annotated[Literal["conv_transpose3d", "ConvTranspose3d"], type_schema("conv_transpose3d")]


class EmbeddingLayer(LayerBase):
    type: Annotated[Literal["embedding", "Embedding"], type_schema("embedding")]
    num_embeddings: Count
    embedding_dim: Count
    padding_idx: Annotated[int, Field(ge=-JSON_SAFE_INT, le=JSON_SAFE_INT)] | None = None


NormalizedShape = Count | Annotated[list[Count], Field(min_length=1, max_length=MAX_DIMS)]


class LayerNormLayer(LayerBase):
    type: Annotated[Literal["layer_norm", "LayerNorm"], type_schema("layer_norm")]
    normalized_shape: NormalizedShape
    elementwise_affine: bool = True
    bias: bool = True


class RMSNormLayer(LayerBase):
    type: Annotated[Literal["rms_norm", "RMSNorm"], type_schema("rms_norm")]
    normalized_shape: NormalizedShape
    elementwise_affine: bool = True


class _BatchNormLayer(LayerBase):
    num_features: Count
    affine: bool = True
    track_running_stats: bool = True


class BatchNorm1dLayer(_BatchNormLayer):
    type: Annotated[Literal["batch_norm1d", "BatchNorm1d"], type_schema("batch_norm1d")]


class BatchNorm2dLayer(_BatchNormLayer):
    type: Annotated[Literal["batch_norm2d", "BatchNorm2d"], type_schema("batch_norm2d")]


class BatchNorm3dLayer(_BatchNormLayer):
    type: Annotated[Literal["batch_norm3d", "BatchNorm3d"], type_schema("batch_norm3d")]


class GroupNormLayer(LayerBase):
    type: Annotated[Literal["group_norm", "GroupNorm"], type_schema("group_norm")]
    num_groups: Count
    num_channels: Count
    affine: bool = True


class _RecurrentLayer(LayerBase):
    input_size: Count
    hidden_size: Count
    num_layers: Count = 1
    bias: bool = True
    bidirectional: bool = False


class RNNLayer(_RecurrentLayer):
    type: Annotated[Literal["rnn", "RNN"], type_schema("rnn")]


class LSTMLayer(_RecurrentLayer):
    type: Annotated[Literal["lstm", "LSTM"], type_schema("lstm")]
    proj_size: Annotated[int, Field(ge=0, le=JSON_SAFE_INT)] = 0


class GRULayer(_RecurrentLayer):
    type: Annotated[Literal["gru", "GRU"], type_schema("gru")]


class MultiheadAttentionLayer(LayerBase):
    type: Annotated[Literal["multihead_attention", "MultiheadAttention"], type_schema("multihead_attention")]
    embed_dim: Count
    num_heads: Count
    bias: bool = True
    add_bias_kv: bool = False
    kdim: Count | None = None
    vdim: Count | None = None


class PReLULayer(LayerBase):
    type: Annotated[Literal["prelu", "PReLU"], type_schema("prelu")]
    num_parameters: Count = 1
    init: ParamInits | None = None
    init_value: Annotated[float, Field(description="torch's `init` argument (the initial slope).")] = 0.25


ConvLayer = Conv1dLayer | Conv2dLayer | Conv3dLayer
ConvTransposeLayer = ConvTranspose1dLayer | ConvTranspose2dLayer | ConvTranspose3dLayer
BatchNormLayer = BatchNorm1dLayer | BatchNorm2dLayer | BatchNorm3dLayer
RecurrentLayer = RNNLayer | LSTMLayer | GRULayer

Layer = Annotated[
    LinearLayer | BilinearLayer | Conv1dLayer | Conv2dLayer | Conv3dLayer | ConvTranspose1dLayer
    | ConvTranspose2dLayer | ConvTranspose3dLayer | EmbeddingLayer | LayerNormLayer | RMSNormLayer
    | BatchNorm1dLayer | BatchNorm2dLayer | BatchNorm3dLayer | GroupNormLayer | RNNLayer | LSTMLayer
    | GRULayer | MultiheadAttentionLayer | PReLULayer,
    Field(discriminator="type"),
]  # fmt: skip


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


#: The stream versions a recipe may name (every version this build generates).
SpecName = Literal["tensorseed-stream/1", "tensorseed-stream/2"]
assert get_args(SpecName) == SPEC_VERSIONS
#: The libraries whose layouts a recipe's layers can be written in (``export``).
ExportTarget = Literal["torch", "keras", "flax"]


class Recipe(Strict):
    """Seed, dtype, convention, layers (expanded to ``<layer>.<parameter>``) and raw tensors."""

    seed: Seed
    dtype: DTypeName = "float32"
    spec: SpecName = Field(
        cast(SpecName, SPEC_VERSION),
        description="The stream version whose bytes to produce. Absent: tensorseed-stream/2. "
        "'tensorseed-stream/1' gives that frozen version's bytes forever (GET /v1/specs lists the "
        "versions served).",
    )
    rng: Literal["portable", "torch"] = Field(
        "portable",
        description="'portable': the tensorseed stream (same bytes everywhere). 'torch': byte-equal to "
        "torch.manual_seed(seed) then building the same torch modules in recipe order on CPU "
        "(sequential, CPU-only, depends on the torch version and CPU capability).",
    )
    convention: Annotated[
        Convention,
        Field(description="Default convention of every layer, tensor and scheme name (torch's unless set)."),
    ] = "torch"
    model: ModelSpec | None = None
    export: Annotated[
        ExportTarget | None,
        Field(
            description="Write every layer's parameters under this library's names and layouts "
            "(torch, keras or flax; null or absent: each layer's own convention). Values stay those "
            "of the layer's convention, bit for bit: only their positions and names change."
        ),
    ] = None
    layers: list[Layer] = Field(default_factory=list)
    tensors: list[TensorSpec] = Field(default_factory=list)
    ties: Annotated[
        dict[Name, Name],
        Field(description="Tied tensors: each key is a tensor with exactly the bytes of the tensor its "
              "value names (the same stream, e.g. a language model's output embedding and input "
              "embedding). The target is a layer parameter, a raw tensor or a preset tensor."),
    ] = Field(default_factory=dict)  # fmt: skip

    @model_validator(mode="after")
    def _not_empty(self) -> Recipe:
        if not self.layers and not self.tensors and self.model is None:
            raise ValueError("a recipe needs a model, at least one layer, or at least one tensor")
        return self

    @property
    def seed_value(self) -> int:
        return int(self.seed)

    def read_as(self, spec: str) -> Recipe:
        """This recipe as read from a token or file of version ``spec``: a recipe that names no
        version takes that one (v1 canonical recipes carry no ``spec`` member); one that names
        another version contradicts its container (ValueError)."""
        if spec not in SPEC_VERSIONS:
            raise ValueError(f"{spec!r} is not a version this build generates ({', '.join(SPEC_VERSIONS)})")
        if "spec" not in self.model_fields_set:
            return self.model_copy(update={"spec": spec})
        if self.spec != spec:
            raise ValueError(f"the recipe names {self.spec} but comes in a {spec} container")
        return self

"""The propagation request: a sequential network, its initialization, and the batch pushed through it.

The network is ``depth`` blocks of ``layer -> [norm] -> activation`` (``+ input`` when residual),
each a layer of the recipe catalogue (``linear``, ``conv1d``, ``conv2d``, ``conv3d``; torch
layout, stride 1, "same" padding), with the initialization written exactly as a recipe layer's
``init``. The weights, the input batch and the output gradient are tensors of one equivalent
recipe (``equivalent_recipe``), so everything is reproducible from the request alone and the
same weights can be downloaded from ``/v1/weights``.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from tensorseed.analysis.activations import Activation
from tensorseed.recipe import models as m
from tensorseed.recipe.errors import LimitExceeded, RecipeError

NetworkLayer = Literal["linear", "conv1d", "conv2d", "conv3d"]
Norm = Literal["layer_norm", "rms_norm", "batch_norm"]
#: Normalization layers divide by sqrt(variance + eps); torch's LayerNorm and BatchNorm default.
NORM_EPS = 1e-5
LABEL_MAX_CHARS = 64
#: Entries of an ``init`` (or ``norm_init``): a layer has at most a weight and a bias, a norm a
#: few more. Checked before the entries are validated, because every layer of the equivalent
#: recipe carries the dict again: a megabyte of entries would be validated once per layer.
MAX_PARAM_INITS = 8


def _few_params(value: Any) -> Any:
    if isinstance(value, dict) and len(value) > MAX_PARAM_INITS:
        raise PydanticCustomError(
            "too_long",
            "an init names at most {max_length} parameters, not {actual_length}",
            {"max_length": MAX_PARAM_INITS, "actual_length": len(value)},
        )
    return value


def _unit_normal() -> m.NormalInit:
    return m.NormalInit(scheme="normal", mean=0.0, std=1.0)


class NetworkShape(m.Strict):
    """The architecture, without its initialization."""

    layer: NetworkLayer = "linear"
    width: Annotated[m.Count | None, Field(description="Units (or channels) of every layer; with depth.")] = (
        None
    )
    depth: Annotated[m.Count | None, Field(description="Number of layer blocks; with width.")] = None
    widths: Annotated[
        list[m.Count] | None,
        Field(min_length=2, max_length=100_001,
              description="[input, layer 1, ..., layer L] widths, instead of width and depth."),
    ] = None  # fmt: skip
    input_size: Annotated[
        list[m.Count] | None,
        Field(min_length=1, max_length=3, description="Spatial size of the input (convolutions only)."),
    ] = None
    kernel_size: m.KernelSize = 3
    groups: m.Count = 1
    padding: Annotated[
        Literal["zeros", "circular"],
        Field(description="'same' padding of convolutions: zeros (torch's default) or circular."),
    ] = "zeros"
    bias: bool = True
    activation: Activation = "relu"
    negative_slope: Annotated[float, Field(description="leaky_relu's slope for negative inputs.")] = 0.01
    norm: Annotated[
        Norm | None, Field(description="A normalization layer between each layer and its activation.")
    ] = None
    residual: Annotated[
        bool, Field(description="x_l = x_(l-1) + block(x_(l-1)) wherever the widths agree.")
    ] = False
    norm_init: Annotated[
        m.ParamInits | None, Field(description="Init of the normalization layers' weight and bias.")
    ] = None

    _few_norm_params = field_validator("norm_init", mode="before")(_few_params)


class _Sampling(m.Strict):
    seed: m.Seed
    dtype: Annotated[
        m.DTypeName, Field(description="dtype of the weights (the values /v1/weights serves).")
    ] = "float32"
    batch: Annotated[m.Count, Field(description="Samples in the input batch.")] = 256
    input: Annotated[m.InitSpec, Field(description="Distribution of the input batch (from the stream).")] = (
        Field(default_factory=_unit_normal)
    )
    output_grad: Annotated[
        m.InitSpec,
        Field(description="Distribution of the gradient fed back at the output (from the stream)."),
    ] = Field(default_factory=_unit_normal)
    band: Annotated[
        list[Annotated[float, Field(gt=0.0)]],
        Field(min_length=2, max_length=2,
              description="[low, high]: a std ratio to the input's (activations) or the output "
              "gradient's (gradients) outside this band is vanishing or exploding."),
    ] = Field(default_factory=lambda: [0.1, 10.0])  # fmt: skip

    @field_validator("band")
    @classmethod
    def _band_order(cls, band: list[float]) -> list[float]:
        if not band[0] < 1.0 < band[1]:
            raise ValueError(f"band must hold 1: low < 1 < high, got {band}")
        return band

    @property
    def seed_value(self) -> int:
        return int(self.seed)


class PropagationRequest(NetworkShape, _Sampling):
    """One network, one initialization: measured and mean-field statistics per layer."""

    init: Annotated[
        m.ParamInits | None,
        Field(description="Init of every layer's parameters, as a recipe layer's init "
              "(default: the layer's torch default)."),
    ] = None  # fmt: skip

    _few_params = field_validator("init", mode="before")(_few_params)


class ComparedInit(m.Strict):
    label: Annotated[str, Field(min_length=1, max_length=LABEL_MAX_CHARS)]
    init: m.ParamInits

    _few_params = field_validator("init", mode="before")(_few_params)


def _default_schemes() -> list[ComparedInit]:
    zeros: dict[str, Any] = {"scheme": "zeros"}
    weights: list[tuple[str, dict[str, Any]]] = [
        ("zeros", {"scheme": "zeros"}),
        ("ones", {"scheme": "ones"}),
        ("U(-1, 1)", {"scheme": "uniform", "a": -1.0, "b": 1.0}),
        ("U(+-1/sqrt(n))", {"scheme": "fan_in_uniform"}),
        ("N(0, 1)", {"scheme": "normal", "std": 1.0}),
        ("Xavier", {"scheme": "xavier_normal"}),
        ("He", {"scheme": "kaiming_normal", "nonlinearity": "relu"}),
        ("LeCun", {"scheme": "lecun_normal"}),
    ]
    return [ComparedInit.model_validate({"label": label, "init": {"weight": w, "bias": zeros}})
            for label, w in weights]  # fmt: skip


#: The write-up's comparison: weights from each scheme, biases zero.
DEFAULT_SCHEMES = _default_schemes()


class CompareRequest(NetworkShape, _Sampling):
    """One network, several initializations side by side (the "depth" view)."""

    schemes: Annotated[
        list[ComparedInit],
        Field(min_length=1,
              description="Initializations to compare (default: zeros, ones, U(-1, 1), U(+-1/sqrt(n)), "
              "N(0, 1), Xavier, He, LeCun; biases zero)."),
    ] = Field(default_factory=lambda: list(DEFAULT_SCHEMES))  # fmt: skip

    @model_validator(mode="after")
    def _unique_labels(self) -> CompareRequest:
        labels = [s.label for s in self.schemes]
        if len(set(labels)) != len(labels):
            raise ValueError("scheme labels must be unique")
        return self

    def single(self, init: m.ParamInits) -> PropagationRequest:
        """The propagation request of one compared initialization."""
        data = self.model_dump(mode="json", exclude={"schemes"}, exclude_unset=True)
        dumped = {k: v.model_dump(mode="json", exclude_none=True) for k, v in init.items()}
        return PropagationRequest.model_validate({**data, "seed": self.seed, "init": dumped})


@dataclass(frozen=True)
class PropagationLimits:
    """Work and memory one request may cost (configured by the service)."""

    max_batch: int = 4096
    max_depth: int = 1000
    #: batch x units (x positions), summed over the input and every layer: three float64 copies
    #: (inputs, pre-activations, normalized values) are held for the backward pass.
    max_activation_elements: int = 2**22
    #: Elements of one layer's weight (held as float64 while the layer is computed).
    max_layer_weights: int = 2**22
    #: Multiply-adds of the forward pass, all compared schemes together (backward costs twice).
    max_macs: int = 2**32
    max_schemes: int = 16
    #: Histogram numbers (bins x histograms, every scheme together) one result may carry: two
    #: histograms per layer and one of the input.
    max_histogram_values: int = 1_000_000


@dataclass(frozen=True)
class Network:
    """A resolved network: widths, spatial size and kernel, checked against the limits."""

    layer: NetworkLayer
    widths: tuple[int, ...]
    spatial: tuple[int, ...]
    kernel: tuple[int, ...]
    groups: int
    padding: str
    bias: bool
    activation: Activation
    slope: float
    norm: Norm | None
    residual: bool
    batch: int

    @property
    def depth(self) -> int:
        return len(self.widths) - 1

    @property
    def positions(self) -> int:
        return math.prod(self.spatial)

    def weight_shape(self, layer: int) -> tuple[int, ...]:
        return (self.widths[layer + 1], self.widths[layer] // self.groups, *self.kernel)

    def macs(self) -> int:
        return sum(self.batch * self.positions * math.prod(self.weight_shape(i)) for i in range(self.depth))

    def taps(self) -> float:
        """Kernel taps that fall inside the input, averaged over output positions ("same" padding
        with zeros loses some at the borders; circular padding keeps all)."""
        if self.padding == "circular":
            return float(math.prod(self.kernel))
        total = 1.0
        for size, k in zip(self.spatial, self.kernel, strict=True):
            left = (k - 1) // 2
            inside = sum(1 for p, o in itertools.product(range(size), range(k)) if 0 <= p + o - left < size)
            total *= inside / size
        return total

    def residual_at(self, layer: int) -> bool:
        return self.residual and self.widths[layer] == self.widths[layer + 1]


def resolve_network(
    request: NetworkShape, batch: int, limits: PropagationLimits, schemes: int = 1
) -> Network:
    """Widths, kernel and spatial size from the request; 422 for inconsistent fields, 413 over limits."""
    if request.widths is not None:
        if request.width is not None or request.depth is not None:
            raise RecipeError(("widths",), "give either widths or width and depth, not both")
        widths = tuple(request.widths)
    else:
        if request.width is None or request.depth is None:
            raise RecipeError(("width",), "give width and depth (or widths)")
        if request.depth > limits.max_depth:
            raise LimitExceeded(("depth",), f"depth {request.depth} exceeds the limit of {limits.max_depth}")
        widths = (request.width,) * (request.depth + 1)
    if len(widths) - 1 > limits.max_depth:
        raise LimitExceeded(("widths",), f"depth {len(widths) - 1} exceeds the limit of {limits.max_depth}")
    if batch > limits.max_batch:
        raise LimitExceeded(("batch",), f"batch {batch} exceeds the limit of {limits.max_batch}")
    if request.layer == "linear":
        if request.input_size is not None:
            raise RecipeError(("input_size",), "input_size is for convolutions; a linear network has none")
        if request.groups != 1:
            raise RecipeError(("groups",), "groups is for convolutions")
        spatial: tuple[int, ...] = ()
        kernel: tuple[int, ...] = ()
    else:
        dims = int(request.layer[-2])
        if request.input_size is None or len(request.input_size) != dims:
            raise RecipeError(("input_size",), f"{request.layer} needs input_size with {dims} spatial sizes")
        spatial = tuple(request.input_size)
        ks = request.kernel_size
        kernel = (ks,) * dims if isinstance(ks, int) else tuple(ks)
        if len(kernel) != dims:
            raise RecipeError(
                ("kernel_size",), f"{request.layer} needs {dims} kernel sizes, got {len(kernel)}"
            )
        for i, w in enumerate(widths):
            if w % request.groups:
                where = "widths" if request.widths else "width"
                raise RecipeError(
                    (where,), f"width {w} (layer {i}) is not divisible by groups ({request.groups})"
                )
    net = Network(
        layer=request.layer, widths=widths, spatial=spatial, kernel=kernel, groups=request.groups,
        padding=request.padding, bias=request.bias, activation=request.activation,
        slope=request.negative_slope, norm=request.norm, residual=request.residual, batch=batch,
    )  # fmt: skip
    activations = batch * net.positions * sum(widths)
    if activations > limits.max_activation_elements:
        raise LimitExceeded(
            ("batch",),
            f"batch x units x positions over all layers is {activations}, over the limit of "
            f"{limits.max_activation_elements}: use a smaller batch, width or depth",
        )
    for i in range(net.depth):
        size = math.prod(net.weight_shape(i))
        if size > limits.max_layer_weights:
            raise LimitExceeded(
                ("widths" if request.widths else "width",),
                f"layer {i + 1} has {size} weights, over the limit of {limits.max_layer_weights}",
            )
    macs = net.macs() * schemes
    if macs > limits.max_macs:
        raise LimitExceeded(
            ("batch",), f"the forward pass costs {macs} multiply-adds, over the limit of {limits.max_macs}"
        )
    return net


def _init_dump(init: m.ParamInits | None) -> dict[str, Any] | None:
    if init is None:
        return None
    return {k: v.model_dump(mode="json", exclude_none=True) for k, v in init.items()}


def equivalent_recipe(request: PropagationRequest, net: Network) -> dict[str, Any]:
    """The recipe whose tensors are this network's parameters, input batch and output gradient.

    Layers are named ``layers.<i>`` and ``norms.<i>`` (i from 0), the batch ``input`` and the
    gradient ``output_grad``, both in torch layout (batch, channels, *spatial).
    """
    layers: list[dict[str, Any]] = []
    init = _init_dump(request.init)
    norm_init = _init_dump(request.norm_init)
    for i in range(net.depth):
        fan_in, fan_out = net.widths[i], net.widths[i + 1]
        layer: dict[str, Any] = {"name": f"layers.{i}", "type": net.layer, "bias": net.bias}
        if net.layer == "linear":
            layer.update(in_features=fan_in, out_features=fan_out)
        else:
            layer.update(in_channels=fan_in, out_channels=fan_out, kernel_size=list(net.kernel),
                         groups=net.groups)  # fmt: skip
        if init is not None:
            layer["init"] = init
        layers.append(layer)
        if net.norm is not None:
            norm: dict[str, Any] = {"name": f"norms.{i}"}
            if net.norm == "batch_norm":
                norm.update(type=f"batch_norm{max(1, len(net.spatial))}d", num_features=fan_out)
            else:
                norm.update(type=net.norm, normalized_shape=[fan_out, *net.spatial])
            if norm_init is not None:
                norm["init"] = norm_init
            layers.append(norm)
    tensors = [
        {"name": "input", "shape": [net.batch, net.widths[0], *net.spatial],
         "init": request.input.model_dump(mode="json", exclude_none=True)},
        {"name": "output_grad", "shape": [net.batch, net.widths[-1], *net.spatial],
         "init": request.output_grad.model_dump(mode="json", exclude_none=True)},
    ]  # fmt: skip
    return {"seed": str(request.seed_value), "dtype": request.dtype, "layers": layers, "tensors": tensors}


__all__ = [
    "DEFAULT_SCHEMES",
    "NORM_EPS",
    "CompareRequest",
    "ComparedInit",
    "Network",
    "PropagationLimits",
    "PropagationRequest",
    "equivalent_recipe",
    "resolve_network",
]

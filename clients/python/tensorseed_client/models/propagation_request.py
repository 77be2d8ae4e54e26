from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.propagation_request_activation import PropagationRequestActivation
from ..models.propagation_request_dtype import PropagationRequestDtype
from ..models.propagation_request_layer import PropagationRequestLayer
from ..models.propagation_request_norm_type_0 import PropagationRequestNormType0
from ..models.propagation_request_padding import PropagationRequestPadding
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.constant_init import ConstantInit
    from ..models.deep_net_init import DeepNetInit
    from ..models.delta_orthogonal_init import DeltaOrthogonalInit
    from ..models.dirac_init import DiracInit
    from ..models.eye_init import EyeInit
    from ..models.fan_in_uniform import FanInUniform
    from ..models.fixup_init import FixupInit
    from ..models.irnn_init import IRNNInit
    from ..models.kaiming_normal import KaimingNormal
    from ..models.kaiming_uniform import KaimingUniform
    from ..models.lecun_normal import LecunNormal
    from ..models.lecun_uniform import LecunUniform
    from ..models.lstm_forget_bias import LSTMForgetBias
    from ..models.mup_init import MupInit
    from ..models.normal_init import NormalInit
    from ..models.ones import Ones
    from ..models.orthogonal_init import OrthogonalInit
    from ..models.propagation_request_init_type_0 import PropagationRequestInitType0
    from ..models.propagation_request_norm_init_type_0 import PropagationRequestNormInitType0
    from ..models.scaled_residual import ScaledResidual
    from ..models.selu_init import SeluInit
    from ..models.small_init import SmallInit
    from ..models.sparse_init import SparseInit
    from ..models.t_fixup_embedding import TFixupEmbedding
    from ..models.t_fixup_init import TFixupInit
    from ..models.trunc_normal_init import TruncNormalInit
    from ..models.truncated_normal_init import TruncatedNormalInit
    from ..models.uniform_init import UniformInit
    from ..models.variance_scaling import VarianceScaling
    from ..models.wang_init import WangInit
    from ..models.xavier_normal import XavierNormal
    from ..models.xavier_uniform import XavierUniform
    from ..models.zer_o_init import ZerOInit
    from ..models.zero_init_residual import ZeroInitResidual
    from ..models.zeros import Zeros


T = TypeVar("T", bound="PropagationRequest")


@_attrs_define
class PropagationRequest:
    """One network, one initialization: measured and mean-field statistics per layer.

    Attributes:
        seed (int | str): Unsigned 64-bit seed, as a JSON integer or a decimal string (use the string form from
            languages whose numbers are doubles).
        activation (PropagationRequestActivation | Unset):  Default: PropagationRequestActivation.RELU.
        band (list[float] | Unset): [low, high]: a std ratio to the input's (activations) or the output gradient's
            (gradients) outside this band is vanishing or exploding.
        batch (int | Unset): Samples in the input batch. Default: 256.
        bias (bool | Unset):  Default: True.
        depth (int | None | Unset): Number of layer blocks; with width.
        dtype (PropagationRequestDtype | Unset): dtype of the weights (the values /v1/weights serves). Default:
            PropagationRequestDtype.FLOAT32.
        groups (int | Unset):  Default: 1.
        init (None | PropagationRequestInitType0 | Unset): Init of every layer's parameters, as a recipe layer's init
            (default: the layer's torch default).
        input_ (ConstantInit | DeepNetInit | DeltaOrthogonalInit | DiracInit | EyeInit | FanInUniform | FixupInit |
            IRNNInit | KaimingNormal | KaimingUniform | LecunNormal | LecunUniform | LSTMForgetBias | MupInit | NormalInit |
            Ones | OrthogonalInit | ScaledResidual | SeluInit | SmallInit | SparseInit | TFixupEmbedding | TFixupInit |
            TruncatedNormalInit | TruncNormalInit | UniformInit | Unset | VarianceScaling | WangInit | XavierNormal |
            XavierUniform | ZerOInit | ZeroInitResidual | Zeros): Distribution of the input batch (from the stream).
        input_size (list[int] | None | Unset): Spatial size of the input (convolutions only).
        kernel_size (int | list[int] | Unset):  Default: 3.
        layer (PropagationRequestLayer | Unset):  Default: PropagationRequestLayer.LINEAR.
        negative_slope (float | Unset): leaky_relu's slope for negative inputs. Default: 0.01.
        norm (None | PropagationRequestNormType0 | Unset): A normalization layer between each layer and its activation.
        norm_init (None | PropagationRequestNormInitType0 | Unset): Init of the normalization layers' weight and bias.
        output_grad (ConstantInit | DeepNetInit | DeltaOrthogonalInit | DiracInit | EyeInit | FanInUniform | FixupInit |
            IRNNInit | KaimingNormal | KaimingUniform | LecunNormal | LecunUniform | LSTMForgetBias | MupInit | NormalInit |
            Ones | OrthogonalInit | ScaledResidual | SeluInit | SmallInit | SparseInit | TFixupEmbedding | TFixupInit |
            TruncatedNormalInit | TruncNormalInit | UniformInit | Unset | VarianceScaling | WangInit | XavierNormal |
            XavierUniform | ZerOInit | ZeroInitResidual | Zeros): Distribution of the gradient fed back at the output (from
            the stream).
        padding (PropagationRequestPadding | Unset): 'same' padding of convolutions: zeros (torch's default) or
            circular. Default: PropagationRequestPadding.ZEROS.
        residual (bool | Unset): x_l = x_(l-1) + block(x_(l-1)) wherever the widths agree. Default: False.
        width (int | None | Unset): Units (or channels) of every layer; with depth.
        widths (list[int] | None | Unset): [input, layer 1, ..., layer L] widths, instead of width and depth.
    """

    seed: int | str
    activation: PropagationRequestActivation | Unset = PropagationRequestActivation.RELU
    band: list[float] | Unset = UNSET
    batch: int | Unset = 256
    bias: bool | Unset = True
    depth: int | None | Unset = UNSET
    dtype: PropagationRequestDtype | Unset = PropagationRequestDtype.FLOAT32
    groups: int | Unset = 1
    init: None | PropagationRequestInitType0 | Unset = UNSET
    input_: (
        ConstantInit
        | DeepNetInit
        | DeltaOrthogonalInit
        | DiracInit
        | EyeInit
        | FanInUniform
        | FixupInit
        | IRNNInit
        | KaimingNormal
        | KaimingUniform
        | LecunNormal
        | LecunUniform
        | LSTMForgetBias
        | MupInit
        | NormalInit
        | Ones
        | OrthogonalInit
        | ScaledResidual
        | SeluInit
        | SmallInit
        | SparseInit
        | TFixupEmbedding
        | TFixupInit
        | TruncatedNormalInit
        | TruncNormalInit
        | UniformInit
        | Unset
        | VarianceScaling
        | WangInit
        | XavierNormal
        | XavierUniform
        | ZerOInit
        | ZeroInitResidual
        | Zeros
    ) = UNSET
    input_size: list[int] | None | Unset = UNSET
    kernel_size: int | list[int] | Unset = 3
    layer: PropagationRequestLayer | Unset = PropagationRequestLayer.LINEAR
    negative_slope: float | Unset = 0.01
    norm: None | PropagationRequestNormType0 | Unset = UNSET
    norm_init: None | PropagationRequestNormInitType0 | Unset = UNSET
    output_grad: (
        ConstantInit
        | DeepNetInit
        | DeltaOrthogonalInit
        | DiracInit
        | EyeInit
        | FanInUniform
        | FixupInit
        | IRNNInit
        | KaimingNormal
        | KaimingUniform
        | LecunNormal
        | LecunUniform
        | LSTMForgetBias
        | MupInit
        | NormalInit
        | Ones
        | OrthogonalInit
        | ScaledResidual
        | SeluInit
        | SmallInit
        | SparseInit
        | TFixupEmbedding
        | TFixupInit
        | TruncatedNormalInit
        | TruncNormalInit
        | UniformInit
        | Unset
        | VarianceScaling
        | WangInit
        | XavierNormal
        | XavierUniform
        | ZerOInit
        | ZeroInitResidual
        | Zeros
    ) = UNSET
    padding: PropagationRequestPadding | Unset = PropagationRequestPadding.ZEROS
    residual: bool | Unset = False
    width: int | None | Unset = UNSET
    widths: list[int] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.constant_init import ConstantInit  # noqa: PLC0415
        from ..models.deep_net_init import DeepNetInit  # noqa: PLC0415
        from ..models.delta_orthogonal_init import DeltaOrthogonalInit  # noqa: PLC0415
        from ..models.dirac_init import DiracInit  # noqa: PLC0415
        from ..models.eye_init import EyeInit  # noqa: PLC0415
        from ..models.fan_in_uniform import FanInUniform  # noqa: PLC0415
        from ..models.fixup_init import FixupInit  # noqa: PLC0415
        from ..models.irnn_init import IRNNInit  # noqa: PLC0415
        from ..models.kaiming_normal import KaimingNormal  # noqa: PLC0415
        from ..models.kaiming_uniform import KaimingUniform  # noqa: PLC0415
        from ..models.lecun_normal import LecunNormal  # noqa: PLC0415
        from ..models.lecun_uniform import LecunUniform  # noqa: PLC0415
        from ..models.lstm_forget_bias import LSTMForgetBias  # noqa: PLC0415
        from ..models.normal_init import NormalInit  # noqa: PLC0415
        from ..models.ones import Ones  # noqa: PLC0415
        from ..models.orthogonal_init import OrthogonalInit  # noqa: PLC0415
        from ..models.propagation_request_init_type_0 import PropagationRequestInitType0  # noqa: PLC0415
        from ..models.propagation_request_norm_init_type_0 import PropagationRequestNormInitType0  # noqa: PLC0415
        from ..models.scaled_residual import ScaledResidual  # noqa: PLC0415
        from ..models.selu_init import SeluInit  # noqa: PLC0415
        from ..models.small_init import SmallInit  # noqa: PLC0415
        from ..models.sparse_init import SparseInit  # noqa: PLC0415
        from ..models.t_fixup_embedding import TFixupEmbedding  # noqa: PLC0415
        from ..models.t_fixup_init import TFixupInit  # noqa: PLC0415
        from ..models.trunc_normal_init import TruncNormalInit  # noqa: PLC0415
        from ..models.truncated_normal_init import TruncatedNormalInit  # noqa: PLC0415
        from ..models.uniform_init import UniformInit  # noqa: PLC0415
        from ..models.variance_scaling import VarianceScaling  # noqa: PLC0415
        from ..models.wang_init import WangInit  # noqa: PLC0415
        from ..models.xavier_normal import XavierNormal  # noqa: PLC0415
        from ..models.xavier_uniform import XavierUniform  # noqa: PLC0415
        from ..models.zer_o_init import ZerOInit  # noqa: PLC0415
        from ..models.zero_init_residual import ZeroInitResidual  # noqa: PLC0415
        from ..models.zeros import Zeros  # noqa: PLC0415

        seed: int | str
        seed = self.seed

        activation: str | Unset = UNSET
        if not isinstance(self.activation, Unset):
            activation = self.activation.value

        band: list[float] | Unset = UNSET
        if not isinstance(self.band, Unset):
            band = self.band

        batch = self.batch

        bias = self.bias

        depth: int | None | Unset
        if isinstance(self.depth, Unset):
            depth = UNSET
        else:
            depth = self.depth

        dtype: str | Unset = UNSET
        if not isinstance(self.dtype, Unset):
            dtype = self.dtype.value

        groups = self.groups

        init: dict[str, Any] | None | Unset
        if isinstance(self.init, Unset):
            init = UNSET
        elif isinstance(self.init, PropagationRequestInitType0):
            init = self.init.to_dict()
        else:
            init = self.init

        input_: dict[str, Any] | Unset
        if isinstance(self.input_, Unset):
            input_ = UNSET
        elif isinstance(self.input_, Zeros):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, Ones):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, ConstantInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, UniformInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, NormalInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, TruncNormalInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, TruncatedNormalInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, VarianceScaling):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, XavierUniform):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, XavierNormal):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, KaimingUniform):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, KaimingNormal):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, LecunUniform):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, LecunNormal):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, FanInUniform):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, OrthogonalInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, SparseInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, EyeInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, DiracInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, DeltaOrthogonalInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, ScaledResidual):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, SmallInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, WangInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, DeepNetInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, TFixupInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, TFixupEmbedding):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, FixupInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, ZerOInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, IRNNInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, SeluInit):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, ZeroInitResidual):
            input_ = self.input_.to_dict()
        elif isinstance(self.input_, LSTMForgetBias):
            input_ = self.input_.to_dict()
        else:
            input_ = self.input_.to_dict()

        input_size: list[int] | None | Unset
        if isinstance(self.input_size, Unset):
            input_size = UNSET
        elif isinstance(self.input_size, list):
            input_size = self.input_size

        else:
            input_size = self.input_size

        kernel_size: int | list[int] | Unset
        if isinstance(self.kernel_size, Unset):
            kernel_size = UNSET
        elif isinstance(self.kernel_size, list):
            kernel_size = self.kernel_size

        else:
            kernel_size = self.kernel_size

        layer: str | Unset = UNSET
        if not isinstance(self.layer, Unset):
            layer = self.layer.value

        negative_slope = self.negative_slope

        norm: None | str | Unset
        if isinstance(self.norm, Unset):
            norm = UNSET
        elif isinstance(self.norm, PropagationRequestNormType0):
            norm = self.norm.value
        else:
            norm = self.norm

        norm_init: dict[str, Any] | None | Unset
        if isinstance(self.norm_init, Unset):
            norm_init = UNSET
        elif isinstance(self.norm_init, PropagationRequestNormInitType0):
            norm_init = self.norm_init.to_dict()
        else:
            norm_init = self.norm_init

        output_grad: dict[str, Any] | Unset
        if isinstance(self.output_grad, Unset):
            output_grad = UNSET
        elif isinstance(self.output_grad, Zeros):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, Ones):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, ConstantInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, UniformInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, NormalInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, TruncNormalInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, TruncatedNormalInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, VarianceScaling):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, XavierUniform):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, XavierNormal):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, KaimingUniform):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, KaimingNormal):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, LecunUniform):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, LecunNormal):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, FanInUniform):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, OrthogonalInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, SparseInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, EyeInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, DiracInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, DeltaOrthogonalInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, ScaledResidual):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, SmallInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, WangInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, DeepNetInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, TFixupInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, TFixupEmbedding):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, FixupInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, ZerOInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, IRNNInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, SeluInit):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, ZeroInitResidual):
            output_grad = self.output_grad.to_dict()
        elif isinstance(self.output_grad, LSTMForgetBias):
            output_grad = self.output_grad.to_dict()
        else:
            output_grad = self.output_grad.to_dict()

        padding: str | Unset = UNSET
        if not isinstance(self.padding, Unset):
            padding = self.padding.value

        residual = self.residual

        width: int | None | Unset
        if isinstance(self.width, Unset):
            width = UNSET
        else:
            width = self.width

        widths: list[int] | None | Unset
        if isinstance(self.widths, Unset):
            widths = UNSET
        elif isinstance(self.widths, list):
            widths = self.widths

        else:
            widths = self.widths

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "seed": seed,
            }
        )
        if activation is not UNSET:
            field_dict["activation"] = activation
        if band is not UNSET:
            field_dict["band"] = band
        if batch is not UNSET:
            field_dict["batch"] = batch
        if bias is not UNSET:
            field_dict["bias"] = bias
        if depth is not UNSET:
            field_dict["depth"] = depth
        if dtype is not UNSET:
            field_dict["dtype"] = dtype
        if groups is not UNSET:
            field_dict["groups"] = groups
        if init is not UNSET:
            field_dict["init"] = init
        if input_ is not UNSET:
            field_dict["input"] = input_
        if input_size is not UNSET:
            field_dict["input_size"] = input_size
        if kernel_size is not UNSET:
            field_dict["kernel_size"] = kernel_size
        if layer is not UNSET:
            field_dict["layer"] = layer
        if negative_slope is not UNSET:
            field_dict["negative_slope"] = negative_slope
        if norm is not UNSET:
            field_dict["norm"] = norm
        if norm_init is not UNSET:
            field_dict["norm_init"] = norm_init
        if output_grad is not UNSET:
            field_dict["output_grad"] = output_grad
        if padding is not UNSET:
            field_dict["padding"] = padding
        if residual is not UNSET:
            field_dict["residual"] = residual
        if width is not UNSET:
            field_dict["width"] = width
        if widths is not UNSET:
            field_dict["widths"] = widths

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.constant_init import ConstantInit  # noqa: PLC0415
        from ..models.deep_net_init import DeepNetInit  # noqa: PLC0415
        from ..models.delta_orthogonal_init import DeltaOrthogonalInit  # noqa: PLC0415
        from ..models.dirac_init import DiracInit  # noqa: PLC0415
        from ..models.eye_init import EyeInit  # noqa: PLC0415
        from ..models.fan_in_uniform import FanInUniform  # noqa: PLC0415
        from ..models.fixup_init import FixupInit  # noqa: PLC0415
        from ..models.irnn_init import IRNNInit  # noqa: PLC0415
        from ..models.kaiming_normal import KaimingNormal  # noqa: PLC0415
        from ..models.kaiming_uniform import KaimingUniform  # noqa: PLC0415
        from ..models.lecun_normal import LecunNormal  # noqa: PLC0415
        from ..models.lecun_uniform import LecunUniform  # noqa: PLC0415
        from ..models.lstm_forget_bias import LSTMForgetBias  # noqa: PLC0415
        from ..models.mup_init import MupInit  # noqa: PLC0415
        from ..models.normal_init import NormalInit  # noqa: PLC0415
        from ..models.ones import Ones  # noqa: PLC0415
        from ..models.orthogonal_init import OrthogonalInit  # noqa: PLC0415
        from ..models.propagation_request_init_type_0 import PropagationRequestInitType0  # noqa: PLC0415
        from ..models.propagation_request_norm_init_type_0 import PropagationRequestNormInitType0  # noqa: PLC0415
        from ..models.scaled_residual import ScaledResidual  # noqa: PLC0415
        from ..models.selu_init import SeluInit  # noqa: PLC0415
        from ..models.small_init import SmallInit  # noqa: PLC0415
        from ..models.sparse_init import SparseInit  # noqa: PLC0415
        from ..models.t_fixup_embedding import TFixupEmbedding  # noqa: PLC0415
        from ..models.t_fixup_init import TFixupInit  # noqa: PLC0415
        from ..models.trunc_normal_init import TruncNormalInit  # noqa: PLC0415
        from ..models.truncated_normal_init import TruncatedNormalInit  # noqa: PLC0415
        from ..models.uniform_init import UniformInit  # noqa: PLC0415
        from ..models.variance_scaling import VarianceScaling  # noqa: PLC0415
        from ..models.wang_init import WangInit  # noqa: PLC0415
        from ..models.xavier_normal import XavierNormal  # noqa: PLC0415
        from ..models.xavier_uniform import XavierUniform  # noqa: PLC0415
        from ..models.zer_o_init import ZerOInit  # noqa: PLC0415
        from ..models.zero_init_residual import ZeroInitResidual  # noqa: PLC0415
        from ..models.zeros import Zeros  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_seed(data: object) -> int | str:
            return cast(int | str, data)

        seed = _parse_seed(d.pop("seed"))

        _activation = d.pop("activation", UNSET)
        activation: PropagationRequestActivation | Unset
        if isinstance(_activation, Unset):
            activation = UNSET
        else:
            activation = PropagationRequestActivation(_activation)

        band = cast(list[float], d.pop("band", UNSET))

        batch = d.pop("batch", UNSET)

        bias = d.pop("bias", UNSET)

        def _parse_depth(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        depth = _parse_depth(d.pop("depth", UNSET))

        _dtype = d.pop("dtype", UNSET)
        dtype: PropagationRequestDtype | Unset
        if isinstance(_dtype, Unset):
            dtype = UNSET
        else:
            dtype = PropagationRequestDtype(_dtype)

        groups = d.pop("groups", UNSET)

        def _parse_init(data: object) -> None | PropagationRequestInitType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_0 = PropagationRequestInitType0.from_dict(data)

                return init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PropagationRequestInitType0 | Unset, data)

        init = _parse_init(d.pop("init", UNSET))

        def _parse_input_(
            data: object,
        ) -> (
            ConstantInit
            | DeepNetInit
            | DeltaOrthogonalInit
            | DiracInit
            | EyeInit
            | FanInUniform
            | FixupInit
            | IRNNInit
            | KaimingNormal
            | KaimingUniform
            | LecunNormal
            | LecunUniform
            | LSTMForgetBias
            | MupInit
            | NormalInit
            | Ones
            | OrthogonalInit
            | ScaledResidual
            | SeluInit
            | SmallInit
            | SparseInit
            | TFixupEmbedding
            | TFixupInit
            | TruncatedNormalInit
            | TruncNormalInit
            | UniformInit
            | Unset
            | VarianceScaling
            | WangInit
            | XavierNormal
            | XavierUniform
            | ZerOInit
            | ZeroInitResidual
            | Zeros
        ):
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_0 = Zeros.from_dict(data)

                return input_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_1 = Ones.from_dict(data)

                return input_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_2 = ConstantInit.from_dict(data)

                return input_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_3 = UniformInit.from_dict(data)

                return input_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_4 = NormalInit.from_dict(data)

                return input_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_5 = TruncNormalInit.from_dict(data)

                return input_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_6 = TruncatedNormalInit.from_dict(data)

                return input_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_7 = VarianceScaling.from_dict(data)

                return input_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_8 = XavierUniform.from_dict(data)

                return input_type_8
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_9 = XavierNormal.from_dict(data)

                return input_type_9
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_10 = KaimingUniform.from_dict(data)

                return input_type_10
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_11 = KaimingNormal.from_dict(data)

                return input_type_11
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_12 = LecunUniform.from_dict(data)

                return input_type_12
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_13 = LecunNormal.from_dict(data)

                return input_type_13
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_14 = FanInUniform.from_dict(data)

                return input_type_14
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_15 = OrthogonalInit.from_dict(data)

                return input_type_15
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_16 = SparseInit.from_dict(data)

                return input_type_16
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_17 = EyeInit.from_dict(data)

                return input_type_17
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_18 = DiracInit.from_dict(data)

                return input_type_18
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_19 = DeltaOrthogonalInit.from_dict(data)

                return input_type_19
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_20 = ScaledResidual.from_dict(data)

                return input_type_20
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_21 = SmallInit.from_dict(data)

                return input_type_21
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_22 = WangInit.from_dict(data)

                return input_type_22
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_23 = DeepNetInit.from_dict(data)

                return input_type_23
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_24 = TFixupInit.from_dict(data)

                return input_type_24
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_25 = TFixupEmbedding.from_dict(data)

                return input_type_25
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_26 = FixupInit.from_dict(data)

                return input_type_26
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_27 = ZerOInit.from_dict(data)

                return input_type_27
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_28 = IRNNInit.from_dict(data)

                return input_type_28
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_29 = SeluInit.from_dict(data)

                return input_type_29
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_30 = ZeroInitResidual.from_dict(data)

                return input_type_30
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_31 = LSTMForgetBias.from_dict(data)

                return input_type_31
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            input_type_32 = MupInit.from_dict(data)

            return input_type_32

        input_ = _parse_input_(d.pop("input", UNSET))

        def _parse_input_size(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                input_size_type_0 = cast(list[int], data)

                return input_size_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        input_size = _parse_input_size(d.pop("input_size", UNSET))

        def _parse_kernel_size(data: object) -> int | list[int] | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                kernel_size_type_1 = cast(list[int], data)

                return kernel_size_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(int | list[int] | Unset, data)

        kernel_size = _parse_kernel_size(d.pop("kernel_size", UNSET))

        _layer = d.pop("layer", UNSET)
        layer: PropagationRequestLayer | Unset
        if isinstance(_layer, Unset):
            layer = UNSET
        else:
            layer = PropagationRequestLayer(_layer)

        negative_slope = d.pop("negative_slope", UNSET)

        def _parse_norm(data: object) -> None | PropagationRequestNormType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                norm_type_0 = PropagationRequestNormType0(data)

                return norm_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PropagationRequestNormType0 | Unset, data)

        norm = _parse_norm(d.pop("norm", UNSET))

        def _parse_norm_init(data: object) -> None | PropagationRequestNormInitType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                norm_init_type_0 = PropagationRequestNormInitType0.from_dict(data)

                return norm_init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PropagationRequestNormInitType0 | Unset, data)

        norm_init = _parse_norm_init(d.pop("norm_init", UNSET))

        def _parse_output_grad(
            data: object,
        ) -> (
            ConstantInit
            | DeepNetInit
            | DeltaOrthogonalInit
            | DiracInit
            | EyeInit
            | FanInUniform
            | FixupInit
            | IRNNInit
            | KaimingNormal
            | KaimingUniform
            | LecunNormal
            | LecunUniform
            | LSTMForgetBias
            | MupInit
            | NormalInit
            | Ones
            | OrthogonalInit
            | ScaledResidual
            | SeluInit
            | SmallInit
            | SparseInit
            | TFixupEmbedding
            | TFixupInit
            | TruncatedNormalInit
            | TruncNormalInit
            | UniformInit
            | Unset
            | VarianceScaling
            | WangInit
            | XavierNormal
            | XavierUniform
            | ZerOInit
            | ZeroInitResidual
            | Zeros
        ):
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_0 = Zeros.from_dict(data)

                return output_grad_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_1 = Ones.from_dict(data)

                return output_grad_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_2 = ConstantInit.from_dict(data)

                return output_grad_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_3 = UniformInit.from_dict(data)

                return output_grad_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_4 = NormalInit.from_dict(data)

                return output_grad_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_5 = TruncNormalInit.from_dict(data)

                return output_grad_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_6 = TruncatedNormalInit.from_dict(data)

                return output_grad_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_7 = VarianceScaling.from_dict(data)

                return output_grad_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_8 = XavierUniform.from_dict(data)

                return output_grad_type_8
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_9 = XavierNormal.from_dict(data)

                return output_grad_type_9
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_10 = KaimingUniform.from_dict(data)

                return output_grad_type_10
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_11 = KaimingNormal.from_dict(data)

                return output_grad_type_11
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_12 = LecunUniform.from_dict(data)

                return output_grad_type_12
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_13 = LecunNormal.from_dict(data)

                return output_grad_type_13
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_14 = FanInUniform.from_dict(data)

                return output_grad_type_14
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_15 = OrthogonalInit.from_dict(data)

                return output_grad_type_15
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_16 = SparseInit.from_dict(data)

                return output_grad_type_16
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_17 = EyeInit.from_dict(data)

                return output_grad_type_17
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_18 = DiracInit.from_dict(data)

                return output_grad_type_18
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_19 = DeltaOrthogonalInit.from_dict(data)

                return output_grad_type_19
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_20 = ScaledResidual.from_dict(data)

                return output_grad_type_20
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_21 = SmallInit.from_dict(data)

                return output_grad_type_21
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_22 = WangInit.from_dict(data)

                return output_grad_type_22
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_23 = DeepNetInit.from_dict(data)

                return output_grad_type_23
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_24 = TFixupInit.from_dict(data)

                return output_grad_type_24
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_25 = TFixupEmbedding.from_dict(data)

                return output_grad_type_25
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_26 = FixupInit.from_dict(data)

                return output_grad_type_26
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_27 = ZerOInit.from_dict(data)

                return output_grad_type_27
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_28 = IRNNInit.from_dict(data)

                return output_grad_type_28
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_29 = SeluInit.from_dict(data)

                return output_grad_type_29
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_30 = ZeroInitResidual.from_dict(data)

                return output_grad_type_30
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_grad_type_31 = LSTMForgetBias.from_dict(data)

                return output_grad_type_31
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            output_grad_type_32 = MupInit.from_dict(data)

            return output_grad_type_32

        output_grad = _parse_output_grad(d.pop("output_grad", UNSET))

        _padding = d.pop("padding", UNSET)
        padding: PropagationRequestPadding | Unset
        if isinstance(_padding, Unset):
            padding = UNSET
        else:
            padding = PropagationRequestPadding(_padding)

        residual = d.pop("residual", UNSET)

        def _parse_width(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        width = _parse_width(d.pop("width", UNSET))

        def _parse_widths(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                widths_type_0 = cast(list[int], data)

                return widths_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        widths = _parse_widths(d.pop("widths", UNSET))

        propagation_request = cls(
            seed=seed,
            activation=activation,
            band=band,
            batch=batch,
            bias=bias,
            depth=depth,
            dtype=dtype,
            groups=groups,
            init=init,
            input_=input_,
            input_size=input_size,
            kernel_size=kernel_size,
            layer=layer,
            negative_slope=negative_slope,
            norm=norm,
            norm_init=norm_init,
            output_grad=output_grad,
            padding=padding,
            residual=residual,
            width=width,
            widths=widths,
        )

        return propagation_request

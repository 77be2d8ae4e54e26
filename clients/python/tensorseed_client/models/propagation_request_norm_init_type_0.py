from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

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


T = TypeVar("T", bound="PropagationRequestNormInitType0")


@_attrs_define
class PropagationRequestNormInitType0:
    additional_properties: dict[
        str,
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
        | VarianceScaling
        | WangInit
        | XavierNormal
        | XavierUniform
        | ZerOInit
        | ZeroInitResidual
        | Zeros,
    ] = _attrs_field(init=False, factory=dict)

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

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            if isinstance(prop, Zeros):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, Ones):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, ConstantInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, UniformInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, NormalInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, TruncNormalInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, TruncatedNormalInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, VarianceScaling):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, XavierUniform):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, XavierNormal):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, KaimingUniform):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, KaimingNormal):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, LecunUniform):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, LecunNormal):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, FanInUniform):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, OrthogonalInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, SparseInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, EyeInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, DiracInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, DeltaOrthogonalInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, ScaledResidual):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, SmallInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, WangInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, DeepNetInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, TFixupInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, TFixupEmbedding):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, FixupInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, ZerOInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, IRNNInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, SeluInit):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, ZeroInitResidual):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, LSTMForgetBias):
                field_dict[prop_name] = prop.to_dict()
            else:
                field_dict[prop_name] = prop.to_dict()

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
        propagation_request_norm_init_type_0 = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():

            def _parse_additional_property(
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
                | VarianceScaling
                | WangInit
                | XavierNormal
                | XavierUniform
                | ZerOInit
                | ZeroInitResidual
                | Zeros
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_0 = Zeros.from_dict(data)

                    return additional_property_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_1 = Ones.from_dict(data)

                    return additional_property_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_2 = ConstantInit.from_dict(data)

                    return additional_property_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_3 = UniformInit.from_dict(data)

                    return additional_property_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_4 = NormalInit.from_dict(data)

                    return additional_property_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_5 = TruncNormalInit.from_dict(data)

                    return additional_property_type_5
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_6 = TruncatedNormalInit.from_dict(data)

                    return additional_property_type_6
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_7 = VarianceScaling.from_dict(data)

                    return additional_property_type_7
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_8 = XavierUniform.from_dict(data)

                    return additional_property_type_8
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_9 = XavierNormal.from_dict(data)

                    return additional_property_type_9
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_10 = KaimingUniform.from_dict(data)

                    return additional_property_type_10
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_11 = KaimingNormal.from_dict(data)

                    return additional_property_type_11
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_12 = LecunUniform.from_dict(data)

                    return additional_property_type_12
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_13 = LecunNormal.from_dict(data)

                    return additional_property_type_13
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_14 = FanInUniform.from_dict(data)

                    return additional_property_type_14
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_15 = OrthogonalInit.from_dict(data)

                    return additional_property_type_15
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_16 = SparseInit.from_dict(data)

                    return additional_property_type_16
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_17 = EyeInit.from_dict(data)

                    return additional_property_type_17
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_18 = DiracInit.from_dict(data)

                    return additional_property_type_18
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_19 = DeltaOrthogonalInit.from_dict(data)

                    return additional_property_type_19
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_20 = ScaledResidual.from_dict(data)

                    return additional_property_type_20
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_21 = SmallInit.from_dict(data)

                    return additional_property_type_21
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_22 = WangInit.from_dict(data)

                    return additional_property_type_22
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_23 = DeepNetInit.from_dict(data)

                    return additional_property_type_23
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_24 = TFixupInit.from_dict(data)

                    return additional_property_type_24
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_25 = TFixupEmbedding.from_dict(data)

                    return additional_property_type_25
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_26 = FixupInit.from_dict(data)

                    return additional_property_type_26
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_27 = ZerOInit.from_dict(data)

                    return additional_property_type_27
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_28 = IRNNInit.from_dict(data)

                    return additional_property_type_28
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_29 = SeluInit.from_dict(data)

                    return additional_property_type_29
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_30 = ZeroInitResidual.from_dict(data)

                    return additional_property_type_30
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_31 = LSTMForgetBias.from_dict(data)

                    return additional_property_type_31
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                additional_property_type_32 = MupInit.from_dict(data)

                return additional_property_type_32

            additional_property = _parse_additional_property(prop_dict)

            additional_properties[prop_name] = additional_property

        propagation_request_norm_init_type_0.additional_properties = additional_properties
        return propagation_request_norm_init_type_0

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(
        self, key: str
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
        | VarianceScaling
        | WangInit
        | XavierNormal
        | XavierUniform
        | ZerOInit
        | ZeroInitResidual
        | Zeros
    ):
        return self.additional_properties[key]

    def __setitem__(
        self,
        key: str,
        value: ConstantInit
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
        | VarianceScaling
        | WangInit
        | XavierNormal
        | XavierUniform
        | ZerOInit
        | ZeroInitResidual
        | Zeros,
    ) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

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


T = TypeVar("T", bound="PresetOverride")


@_attrs_define
class PresetOverride:
    """Replace the init of every preset tensor whose name matches the glob ``match``.

    Attributes:
        init (ConstantInit | DeepNetInit | DeltaOrthogonalInit | DiracInit | EyeInit | FanInUniform | FixupInit |
            IRNNInit | KaimingNormal | KaimingUniform | LecunNormal | LecunUniform | LSTMForgetBias | MupInit | NormalInit |
            Ones | OrthogonalInit | ScaledResidual | SeluInit | SmallInit | SparseInit | TFixupEmbedding | TFixupInit |
            TruncatedNormalInit | TruncNormalInit | UniformInit | VarianceScaling | WangInit | XavierNormal | XavierUniform
            | ZerOInit | ZeroInitResidual | Zeros):
        match (str):
    """

    init: (
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
    )
    match: str

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

        init: dict[str, Any]
        if isinstance(self.init, Zeros):
            init = self.init.to_dict()
        elif isinstance(self.init, Ones):
            init = self.init.to_dict()
        elif isinstance(self.init, ConstantInit):
            init = self.init.to_dict()
        elif isinstance(self.init, UniformInit):
            init = self.init.to_dict()
        elif isinstance(self.init, NormalInit):
            init = self.init.to_dict()
        elif isinstance(self.init, TruncNormalInit):
            init = self.init.to_dict()
        elif isinstance(self.init, TruncatedNormalInit):
            init = self.init.to_dict()
        elif isinstance(self.init, VarianceScaling):
            init = self.init.to_dict()
        elif isinstance(self.init, XavierUniform):
            init = self.init.to_dict()
        elif isinstance(self.init, XavierNormal):
            init = self.init.to_dict()
        elif isinstance(self.init, KaimingUniform):
            init = self.init.to_dict()
        elif isinstance(self.init, KaimingNormal):
            init = self.init.to_dict()
        elif isinstance(self.init, LecunUniform):
            init = self.init.to_dict()
        elif isinstance(self.init, LecunNormal):
            init = self.init.to_dict()
        elif isinstance(self.init, FanInUniform):
            init = self.init.to_dict()
        elif isinstance(self.init, OrthogonalInit):
            init = self.init.to_dict()
        elif isinstance(self.init, SparseInit):
            init = self.init.to_dict()
        elif isinstance(self.init, EyeInit):
            init = self.init.to_dict()
        elif isinstance(self.init, DiracInit):
            init = self.init.to_dict()
        elif isinstance(self.init, DeltaOrthogonalInit):
            init = self.init.to_dict()
        elif isinstance(self.init, ScaledResidual):
            init = self.init.to_dict()
        elif isinstance(self.init, SmallInit):
            init = self.init.to_dict()
        elif isinstance(self.init, WangInit):
            init = self.init.to_dict()
        elif isinstance(self.init, DeepNetInit):
            init = self.init.to_dict()
        elif isinstance(self.init, TFixupInit):
            init = self.init.to_dict()
        elif isinstance(self.init, TFixupEmbedding):
            init = self.init.to_dict()
        elif isinstance(self.init, FixupInit):
            init = self.init.to_dict()
        elif isinstance(self.init, ZerOInit):
            init = self.init.to_dict()
        elif isinstance(self.init, IRNNInit):
            init = self.init.to_dict()
        elif isinstance(self.init, SeluInit):
            init = self.init.to_dict()
        elif isinstance(self.init, ZeroInitResidual):
            init = self.init.to_dict()
        elif isinstance(self.init, LSTMForgetBias):
            init = self.init.to_dict()
        else:
            init = self.init.to_dict()

        match = self.match

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "init": init,
                "match": match,
            }
        )

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

        def _parse_init(
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
                init_type_0 = Zeros.from_dict(data)

                return init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_1 = Ones.from_dict(data)

                return init_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_2 = ConstantInit.from_dict(data)

                return init_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_3 = UniformInit.from_dict(data)

                return init_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_4 = NormalInit.from_dict(data)

                return init_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_5 = TruncNormalInit.from_dict(data)

                return init_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_6 = TruncatedNormalInit.from_dict(data)

                return init_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_7 = VarianceScaling.from_dict(data)

                return init_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_8 = XavierUniform.from_dict(data)

                return init_type_8
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_9 = XavierNormal.from_dict(data)

                return init_type_9
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_10 = KaimingUniform.from_dict(data)

                return init_type_10
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_11 = KaimingNormal.from_dict(data)

                return init_type_11
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_12 = LecunUniform.from_dict(data)

                return init_type_12
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_13 = LecunNormal.from_dict(data)

                return init_type_13
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_14 = FanInUniform.from_dict(data)

                return init_type_14
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_15 = OrthogonalInit.from_dict(data)

                return init_type_15
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_16 = SparseInit.from_dict(data)

                return init_type_16
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_17 = EyeInit.from_dict(data)

                return init_type_17
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_18 = DiracInit.from_dict(data)

                return init_type_18
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_19 = DeltaOrthogonalInit.from_dict(data)

                return init_type_19
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_20 = ScaledResidual.from_dict(data)

                return init_type_20
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_21 = SmallInit.from_dict(data)

                return init_type_21
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_22 = WangInit.from_dict(data)

                return init_type_22
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_23 = DeepNetInit.from_dict(data)

                return init_type_23
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_24 = TFixupInit.from_dict(data)

                return init_type_24
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_25 = TFixupEmbedding.from_dict(data)

                return init_type_25
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_26 = FixupInit.from_dict(data)

                return init_type_26
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_27 = ZerOInit.from_dict(data)

                return init_type_27
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_28 = IRNNInit.from_dict(data)

                return init_type_28
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_29 = SeluInit.from_dict(data)

                return init_type_29
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_30 = ZeroInitResidual.from_dict(data)

                return init_type_30
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_31 = LSTMForgetBias.from_dict(data)

                return init_type_31
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            init_type_32 = MupInit.from_dict(data)

            return init_type_32

        init = _parse_init(d.pop("init"))

        match = d.pop("match")

        preset_override = cls(
            init=init,
            match=match,
        )

        return preset_override

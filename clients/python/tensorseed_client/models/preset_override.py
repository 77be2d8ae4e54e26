from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.constant_init import ConstantInit
    from ..models.fan_in_uniform import FanInUniform
    from ..models.kaiming_normal import KaimingNormal
    from ..models.kaiming_uniform import KaimingUniform
    from ..models.normal_init import NormalInit
    from ..models.ones import Ones
    from ..models.trunc_normal_init import TruncNormalInit
    from ..models.uniform_init import UniformInit
    from ..models.xavier_normal import XavierNormal
    from ..models.xavier_uniform import XavierUniform
    from ..models.zeros import Zeros


T = TypeVar("T", bound="PresetOverride")


@_attrs_define
class PresetOverride:
    """Replace the init of every preset tensor whose name matches the glob ``match``.

    Attributes:
        init (ConstantInit | FanInUniform | KaimingNormal | KaimingUniform | NormalInit | Ones | TruncNormalInit |
            UniformInit | XavierNormal | XavierUniform | Zeros):
        match (str):
    """

    init: (
        ConstantInit
        | FanInUniform
        | KaimingNormal
        | KaimingUniform
        | NormalInit
        | Ones
        | TruncNormalInit
        | UniformInit
        | XavierNormal
        | XavierUniform
        | Zeros
    )
    match: str

    def to_dict(self) -> dict[str, Any]:
        from ..models.constant_init import ConstantInit  # noqa: PLC0415
        from ..models.kaiming_normal import KaimingNormal  # noqa: PLC0415
        from ..models.kaiming_uniform import KaimingUniform  # noqa: PLC0415
        from ..models.normal_init import NormalInit  # noqa: PLC0415
        from ..models.ones import Ones  # noqa: PLC0415
        from ..models.trunc_normal_init import TruncNormalInit  # noqa: PLC0415
        from ..models.uniform_init import UniformInit  # noqa: PLC0415
        from ..models.xavier_normal import XavierNormal  # noqa: PLC0415
        from ..models.xavier_uniform import XavierUniform  # noqa: PLC0415
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
        elif isinstance(self.init, XavierUniform):
            init = self.init.to_dict()
        elif isinstance(self.init, XavierNormal):
            init = self.init.to_dict()
        elif isinstance(self.init, KaimingUniform):
            init = self.init.to_dict()
        elif isinstance(self.init, KaimingNormal):
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
        from ..models.fan_in_uniform import FanInUniform  # noqa: PLC0415
        from ..models.kaiming_normal import KaimingNormal  # noqa: PLC0415
        from ..models.kaiming_uniform import KaimingUniform  # noqa: PLC0415
        from ..models.normal_init import NormalInit  # noqa: PLC0415
        from ..models.ones import Ones  # noqa: PLC0415
        from ..models.trunc_normal_init import TruncNormalInit  # noqa: PLC0415
        from ..models.uniform_init import UniformInit  # noqa: PLC0415
        from ..models.xavier_normal import XavierNormal  # noqa: PLC0415
        from ..models.xavier_uniform import XavierUniform  # noqa: PLC0415
        from ..models.zeros import Zeros  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_init(
            data: object,
        ) -> (
            ConstantInit
            | FanInUniform
            | KaimingNormal
            | KaimingUniform
            | NormalInit
            | Ones
            | TruncNormalInit
            | UniformInit
            | XavierNormal
            | XavierUniform
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
                init_type_6 = XavierUniform.from_dict(data)

                return init_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_7 = XavierNormal.from_dict(data)

                return init_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_8 = KaimingUniform.from_dict(data)

                return init_type_8
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_9 = KaimingNormal.from_dict(data)

                return init_type_9
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            init_type_10 = FanInUniform.from_dict(data)

            return init_type_10

        init = _parse_init(d.pop("init"))

        match = d.pop("match")

        preset_override = cls(
            init=init,
            match=match,
        )

        return preset_override

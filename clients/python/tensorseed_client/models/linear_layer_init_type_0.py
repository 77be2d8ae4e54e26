from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

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


T = TypeVar("T", bound="LinearLayerInitType0")


@_attrs_define
class LinearLayerInitType0:
    additional_properties: dict[
        str,
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
        | Zeros,
    ] = _attrs_field(init=False, factory=dict)

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
            elif isinstance(prop, XavierUniform):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, XavierNormal):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, KaimingUniform):
                field_dict[prop_name] = prop.to_dict()
            elif isinstance(prop, KaimingNormal):
                field_dict[prop_name] = prop.to_dict()
            else:
                field_dict[prop_name] = prop.to_dict()

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
        linear_layer_init_type_0 = cls()

        additional_properties = {}
        for prop_name, prop_dict in d.items():

            def _parse_additional_property(
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
                    additional_property_type_6 = XavierUniform.from_dict(data)

                    return additional_property_type_6
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_7 = XavierNormal.from_dict(data)

                    return additional_property_type_7
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_8 = KaimingUniform.from_dict(data)

                    return additional_property_type_8
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    additional_property_type_9 = KaimingNormal.from_dict(data)

                    return additional_property_type_9
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                additional_property_type_10 = FanInUniform.from_dict(data)

                return additional_property_type_10

            additional_property = _parse_additional_property(prop_dict)

            additional_properties[prop_name] = additional_property

        linear_layer_init_type_0.additional_properties = additional_properties
        return linear_layer_init_type_0

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(
        self, key: str
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
        return self.additional_properties[key]

    def __setitem__(
        self,
        key: str,
        value: ConstantInit
        | FanInUniform
        | KaimingNormal
        | KaimingUniform
        | NormalInit
        | Ones
        | TruncNormalInit
        | UniformInit
        | XavierNormal
        | XavierUniform
        | Zeros,
    ) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

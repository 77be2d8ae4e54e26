from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.layer_parameter_default import LayerParameterDefault


T = TypeVar("T", bound="LayerParameter")


@_attrs_define
class LayerParameter:
    """
    Attributes:
        default (LayerParameterDefault): The default init spec, as a recipe would write it.
        dtype (None | str): Fixed dtype (torch's int64 buffers, Flax's float32 batch_stats); null means the recipe's
            dtype.
        fan_in (int | None):
        fan_out (int | None):
        name (str):
        shape (list[int]):
    """

    default: LayerParameterDefault
    dtype: None | str
    fan_in: int | None
    fan_out: int | None
    name: str
    shape: list[int]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default = self.default.to_dict()

        dtype: None | str
        dtype = self.dtype

        fan_in: int | None
        fan_in = self.fan_in

        fan_out: int | None
        fan_out = self.fan_out

        name = self.name

        shape = self.shape

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default": default,
                "dtype": dtype,
                "fan_in": fan_in,
                "fan_out": fan_out,
                "name": name,
                "shape": shape,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.layer_parameter_default import LayerParameterDefault  # noqa: PLC0415

        d = dict(src_dict)
        default = LayerParameterDefault.from_dict(d.pop("default"))

        def _parse_dtype(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        dtype = _parse_dtype(d.pop("dtype"))

        def _parse_fan_in(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        fan_in = _parse_fan_in(d.pop("fan_in"))

        def _parse_fan_out(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        fan_out = _parse_fan_out(d.pop("fan_out"))

        name = d.pop("name")

        shape = cast(list[int], d.pop("shape"))

        layer_parameter = cls(
            default=default,
            dtype=dtype,
            fan_in=fan_in,
            fan_out=fan_out,
            name=name,
            shape=shape,
        )

        layer_parameter.additional_properties = d
        return layer_parameter

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

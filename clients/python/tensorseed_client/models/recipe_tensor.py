from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RecipeTensor")


@_attrs_define
class RecipeTensor:
    """
    Attributes:
        begin (int): Offset of the tensor's first byte in the file.
        dtype (str): safetensors dtype code: F32, F64, F16 or BF16.
        end (int): Offset one past the tensor's last byte in the file.
        name (str):
        shape (list[int]):
    """

    begin: int
    dtype: str
    end: int
    name: str
    shape: list[int]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        begin = self.begin

        dtype = self.dtype

        end = self.end

        name = self.name

        shape = self.shape

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "begin": begin,
                "dtype": dtype,
                "end": end,
                "name": name,
                "shape": shape,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        begin = d.pop("begin")

        dtype = d.pop("dtype")

        end = d.pop("end")

        name = d.pop("name")

        shape = cast(list[int], d.pop("shape"))

        recipe_tensor = cls(
            begin=begin,
            dtype=dtype,
            end=end,
            name=name,
            shape=shape,
        )

        recipe_tensor.additional_properties = d
        return recipe_tensor

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

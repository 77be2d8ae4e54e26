from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="ConstantInit")


@_attrs_define
class ConstantInit:
    """
    Attributes:
        scheme (Literal['constant']):
        value (float):
    """

    scheme: Literal["constant"]
    value: float

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["constant"], d.pop("scheme"))
        if scheme != "constant":
            raise ValueError(f"scheme must match const 'constant', got '{scheme}'")

        value = d.pop("value")

        constant_init = cls(
            scheme=scheme,
            value=value,
        )

        return constant_init

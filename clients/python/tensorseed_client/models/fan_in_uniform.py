from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="FanInUniform")


@_attrs_define
class FanInUniform:
    """U(-1/sqrt(n), 1/sqrt(n)), n = fan_in: "start your weights in [-y, y], y = 1/sqrt(n)".

    Attributes:
        scheme (Literal['fan_in_uniform']):
    """

    scheme: Literal["fan_in_uniform"]

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["fan_in_uniform"], d.pop("scheme"))
        if scheme != "fan_in_uniform":
            raise ValueError(f"scheme must match const 'fan_in_uniform', got '{scheme}'")

        fan_in_uniform = cls(
            scheme=scheme,
        )

        return fan_in_uniform

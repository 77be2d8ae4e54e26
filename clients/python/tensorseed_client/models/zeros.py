from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="Zeros")


@_attrs_define
class Zeros:
    """
    Attributes:
        scheme (Literal['zeros']):
    """

    scheme: Literal["zeros"]

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
        scheme = cast(Literal["zeros"], d.pop("scheme"))
        if scheme != "zeros":
            raise ValueError(f"scheme must match const 'zeros', got '{scheme}'")

        zeros = cls(
            scheme=scheme,
        )

        return zeros

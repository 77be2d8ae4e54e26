from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="XavierNormal")


@_attrs_define
class XavierNormal:
    """
    Attributes:
        scheme (Literal['xavier_normal']):
        gain (float | Unset):  Default: 1.0.
    """

    scheme: Literal["xavier_normal"]
    gain: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        gain = self.gain

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
            }
        )
        if gain is not UNSET:
            field_dict["gain"] = gain

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["xavier_normal"], d.pop("scheme"))
        if scheme != "xavier_normal":
            raise ValueError(f"scheme must match const 'xavier_normal', got '{scheme}'")

        gain = d.pop("gain", UNSET)

        xavier_normal = cls(
            scheme=scheme,
            gain=gain,
        )

        return xavier_normal

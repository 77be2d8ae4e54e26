from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="XavierUniform")


@_attrs_define
class XavierUniform:
    """
    Attributes:
        scheme (Literal['xavier_uniform']):
        gain (float | Unset):  Default: 1.0.
    """

    scheme: Literal["xavier_uniform"]
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
        scheme = cast(Literal["xavier_uniform"], d.pop("scheme"))
        if scheme != "xavier_uniform":
            raise ValueError(f"scheme must match const 'xavier_uniform', got '{scheme}'")

        gain = d.pop("gain", UNSET)

        xavier_uniform = cls(
            scheme=scheme,
            gain=gain,
        )

        return xavier_uniform

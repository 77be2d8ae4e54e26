from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TruncNormalInit")


@_attrs_define
class TruncNormalInit:
    """
    Attributes:
        scheme (Literal['trunc_normal']):
        a (float | Unset):  Default: -2.0.
        b (float | Unset):  Default: 2.0.
        mean (float | Unset):  Default: 0.0.
        std (float | Unset):  Default: 1.0.
    """

    scheme: Literal["trunc_normal"]
    a: float | Unset = -2.0
    b: float | Unset = 2.0
    mean: float | Unset = 0.0
    std: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        a = self.a

        b = self.b

        mean = self.mean

        std = self.std

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
            }
        )
        if a is not UNSET:
            field_dict["a"] = a
        if b is not UNSET:
            field_dict["b"] = b
        if mean is not UNSET:
            field_dict["mean"] = mean
        if std is not UNSET:
            field_dict["std"] = std

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["trunc_normal"], d.pop("scheme"))
        if scheme != "trunc_normal":
            raise ValueError(f"scheme must match const 'trunc_normal', got '{scheme}'")

        a = d.pop("a", UNSET)

        b = d.pop("b", UNSET)

        mean = d.pop("mean", UNSET)

        std = d.pop("std", UNSET)

        trunc_normal_init = cls(
            scheme=scheme,
            a=a,
            b=b,
            mean=mean,
            std=std,
        )

        return trunc_normal_init

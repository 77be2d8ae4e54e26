from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="NormalInit")


@_attrs_define
class NormalInit:
    """
    Attributes:
        scheme (Literal['normal']):
        mean (float | Unset):  Default: 0.0.
        std (float | Unset):  Default: 1.0.
    """

    scheme: Literal["normal"]
    mean: float | Unset = 0.0
    std: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        mean = self.mean

        std = self.std

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
            }
        )
        if mean is not UNSET:
            field_dict["mean"] = mean
        if std is not UNSET:
            field_dict["std"] = std

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["normal"], d.pop("scheme"))
        if scheme != "normal":
            raise ValueError(f"scheme must match const 'normal', got '{scheme}'")

        mean = d.pop("mean", UNSET)

        std = d.pop("std", UNSET)

        normal_init = cls(
            scheme=scheme,
            mean=mean,
            std=std,
        )

        return normal_init

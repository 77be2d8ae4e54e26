from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UniformInit")


@_attrs_define
class UniformInit:
    """
    Attributes:
        scheme (Literal['uniform']):
        a (float | Unset):  Default: 0.0.
        b (float | Unset):  Default: 1.0.
    """

    scheme: Literal["uniform"]
    a: float | Unset = 0.0
    b: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        a = self.a

        b = self.b

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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["uniform"], d.pop("scheme"))
        if scheme != "uniform":
            raise ValueError(f"scheme must match const 'uniform', got '{scheme}'")

        a = d.pop("a", UNSET)

        b = d.pop("b", UNSET)

        uniform_init = cls(
            scheme=scheme,
            a=a,
            b=b,
        )

        return uniform_init

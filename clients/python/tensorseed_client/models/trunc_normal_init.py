from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.trunc_normal_init_convention_type_0 import TruncNormalInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="TruncNormalInit")


@_attrs_define
class TruncNormalInit:
    """
    Attributes:
        scheme (Literal['trunc_normal']):
        a (float | Unset):  Default: -2.0.
        b (float | Unset):  Default: 2.0.
        convention (None | TruncNormalInitConventionType0 | Unset): Whose meaning the scheme name has (torch, keras, jax
            = flax); inherited from the layer or recipe when absent.
        mean (float | Unset):  Default: 0.0.
        std (float | Unset):  Default: 1.0.
    """

    scheme: Literal["trunc_normal"]
    a: float | Unset = -2.0
    b: float | Unset = 2.0
    convention: None | TruncNormalInitConventionType0 | Unset = UNSET
    mean: float | Unset = 0.0
    std: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        a = self.a

        b = self.b

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, TruncNormalInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

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
        if convention is not UNSET:
            field_dict["convention"] = convention
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

        def _parse_convention(data: object) -> None | TruncNormalInitConventionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = TruncNormalInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TruncNormalInitConventionType0 | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        mean = d.pop("mean", UNSET)

        std = d.pop("std", UNSET)

        trunc_normal_init = cls(
            scheme=scheme,
            a=a,
            b=b,
            convention=convention,
            mean=mean,
            std=std,
        )

        return trunc_normal_init

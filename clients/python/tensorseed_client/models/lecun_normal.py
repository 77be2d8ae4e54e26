from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.lecun_normal_convention_type_0 import LecunNormalConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="LecunNormal")


@_attrs_define
class LecunNormal:
    """
    Attributes:
        scheme (Literal['lecun_normal']):
        convention (LecunNormalConventionType0 | None | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
    """

    scheme: Literal["lecun_normal"]
    convention: LecunNormalConventionType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, LecunNormalConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["lecun_normal"], d.pop("scheme"))
        if scheme != "lecun_normal":
            raise ValueError(f"scheme must match const 'lecun_normal', got '{scheme}'")

        def _parse_convention(data: object) -> LecunNormalConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = LecunNormalConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LecunNormalConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        lecun_normal = cls(
            scheme=scheme,
            convention=convention,
        )

        return lecun_normal

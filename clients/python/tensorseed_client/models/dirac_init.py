from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.dirac_init_convention_type_0 import DiracInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="DiracInit")


@_attrs_define
class DiracInit:
    """
    Attributes:
        scheme (Literal['dirac']):
        convention (DiracInitConventionType0 | None | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
        groups (int | Unset):  Default: 1.
    """

    scheme: Literal["dirac"]
    convention: DiracInitConventionType0 | None | Unset = UNSET
    groups: int | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, DiracInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        groups = self.groups

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention
        if groups is not UNSET:
            field_dict["groups"] = groups

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["dirac"], d.pop("scheme"))
        if scheme != "dirac":
            raise ValueError(f"scheme must match const 'dirac', got '{scheme}'")

        def _parse_convention(data: object) -> DiracInitConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = DiracInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DiracInitConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        groups = d.pop("groups", UNSET)

        dirac_init = cls(
            scheme=scheme,
            convention=convention,
            groups=groups,
        )

        return dirac_init

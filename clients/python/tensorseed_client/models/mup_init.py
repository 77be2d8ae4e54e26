from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.mup_init_convention_type_0 import MupInitConventionType0
from ..models.mup_init_role import MupInitRole
from ..types import UNSET, Unset

T = TypeVar("T", bound="MupInit")


@_attrs_define
class MupInit:
    """muP: N(0, std'^2), std' = std times the width multiplier of ``role`` against ``base_fan_in``.

    Attributes:
        base_fan_in (int):
        scheme (Literal['mup']):
        convention (MupInitConventionType0 | None | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
        role (MupInitRole | Unset):  Default: MupInitRole.HIDDEN.
        std (float | Unset):  Default: 1.0.
    """

    base_fan_in: int
    scheme: Literal["mup"]
    convention: MupInitConventionType0 | None | Unset = UNSET
    role: MupInitRole | Unset = MupInitRole.HIDDEN
    std: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        base_fan_in = self.base_fan_in

        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, MupInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        role: str | Unset = UNSET
        if not isinstance(self.role, Unset):
            role = self.role.value

        std = self.std

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "base_fan_in": base_fan_in,
                "scheme": scheme,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention
        if role is not UNSET:
            field_dict["role"] = role
        if std is not UNSET:
            field_dict["std"] = std

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        base_fan_in = d.pop("base_fan_in")

        scheme = cast(Literal["mup"], d.pop("scheme"))
        if scheme != "mup":
            raise ValueError(f"scheme must match const 'mup', got '{scheme}'")

        def _parse_convention(data: object) -> MupInitConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = MupInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MupInitConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        _role = d.pop("role", UNSET)
        role: MupInitRole | Unset
        if isinstance(_role, Unset):
            role = UNSET
        else:
            role = MupInitRole(_role)

        std = d.pop("std", UNSET)

        mup_init = cls(
            base_fan_in=base_fan_in,
            scheme=scheme,
            convention=convention,
            role=role,
            std=std,
        )

        return mup_init

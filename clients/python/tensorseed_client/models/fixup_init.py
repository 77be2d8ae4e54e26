from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.fixup_init_convention_type_0 import FixupInitConventionType0
from ..models.fixup_init_mode import FixupInitMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="FixupInit")


@_attrs_define
class FixupInit:
    """Fixup: He normal scaled by L^(-1/(2m-2)) inside residual branches.

    Attributes:
        n_branches (int):
        scheme (Literal['fixup']):
        convention (FixupInitConventionType0 | None | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
        m (int | Unset):  Default: 2.
        mode (FixupInitMode | Unset):  Default: FixupInitMode.FAN_OUT.
    """

    n_branches: int
    scheme: Literal["fixup"]
    convention: FixupInitConventionType0 | None | Unset = UNSET
    m: int | Unset = 2
    mode: FixupInitMode | Unset = FixupInitMode.FAN_OUT

    def to_dict(self) -> dict[str, Any]:
        n_branches = self.n_branches

        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, FixupInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        m = self.m

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "n_branches": n_branches,
                "scheme": scheme,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention
        if m is not UNSET:
            field_dict["m"] = m
        if mode is not UNSET:
            field_dict["mode"] = mode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        n_branches = d.pop("n_branches")

        scheme = cast(Literal["fixup"], d.pop("scheme"))
        if scheme != "fixup":
            raise ValueError(f"scheme must match const 'fixup', got '{scheme}'")

        def _parse_convention(data: object) -> FixupInitConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = FixupInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FixupInitConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        m = d.pop("m", UNSET)

        _mode = d.pop("mode", UNSET)
        mode: FixupInitMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = FixupInitMode(_mode)

        fixup_init = cls(
            n_branches=n_branches,
            scheme=scheme,
            convention=convention,
            m=m,
            mode=mode,
        )

        return fixup_init

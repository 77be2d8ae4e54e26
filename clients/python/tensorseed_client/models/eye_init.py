from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.eye_init_convention_type_0 import EyeInitConventionType0
from ..models.eye_init_scheme import EyeInitScheme
from ..types import UNSET, Unset

T = TypeVar("T", bound="EyeInit")


@_attrs_define
class EyeInit:
    """
    Attributes:
        scheme (EyeInitScheme):
        convention (EyeInitConventionType0 | None | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
        gain (float | Unset):  Default: 1.0.
    """

    scheme: EyeInitScheme
    convention: EyeInitConventionType0 | None | Unset = UNSET
    gain: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme.value

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, EyeInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        gain = self.gain

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention
        if gain is not UNSET:
            field_dict["gain"] = gain

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = EyeInitScheme(d.pop("scheme"))

        def _parse_convention(data: object) -> EyeInitConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = EyeInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EyeInitConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        gain = d.pop("gain", UNSET)

        eye_init = cls(
            scheme=scheme,
            convention=convention,
            gain=gain,
        )

        return eye_init

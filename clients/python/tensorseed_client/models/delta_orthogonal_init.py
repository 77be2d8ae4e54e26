from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.delta_orthogonal_init_convention_type_0 import DeltaOrthogonalInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="DeltaOrthogonalInit")


@_attrs_define
class DeltaOrthogonalInit:
    """
    Attributes:
        scheme (Literal['delta_orthogonal']):
        convention (DeltaOrthogonalInitConventionType0 | None | Unset): Whose meaning the scheme name has (torch, keras,
            jax = flax); inherited from the layer or recipe when absent.
        gain (float | Unset):  Default: 1.0.
    """

    scheme: Literal["delta_orthogonal"]
    convention: DeltaOrthogonalInitConventionType0 | None | Unset = UNSET
    gain: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, DeltaOrthogonalInitConventionType0):
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
        scheme = cast(Literal["delta_orthogonal"], d.pop("scheme"))
        if scheme != "delta_orthogonal":
            raise ValueError(f"scheme must match const 'delta_orthogonal', got '{scheme}'")

        def _parse_convention(data: object) -> DeltaOrthogonalInitConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = DeltaOrthogonalInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeltaOrthogonalInitConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        gain = d.pop("gain", UNSET)

        delta_orthogonal_init = cls(
            scheme=scheme,
            convention=convention,
            gain=gain,
        )

        return delta_orthogonal_init

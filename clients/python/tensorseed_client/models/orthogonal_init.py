from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.orthogonal_init_convention_type_0 import OrthogonalInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="OrthogonalInit")


@_attrs_define
class OrthogonalInit:
    """torch: rows of the (shape[0], rest) matrix; keras/jax: columns along ``column_axis``.

    Attributes:
        scheme (Literal['orthogonal']):
        column_axis (int | None | Unset):
        convention (None | OrthogonalInitConventionType0 | Unset): Whose meaning the scheme name has (torch, keras, jax
            = flax); inherited from the layer or recipe when absent.
        gain (float | Unset):  Default: 1.0.
    """

    scheme: Literal["orthogonal"]
    column_axis: int | None | Unset = UNSET
    convention: None | OrthogonalInitConventionType0 | Unset = UNSET
    gain: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        column_axis: int | None | Unset
        if isinstance(self.column_axis, Unset):
            column_axis = UNSET
        else:
            column_axis = self.column_axis

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, OrthogonalInitConventionType0):
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
        if column_axis is not UNSET:
            field_dict["column_axis"] = column_axis
        if convention is not UNSET:
            field_dict["convention"] = convention
        if gain is not UNSET:
            field_dict["gain"] = gain

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["orthogonal"], d.pop("scheme"))
        if scheme != "orthogonal":
            raise ValueError(f"scheme must match const 'orthogonal', got '{scheme}'")

        def _parse_column_axis(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        column_axis = _parse_column_axis(d.pop("column_axis", UNSET))

        def _parse_convention(data: object) -> None | OrthogonalInitConventionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = OrthogonalInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OrthogonalInitConventionType0 | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        gain = d.pop("gain", UNSET)

        orthogonal_init = cls(
            scheme=scheme,
            column_axis=column_axis,
            convention=convention,
            gain=gain,
        )

        return orthogonal_init

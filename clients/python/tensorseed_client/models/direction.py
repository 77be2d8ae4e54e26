from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Direction")


@_attrs_define
class Direction:
    """
    Attributes:
        left_band_at (int | None): First layer whose std ratio leaves the band (0: the input).
        per_layer_factor (float | None): Geometric mean change of the std per layer.
        state (str): stable, vanishing, exploding, or no_signal.
        expected_per_layer_factor (float | None | Unset):
    """

    left_band_at: int | None
    per_layer_factor: float | None
    state: str
    expected_per_layer_factor: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        left_band_at: int | None
        left_band_at = self.left_band_at

        per_layer_factor: float | None
        per_layer_factor = self.per_layer_factor

        state = self.state

        expected_per_layer_factor: float | None | Unset
        if isinstance(self.expected_per_layer_factor, Unset):
            expected_per_layer_factor = UNSET
        else:
            expected_per_layer_factor = self.expected_per_layer_factor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "left_band_at": left_band_at,
                "per_layer_factor": per_layer_factor,
                "state": state,
            }
        )
        if expected_per_layer_factor is not UNSET:
            field_dict["expected_per_layer_factor"] = expected_per_layer_factor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_left_band_at(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        left_band_at = _parse_left_band_at(d.pop("left_band_at"))

        def _parse_per_layer_factor(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        per_layer_factor = _parse_per_layer_factor(d.pop("per_layer_factor"))

        state = d.pop("state")

        def _parse_expected_per_layer_factor(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        expected_per_layer_factor = _parse_expected_per_layer_factor(d.pop("expected_per_layer_factor", UNSET))

        direction = cls(
            left_band_at=left_band_at,
            per_layer_factor=per_layer_factor,
            state=state,
            expected_per_layer_factor=expected_per_layer_factor,
        )

        direction.additional_properties = d
        return direction

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

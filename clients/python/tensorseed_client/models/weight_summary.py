from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WeightSummary")


@_attrs_define
class WeightSummary:
    """
    Attributes:
        expected_std (float | None):
        mean (float | None):
        scheme (str):
        std (float | None):
    """

    expected_std: float | None
    mean: float | None
    scheme: str
    std: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expected_std: float | None
        expected_std = self.expected_std

        mean: float | None
        mean = self.mean

        scheme = self.scheme

        std: float | None
        std = self.std

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expected_std": expected_std,
                "mean": mean,
                "scheme": scheme,
                "std": std,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_expected_std(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_std = _parse_expected_std(d.pop("expected_std"))

        def _parse_mean(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean = _parse_mean(d.pop("mean"))

        scheme = d.pop("scheme")

        def _parse_std(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        std = _parse_std(d.pop("std"))

        weight_summary = cls(
            expected_std=expected_std,
            mean=mean,
            scheme=scheme,
            std=std,
        )

        weight_summary.additional_properties = d
        return weight_summary

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

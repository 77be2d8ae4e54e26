from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.histogram import Histogram


T = TypeVar("T", bound="Summary")


@_attrs_define
class Summary:
    """Moments of every element of a batch; null once values overflowed float64.

    Attributes:
        finite (bool):
        histogram (Histogram | None): Over [min, max]; null with bins=0 or non-finite values.
        max_ (float | None):
        mean (float | None):
        min_ (float | None):
        std (float | None): Population standard deviation.
    """

    finite: bool
    histogram: Histogram | None
    max_: float | None
    mean: float | None
    min_: float | None
    std: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.histogram import Histogram  # noqa: PLC0415

        finite = self.finite

        histogram: dict[str, Any] | None
        if isinstance(self.histogram, Histogram):
            histogram = self.histogram.to_dict()
        else:
            histogram = self.histogram

        max_: float | None
        max_ = self.max_

        mean: float | None
        mean = self.mean

        min_: float | None
        min_ = self.min_

        std: float | None
        std = self.std

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "finite": finite,
                "histogram": histogram,
                "max": max_,
                "mean": mean,
                "min": min_,
                "std": std,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.histogram import Histogram  # noqa: PLC0415

        d = dict(src_dict)
        finite = d.pop("finite")

        def _parse_histogram(data: object) -> Histogram | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                histogram_type_0 = Histogram.from_dict(data)

                return histogram_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Histogram | None, data)

        histogram = _parse_histogram(d.pop("histogram"))

        def _parse_max_(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        max_ = _parse_max_(d.pop("max"))

        def _parse_mean(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        mean = _parse_mean(d.pop("mean"))

        def _parse_min_(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        min_ = _parse_min_(d.pop("min"))

        def _parse_std(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        std = _parse_std(d.pop("std"))

        summary = cls(
            finite=finite,
            histogram=histogram,
            max_=max_,
            mean=mean,
            min_=min_,
            std=std,
        )

        summary.additional_properties = d
        return summary

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

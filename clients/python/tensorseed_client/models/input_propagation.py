from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.summary import Summary


T = TypeVar("T", bound="InputPropagation")


@_attrs_define
class InputPropagation:
    """
    Attributes:
        expected_grad_std (float | None):
        expected_std (float | None):
        grad_std (float | None):
        summary (Summary): Moments of every element of a batch; null once values overflowed float64.
    """

    expected_grad_std: float | None
    expected_std: float | None
    grad_std: float | None
    summary: Summary
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expected_grad_std: float | None
        expected_grad_std = self.expected_grad_std

        expected_std: float | None
        expected_std = self.expected_std

        grad_std: float | None
        grad_std = self.grad_std

        summary = self.summary.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expected_grad_std": expected_grad_std,
                "expected_std": expected_std,
                "grad_std": grad_std,
                "summary": summary,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.summary import Summary  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_expected_grad_std(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_grad_std = _parse_expected_grad_std(d.pop("expected_grad_std"))

        def _parse_expected_std(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        expected_std = _parse_expected_std(d.pop("expected_std"))

        def _parse_grad_std(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        grad_std = _parse_grad_std(d.pop("grad_std"))

        summary = Summary.from_dict(d.pop("summary"))

        input_propagation = cls(
            expected_grad_std=expected_grad_std,
            expected_std=expected_std,
            grad_std=grad_std,
            summary=summary,
        )

        input_propagation.additional_properties = d
        return input_propagation

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.tensor_stats import TensorStats


T = TypeVar("T", bound="StatsResponse")


@_attrs_define
class StatsResponse:
    """
    Attributes:
        dtype (str):
        seed (str):
        spec_version (str):
        tensors (list[TensorStats]):
        total_elements (int):
    """

    dtype: str
    seed: str
    spec_version: str
    tensors: list[TensorStats]
    total_elements: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        dtype = self.dtype

        seed = self.seed

        spec_version = self.spec_version

        tensors = []
        for tensors_item_data in self.tensors:
            tensors_item = tensors_item_data.to_dict()
            tensors.append(tensors_item)

        total_elements = self.total_elements

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "dtype": dtype,
                "seed": seed,
                "spec_version": spec_version,
                "tensors": tensors,
                "total_elements": total_elements,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tensor_stats import TensorStats  # noqa: PLC0415

        d = dict(src_dict)
        dtype = d.pop("dtype")

        seed = d.pop("seed")

        spec_version = d.pop("spec_version")

        tensors = []
        _tensors = d.pop("tensors")
        for tensors_item_data in _tensors:
            tensors_item = TensorStats.from_dict(tensors_item_data)

            tensors.append(tensors_item)

        total_elements = d.pop("total_elements")

        stats_response = cls(
            dtype=dtype,
            seed=seed,
            spec_version=spec_version,
            tensors=tensors,
            total_elements=total_elements,
        )

        stats_response.additional_properties = d
        return stats_response

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

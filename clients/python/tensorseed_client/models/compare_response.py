from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.network_description import NetworkDescription
    from ..models.scheme_result import SchemeResult


T = TypeVar("T", bound="CompareResponse")


@_attrs_define
class CompareResponse:
    """
    Attributes:
        network (NetworkDescription):
        results (list[SchemeResult]):
        seed (str):
        spec_version (str):
    """

    network: NetworkDescription
    results: list[SchemeResult]
    seed: str
    spec_version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        network = self.network.to_dict()

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        seed = self.seed

        spec_version = self.spec_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "network": network,
                "results": results,
                "seed": seed,
                "spec_version": spec_version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.network_description import NetworkDescription  # noqa: PLC0415
        from ..models.scheme_result import SchemeResult  # noqa: PLC0415

        d = dict(src_dict)
        network = NetworkDescription.from_dict(d.pop("network"))

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = SchemeResult.from_dict(results_item_data)

            results.append(results_item)

        seed = d.pop("seed")

        spec_version = d.pop("spec_version")

        compare_response = cls(
            network=network,
            results=results,
            seed=seed,
            spec_version=spec_version,
        )

        compare_response.additional_properties = d
        return compare_response

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.spec_entry import SpecEntry


T = TypeVar("T", bound="SpecsResponse")


@_attrs_define
class SpecsResponse:
    """The stream versions this service generates.

    Attributes:
        default (str): The version of a recipe without a 'spec' field.
        document (str): Where the specification of every version is written.
        versions (list[SpecEntry]): Every version served, oldest first.
    """

    default: str
    document: str
    versions: list[SpecEntry]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        default = self.default

        document = self.document

        versions = []
        for versions_item_data in self.versions:
            versions_item = versions_item_data.to_dict()
            versions.append(versions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default": default,
                "document": document,
                "versions": versions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.spec_entry import SpecEntry  # noqa: PLC0415

        d = dict(src_dict)
        default = d.pop("default")

        document = d.pop("document")

        versions = []
        _versions = d.pop("versions")
        for versions_item_data in _versions:
            versions_item = SpecEntry.from_dict(versions_item_data)

            versions.append(versions_item)

        specs_response = cls(
            default=default,
            document=document,
            versions=versions,
        )

        specs_response.additional_properties = d
        return specs_response

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

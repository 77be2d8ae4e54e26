from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SpecEntry")


@_attrs_define
class SpecEntry:
    """
    Attributes:
        name (str): The version string, e.g. 'tensorseed-stream/2'.
        summary (str):
        token_prefix (str): What tokens of this version start with, e.g. '2.'.
    """

    name: str
    summary: str
    token_prefix: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        summary = self.summary

        token_prefix = self.token_prefix

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "summary": summary,
                "token_prefix": token_prefix,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        summary = d.pop("summary")

        token_prefix = d.pop("token_prefix")

        spec_entry = cls(
            name=name,
            summary=summary,
            token_prefix=token_prefix,
        )

        spec_entry.additional_properties = d
        return spec_entry

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

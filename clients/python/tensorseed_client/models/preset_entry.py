from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.preset_entry_config import PresetEntryConfig


T = TypeVar("T", bound="PresetEntry")


@_attrs_define
class PresetEntry:
    """
    Attributes:
        config (PresetEntryConfig):
        description (str):
        name (str):
        source (str):
    """

    config: PresetEntryConfig
    description: str
    name: str
    source: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        config = self.config.to_dict()

        description = self.description

        name = self.name

        source = self.source

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "config": config,
                "description": description,
                "name": name,
                "source": source,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preset_entry_config import PresetEntryConfig  # noqa: PLC0415

        d = dict(src_dict)
        config = PresetEntryConfig.from_dict(d.pop("config"))

        description = d.pop("description")

        name = d.pop("name")

        source = d.pop("source")

        preset_entry = cls(
            config=config,
            description=description,
            name=name,
            source=source,
        )

        preset_entry.additional_properties = d
        return preset_entry

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

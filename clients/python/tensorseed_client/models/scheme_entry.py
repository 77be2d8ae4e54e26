from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.scheme_entry_libraries import SchemeEntryLibraries
    from ..models.scheme_parameter import SchemeParameter


T = TypeVar("T", bound="SchemeEntry")


@_attrs_define
class SchemeEntry:
    """
    Attributes:
        aliases (list[str]):
        distribution (str):
        formula (str):
        libraries (SchemeEntryLibraries): What each library means by this name.
        name (str):
        notes (str):
        parameters (list[SchemeParameter]):
        source (str):
        tier (str):
        uses_fans (bool):
    """

    aliases: list[str]
    distribution: str
    formula: str
    libraries: SchemeEntryLibraries
    name: str
    notes: str
    parameters: list[SchemeParameter]
    source: str
    tier: str
    uses_fans: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        aliases = self.aliases

        distribution = self.distribution

        formula = self.formula

        libraries = self.libraries.to_dict()

        name = self.name

        notes = self.notes

        parameters = []
        for parameters_item_data in self.parameters:
            parameters_item = parameters_item_data.to_dict()
            parameters.append(parameters_item)

        source = self.source

        tier = self.tier

        uses_fans = self.uses_fans

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "aliases": aliases,
                "distribution": distribution,
                "formula": formula,
                "libraries": libraries,
                "name": name,
                "notes": notes,
                "parameters": parameters,
                "source": source,
                "tier": tier,
                "uses_fans": uses_fans,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scheme_entry_libraries import SchemeEntryLibraries  # noqa: PLC0415
        from ..models.scheme_parameter import SchemeParameter  # noqa: PLC0415

        d = dict(src_dict)
        aliases = cast(list[str], d.pop("aliases"))

        distribution = d.pop("distribution")

        formula = d.pop("formula")

        libraries = SchemeEntryLibraries.from_dict(d.pop("libraries"))

        name = d.pop("name")

        notes = d.pop("notes")

        parameters = []
        _parameters = d.pop("parameters")
        for parameters_item_data in _parameters:
            parameters_item = SchemeParameter.from_dict(parameters_item_data)

            parameters.append(parameters_item)

        source = d.pop("source")

        tier = d.pop("tier")

        uses_fans = d.pop("uses_fans")

        scheme_entry = cls(
            aliases=aliases,
            distribution=distribution,
            formula=formula,
            libraries=libraries,
            name=name,
            notes=notes,
            parameters=parameters,
            source=source,
            tier=tier,
            uses_fans=uses_fans,
        )

        scheme_entry.additional_properties = d
        return scheme_entry

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.layer_entry_conventions import LayerEntryConventions
    from ..models.layer_entry_example import LayerEntryExample
    from ..models.layer_entry_fields import LayerEntryFields


T = TypeVar("T", bound="LayerEntry")


@_attrs_define
class LayerEntry:
    """
    Attributes:
        conventions (LayerEntryConventions):
        example (LayerEntryExample):
        fields (LayerEntryFields):
        notes (str):
        type_ (str):
    """

    conventions: LayerEntryConventions
    example: LayerEntryExample
    fields: LayerEntryFields
    notes: str
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conventions = self.conventions.to_dict()

        example = self.example.to_dict()

        fields = self.fields.to_dict()

        notes = self.notes

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conventions": conventions,
                "example": example,
                "fields": fields,
                "notes": notes,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.layer_entry_conventions import LayerEntryConventions  # noqa: PLC0415
        from ..models.layer_entry_example import LayerEntryExample  # noqa: PLC0415
        from ..models.layer_entry_fields import LayerEntryFields  # noqa: PLC0415

        d = dict(src_dict)
        conventions = LayerEntryConventions.from_dict(d.pop("conventions"))

        example = LayerEntryExample.from_dict(d.pop("example"))

        fields = LayerEntryFields.from_dict(d.pop("fields"))

        notes = d.pop("notes")

        type_ = d.pop("type")

        layer_entry = cls(
            conventions=conventions,
            example=example,
            fields=fields,
            notes=notes,
            type_=type_,
        )

        layer_entry.additional_properties = d
        return layer_entry

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

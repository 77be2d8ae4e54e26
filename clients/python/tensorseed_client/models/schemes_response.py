from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.gain_entry import GainEntry
    from ..models.scheme_entry import SchemeEntry
    from ..models.schemes_response_library_versions import SchemesResponseLibraryVersions


T = TypeVar("T", bound="SchemesResponse")


@_attrs_define
class SchemesResponse:
    """
    Attributes:
        conventions (list[str]):
        exports (list[str]): The libraries a recipe's `export` may write its layers for.
        gains (list[GainEntry]):
        library_versions (SchemesResponseLibraryVersions): The library version whose names, layouts and defaults each
            convention follows.
        schemes (list[SchemeEntry]):
        spec_version (str): The stream version of a recipe that names none (the default).
        spec_versions (list[str]): Every version served; a recipe picks one with its 'spec' field. The catalogue is the
            same in each: versions differ in how the samplers compute bytes, not in the schemes.
    """

    conventions: list[str]
    exports: list[str]
    gains: list[GainEntry]
    library_versions: SchemesResponseLibraryVersions
    schemes: list[SchemeEntry]
    spec_version: str
    spec_versions: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conventions = self.conventions

        exports = self.exports

        gains = []
        for gains_item_data in self.gains:
            gains_item = gains_item_data.to_dict()
            gains.append(gains_item)

        library_versions = self.library_versions.to_dict()

        schemes = []
        for schemes_item_data in self.schemes:
            schemes_item = schemes_item_data.to_dict()
            schemes.append(schemes_item)

        spec_version = self.spec_version

        spec_versions = self.spec_versions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conventions": conventions,
                "exports": exports,
                "gains": gains,
                "library_versions": library_versions,
                "schemes": schemes,
                "spec_version": spec_version,
                "spec_versions": spec_versions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gain_entry import GainEntry  # noqa: PLC0415
        from ..models.scheme_entry import SchemeEntry  # noqa: PLC0415
        from ..models.schemes_response_library_versions import SchemesResponseLibraryVersions  # noqa: PLC0415

        d = dict(src_dict)
        conventions = cast(list[str], d.pop("conventions"))

        exports = cast(list[str], d.pop("exports"))

        gains = []
        _gains = d.pop("gains")
        for gains_item_data in _gains:
            gains_item = GainEntry.from_dict(gains_item_data)

            gains.append(gains_item)

        library_versions = SchemesResponseLibraryVersions.from_dict(d.pop("library_versions"))

        schemes = []
        _schemes = d.pop("schemes")
        for schemes_item_data in _schemes:
            schemes_item = SchemeEntry.from_dict(schemes_item_data)

            schemes.append(schemes_item)

        spec_version = d.pop("spec_version")

        spec_versions = cast(list[str], d.pop("spec_versions"))

        schemes_response = cls(
            conventions=conventions,
            exports=exports,
            gains=gains,
            library_versions=library_versions,
            schemes=schemes,
            spec_version=spec_version,
            spec_versions=spec_versions,
        )

        schemes_response.additional_properties = d
        return schemes_response

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

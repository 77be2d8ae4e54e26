from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GainEntry")


@_attrs_define
class GainEntry:
    """
    Attributes:
        formula (str):
        gain (float): torch.nn.init.calculate_gain(nonlinearity) (leaky_relu: slope 0.01).
        nonlinearity (str):
    """

    formula: str
    gain: float
    nonlinearity: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        formula = self.formula

        gain = self.gain

        nonlinearity = self.nonlinearity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "formula": formula,
                "gain": gain,
                "nonlinearity": nonlinearity,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        formula = d.pop("formula")

        gain = d.pop("gain")

        nonlinearity = d.pop("nonlinearity")

        gain_entry = cls(
            formula=formula,
            gain=gain,
            nonlinearity=nonlinearity,
        )

        gain_entry.additional_properties = d
        return gain_entry

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

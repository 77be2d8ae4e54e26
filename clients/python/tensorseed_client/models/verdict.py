from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.direction import Direction


T = TypeVar("T", bound="Verdict")


@_attrs_define
class Verdict:
    """
    Attributes:
        backward (Direction):
        band (list[float]):
        forward (Direction):
        identical_units_from (int | None):
        summary (str):
        weight_grads_zero (bool):
    """

    backward: Direction
    band: list[float]
    forward: Direction
    identical_units_from: int | None
    summary: str
    weight_grads_zero: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        backward = self.backward.to_dict()

        band = self.band

        forward = self.forward.to_dict()

        identical_units_from: int | None
        identical_units_from = self.identical_units_from

        summary = self.summary

        weight_grads_zero = self.weight_grads_zero

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "backward": backward,
                "band": band,
                "forward": forward,
                "identical_units_from": identical_units_from,
                "summary": summary,
                "weight_grads_zero": weight_grads_zero,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.direction import Direction  # noqa: PLC0415

        d = dict(src_dict)
        backward = Direction.from_dict(d.pop("backward"))

        band = cast(list[float], d.pop("band"))

        forward = Direction.from_dict(d.pop("forward"))

        def _parse_identical_units_from(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        identical_units_from = _parse_identical_units_from(d.pop("identical_units_from"))

        summary = d.pop("summary")

        weight_grads_zero = d.pop("weight_grads_zero")

        verdict = cls(
            backward=backward,
            band=band,
            forward=forward,
            identical_units_from=identical_units_from,
            summary=summary,
            weight_grads_zero=weight_grads_zero,
        )

        verdict.additional_properties = d
        return verdict

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.input_propagation import InputPropagation
    from ..models.layer_propagation import LayerPropagation
    from ..models.scheme_result_init import SchemeResultInit
    from ..models.verdict import Verdict


T = TypeVar("T", bound="SchemeResult")


@_attrs_define
class SchemeResult:
    """
    Attributes:
        init (SchemeResultInit):
        input_ (InputPropagation):
        label (str):
        layers (list[LayerPropagation]):
        verdict (Verdict):
    """

    init: SchemeResultInit
    input_: InputPropagation
    label: str
    layers: list[LayerPropagation]
    verdict: Verdict
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        init = self.init.to_dict()

        input_ = self.input_.to_dict()

        label = self.label

        layers = []
        for layers_item_data in self.layers:
            layers_item = layers_item_data.to_dict()
            layers.append(layers_item)

        verdict = self.verdict.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "init": init,
                "input": input_,
                "label": label,
                "layers": layers,
                "verdict": verdict,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.input_propagation import InputPropagation  # noqa: PLC0415
        from ..models.layer_propagation import LayerPropagation  # noqa: PLC0415
        from ..models.scheme_result_init import SchemeResultInit  # noqa: PLC0415
        from ..models.verdict import Verdict  # noqa: PLC0415

        d = dict(src_dict)
        init = SchemeResultInit.from_dict(d.pop("init"))

        input_ = InputPropagation.from_dict(d.pop("input"))

        label = d.pop("label")

        layers = []
        _layers = d.pop("layers")
        for layers_item_data in _layers:
            layers_item = LayerPropagation.from_dict(layers_item_data)

            layers.append(layers_item)

        verdict = Verdict.from_dict(d.pop("verdict"))

        scheme_result = cls(
            init=init,
            input_=input_,
            label=label,
            layers=layers,
            verdict=verdict,
        )

        scheme_result.additional_properties = d
        return scheme_result

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

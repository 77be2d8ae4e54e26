from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.input_propagation import InputPropagation
    from ..models.layer_propagation import LayerPropagation
    from ..models.network_description import NetworkDescription
    from ..models.propagation_response_recipe import PropagationResponseRecipe
    from ..models.verdict import Verdict


T = TypeVar("T", bound="PropagationResponse")


@_attrs_define
class PropagationResponse:
    """
    Attributes:
        input_ (InputPropagation):
        layers (list[LayerPropagation]):
        network (NetworkDescription):
        recipe (PropagationResponseRecipe): The equivalent recipe: POST it to /v1/weights for these very weights, input
            and gradient.
        seed (str):
        spec_version (str):
        verdict (Verdict):
    """

    input_: InputPropagation
    layers: list[LayerPropagation]
    network: NetworkDescription
    recipe: PropagationResponseRecipe
    seed: str
    spec_version: str
    verdict: Verdict
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        input_ = self.input_.to_dict()

        layers = []
        for layers_item_data in self.layers:
            layers_item = layers_item_data.to_dict()
            layers.append(layers_item)

        network = self.network.to_dict()

        recipe = self.recipe.to_dict()

        seed = self.seed

        spec_version = self.spec_version

        verdict = self.verdict.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "input": input_,
                "layers": layers,
                "network": network,
                "recipe": recipe,
                "seed": seed,
                "spec_version": spec_version,
                "verdict": verdict,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.input_propagation import InputPropagation  # noqa: PLC0415
        from ..models.layer_propagation import LayerPropagation  # noqa: PLC0415
        from ..models.network_description import NetworkDescription  # noqa: PLC0415
        from ..models.propagation_response_recipe import PropagationResponseRecipe  # noqa: PLC0415
        from ..models.verdict import Verdict  # noqa: PLC0415

        d = dict(src_dict)
        input_ = InputPropagation.from_dict(d.pop("input"))

        layers = []
        _layers = d.pop("layers")
        for layers_item_data in _layers:
            layers_item = LayerPropagation.from_dict(layers_item_data)

            layers.append(layers_item)

        network = NetworkDescription.from_dict(d.pop("network"))

        recipe = PropagationResponseRecipe.from_dict(d.pop("recipe"))

        seed = d.pop("seed")

        spec_version = d.pop("spec_version")

        verdict = Verdict.from_dict(d.pop("verdict"))

        propagation_response = cls(
            input_=input_,
            layers=layers,
            network=network,
            recipe=recipe,
            seed=seed,
            spec_version=spec_version,
            verdict=verdict,
        )

        propagation_response.additional_properties = d
        return propagation_response

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RecipeUrls")


@_attrs_define
class RecipeUrls:
    """Paths relative to the server's base URL (they work behind any host name or proxy).

    Attributes:
        recipe (str):
        stats (str):
        weights (str):
    """

    recipe: str
    stats: str
    weights: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        recipe = self.recipe

        stats = self.stats

        weights = self.weights

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "recipe": recipe,
                "stats": stats,
                "weights": weights,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        recipe = d.pop("recipe")

        stats = d.pop("stats")

        weights = d.pop("weights")

        recipe_urls = cls(
            recipe=recipe,
            stats=stats,
            weights=weights,
        )

        recipe_urls.additional_properties = d
        return recipe_urls

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

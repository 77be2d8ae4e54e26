from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.recipe_resource_header import RecipeResourceHeader
    from ..models.recipe_tensor import RecipeTensor
    from ..models.recipe_urls import RecipeUrls


T = TypeVar("T", bound="RecipeResource")


@_attrs_define
class RecipeResource:
    """A validated recipe and the stateless URLs that serve it.

    Attributes:
        canonical_recipe (str): RFC 8785 form of the recipe, as stored in the file's metadata.
        etag (str): Strong ETag of the weights file (a quoted string, as in the header).
        header (RecipeResourceHeader): The safetensors JSON header, parsed.
        header_size (int): Bytes before the first tensor: 8-byte length prefix and JSON header.
        size (int): Size of the safetensors file in bytes.
        spec_version (str):
        tensors (list[RecipeTensor]):
        token (str): The canonical recipe, zlib-compressed and base64url-encoded, prefixed with the spec major version;
            any replica can decode it.
        total_elements (int):
        urls (RecipeUrls): Paths relative to the server's base URL (they work behind any host name or proxy).
    """

    canonical_recipe: str
    etag: str
    header: RecipeResourceHeader
    header_size: int
    size: int
    spec_version: str
    tensors: list[RecipeTensor]
    token: str
    total_elements: int
    urls: RecipeUrls
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        canonical_recipe = self.canonical_recipe

        etag = self.etag

        header = self.header.to_dict()

        header_size = self.header_size

        size = self.size

        spec_version = self.spec_version

        tensors = []
        for tensors_item_data in self.tensors:
            tensors_item = tensors_item_data.to_dict()
            tensors.append(tensors_item)

        token = self.token

        total_elements = self.total_elements

        urls = self.urls.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "canonical_recipe": canonical_recipe,
                "etag": etag,
                "header": header,
                "header_size": header_size,
                "size": size,
                "spec_version": spec_version,
                "tensors": tensors,
                "token": token,
                "total_elements": total_elements,
                "urls": urls,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recipe_resource_header import RecipeResourceHeader  # noqa: PLC0415
        from ..models.recipe_tensor import RecipeTensor  # noqa: PLC0415
        from ..models.recipe_urls import RecipeUrls  # noqa: PLC0415

        d = dict(src_dict)
        canonical_recipe = d.pop("canonical_recipe")

        etag = d.pop("etag")

        header = RecipeResourceHeader.from_dict(d.pop("header"))

        header_size = d.pop("header_size")

        size = d.pop("size")

        spec_version = d.pop("spec_version")

        tensors = []
        _tensors = d.pop("tensors")
        for tensors_item_data in _tensors:
            tensors_item = RecipeTensor.from_dict(tensors_item_data)

            tensors.append(tensors_item)

        token = d.pop("token")

        total_elements = d.pop("total_elements")

        urls = RecipeUrls.from_dict(d.pop("urls"))

        recipe_resource = cls(
            canonical_recipe=canonical_recipe,
            etag=etag,
            header=header,
            header_size=header_size,
            size=size,
            spec_version=spec_version,
            tensors=tensors,
            token=token,
            total_elements=total_elements,
            urls=urls,
        )

        recipe_resource.additional_properties = d
        return recipe_resource

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

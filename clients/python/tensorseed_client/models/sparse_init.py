from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.sparse_init_convention_type_0 import SparseInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="SparseInit")


@_attrs_define
class SparseInit:
    """
    Attributes:
        scheme (Literal['sparse']):
        sparsity (float):
        convention (None | SparseInitConventionType0 | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
        std (float | Unset):  Default: 0.01.
    """

    scheme: Literal["sparse"]
    sparsity: float
    convention: None | SparseInitConventionType0 | Unset = UNSET
    std: float | Unset = 0.01

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        sparsity = self.sparsity

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, SparseInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        std = self.std

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
                "sparsity": sparsity,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention
        if std is not UNSET:
            field_dict["std"] = std

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["sparse"], d.pop("scheme"))
        if scheme != "sparse":
            raise ValueError(f"scheme must match const 'sparse', got '{scheme}'")

        sparsity = d.pop("sparsity")

        def _parse_convention(data: object) -> None | SparseInitConventionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = SparseInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SparseInitConventionType0 | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        std = d.pop("std", UNSET)

        sparse_init = cls(
            scheme=scheme,
            sparsity=sparsity,
            convention=convention,
            std=std,
        )

        return sparse_init

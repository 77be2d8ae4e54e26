from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.small_init_convention_type_0 import SmallInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="SmallInit")


@_attrs_define
class SmallInit:
    """GPT-NeoX small_init: N(0, 2 / (5 * dim)).

    Attributes:
        dim (int):
        scheme (Literal['small_init']):
        convention (None | SmallInitConventionType0 | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
    """

    dim: int
    scheme: Literal["small_init"]
    convention: None | SmallInitConventionType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        dim = self.dim

        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, SmallInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "dim": dim,
                "scheme": scheme,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        dim = d.pop("dim")

        scheme = cast(Literal["small_init"], d.pop("scheme"))
        if scheme != "small_init":
            raise ValueError(f"scheme must match const 'small_init', got '{scheme}'")

        def _parse_convention(data: object) -> None | SmallInitConventionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = SmallInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SmallInitConventionType0 | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        small_init = cls(
            dim=dim,
            scheme=scheme,
            convention=convention,
        )

        return small_init

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.wang_init_convention_type_0 import WangInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="WangInit")


@_attrs_define
class WangInit:
    """GPT-NeoX wang_init: N(0, (2 / n_layers / sqrt(dim))^2).

    Attributes:
        dim (int):
        n_layers (int):
        scheme (Literal['wang_init']):
        convention (None | Unset | WangInitConventionType0): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
    """

    dim: int
    n_layers: int
    scheme: Literal["wang_init"]
    convention: None | Unset | WangInitConventionType0 = UNSET

    def to_dict(self) -> dict[str, Any]:
        dim = self.dim

        n_layers = self.n_layers

        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, WangInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "dim": dim,
                "n_layers": n_layers,
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

        n_layers = d.pop("n_layers")

        scheme = cast(Literal["wang_init"], d.pop("scheme"))
        if scheme != "wang_init":
            raise ValueError(f"scheme must match const 'wang_init', got '{scheme}'")

        def _parse_convention(data: object) -> None | Unset | WangInitConventionType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = WangInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WangInitConventionType0, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        wang_init = cls(
            dim=dim,
            n_layers=n_layers,
            scheme=scheme,
            convention=convention,
        )

        return wang_init

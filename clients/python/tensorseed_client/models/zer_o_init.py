from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.zer_o_init_convention_type_0 import ZerOInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="ZerOInit")


@_attrs_define
class ZerOInit:
    """ZerO: identity, partial identity, or a partial normalized Hadamard matrix (2-D).

    Attributes:
        scheme (Literal['zero']):
        convention (None | Unset | ZerOInitConventionType0): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
    """

    scheme: Literal["zero"]
    convention: None | Unset | ZerOInitConventionType0 = UNSET

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, ZerOInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["zero"], d.pop("scheme"))
        if scheme != "zero":
            raise ValueError(f"scheme must match const 'zero', got '{scheme}'")

        def _parse_convention(data: object) -> None | Unset | ZerOInitConventionType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = ZerOInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | ZerOInitConventionType0, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        zer_o_init = cls(
            scheme=scheme,
            convention=convention,
        )

        return zer_o_init

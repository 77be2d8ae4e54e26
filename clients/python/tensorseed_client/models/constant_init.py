from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.constant_init_convention_type_0 import ConstantInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="ConstantInit")


@_attrs_define
class ConstantInit:
    """
    Attributes:
        scheme (Literal['constant']):
        value (float):
        convention (ConstantInitConventionType0 | None | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
    """

    scheme: Literal["constant"]
    value: float
    convention: ConstantInitConventionType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        value = self.value

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, ConstantInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
                "value": value,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["constant"], d.pop("scheme"))
        if scheme != "constant":
            raise ValueError(f"scheme must match const 'constant', got '{scheme}'")

        value = d.pop("value")

        def _parse_convention(data: object) -> ConstantInitConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = ConstantInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConstantInitConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        constant_init = cls(
            scheme=scheme,
            value=value,
            convention=convention,
        )

        return constant_init

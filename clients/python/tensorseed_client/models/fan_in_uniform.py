from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.fan_in_uniform_convention_type_0 import FanInUniformConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="FanInUniform")


@_attrs_define
class FanInUniform:
    """U(-1/sqrt(n), 1/sqrt(n)), n = fan_in: "start your weights in [-y, y], y = 1/sqrt(n)".

    Attributes:
        scheme (Literal['fan_in_uniform']):
        convention (FanInUniformConventionType0 | None | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
    """

    scheme: Literal["fan_in_uniform"]
    convention: FanInUniformConventionType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, FanInUniformConventionType0):
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
        scheme = cast(Literal["fan_in_uniform"], d.pop("scheme"))
        if scheme != "fan_in_uniform":
            raise ValueError(f"scheme must match const 'fan_in_uniform', got '{scheme}'")

        def _parse_convention(data: object) -> FanInUniformConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = FanInUniformConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FanInUniformConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        fan_in_uniform = cls(
            scheme=scheme,
            convention=convention,
        )

        return fan_in_uniform

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.uniform_init_convention_type_0 import UniformInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="UniformInit")


@_attrs_define
class UniformInit:
    """U(a, b). Defaults by convention: torch U(0, 1), keras U(-0.05, 0.05), jax U(0, 0.01).

    Attributes:
        scheme (Literal['uniform']):
        a (float | None | Unset):
        b (float | None | Unset):
        convention (None | UniformInitConventionType0 | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
    """

    scheme: Literal["uniform"]
    a: float | None | Unset = UNSET
    b: float | None | Unset = UNSET
    convention: None | UniformInitConventionType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        a: float | None | Unset
        if isinstance(self.a, Unset):
            a = UNSET
        else:
            a = self.a

        b: float | None | Unset
        if isinstance(self.b, Unset):
            b = UNSET
        else:
            b = self.b

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, UniformInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
            }
        )
        if a is not UNSET:
            field_dict["a"] = a
        if b is not UNSET:
            field_dict["b"] = b
        if convention is not UNSET:
            field_dict["convention"] = convention

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["uniform"], d.pop("scheme"))
        if scheme != "uniform":
            raise ValueError(f"scheme must match const 'uniform', got '{scheme}'")

        def _parse_a(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        a = _parse_a(d.pop("a", UNSET))

        def _parse_b(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        b = _parse_b(d.pop("b", UNSET))

        def _parse_convention(data: object) -> None | UniformInitConventionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = UniformInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UniformInitConventionType0 | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        uniform_init = cls(
            scheme=scheme,
            a=a,
            b=b,
            convention=convention,
        )

        return uniform_init

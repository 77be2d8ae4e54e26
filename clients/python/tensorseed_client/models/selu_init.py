from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.selu_init_convention_type_0 import SeluInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="SeluInit")


@_attrs_define
class SeluInit:
    """Self-normalizing networks: N(0, 1 / fan_in), untruncated.

    Attributes:
        scheme (Literal['selu']):
        convention (None | SeluInitConventionType0 | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
    """

    scheme: Literal["selu"]
    convention: None | SeluInitConventionType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, SeluInitConventionType0):
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
        scheme = cast(Literal["selu"], d.pop("scheme"))
        if scheme != "selu":
            raise ValueError(f"scheme must match const 'selu', got '{scheme}'")

        def _parse_convention(data: object) -> None | SeluInitConventionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = SeluInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SeluInitConventionType0 | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        selu_init = cls(
            scheme=scheme,
            convention=convention,
        )

        return selu_init

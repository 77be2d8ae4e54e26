from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.scaled_residual_convention_type_0 import ScaledResidualConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="ScaledResidual")


@_attrs_define
class ScaledResidual:
    """GPT-2 / Megatron-LM: N(0, (std / sqrt(2 * n_layers))^2) for residual output projections.

    Attributes:
        n_layers (int):
        scheme (Literal['scaled_residual']):
        convention (None | ScaledResidualConventionType0 | Unset): Whose meaning the scheme name has (torch, keras, jax
            = flax); inherited from the layer or recipe when absent.
        std (float | Unset):  Default: 0.02.
    """

    n_layers: int
    scheme: Literal["scaled_residual"]
    convention: None | ScaledResidualConventionType0 | Unset = UNSET
    std: float | Unset = 0.02

    def to_dict(self) -> dict[str, Any]:
        n_layers = self.n_layers

        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, ScaledResidualConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        std = self.std

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "n_layers": n_layers,
                "scheme": scheme,
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
        n_layers = d.pop("n_layers")

        scheme = cast(Literal["scaled_residual"], d.pop("scheme"))
        if scheme != "scaled_residual":
            raise ValueError(f"scheme must match const 'scaled_residual', got '{scheme}'")

        def _parse_convention(data: object) -> None | ScaledResidualConventionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = ScaledResidualConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScaledResidualConventionType0 | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        std = d.pop("std", UNSET)

        scaled_residual = cls(
            n_layers=n_layers,
            scheme=scheme,
            convention=convention,
            std=std,
        )

        return scaled_residual

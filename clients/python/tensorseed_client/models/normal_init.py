from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.normal_init_convention_type_0 import NormalInitConventionType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="NormalInit")


@_attrs_define
class NormalInit:
    """N(mean, std^2). std by convention: torch 1, keras 0.05, jax 0.01.

    Attributes:
        scheme (Literal['normal']):
        convention (None | NormalInitConventionType0 | Unset): Whose meaning the scheme name has (torch, keras, jax =
            flax); inherited from the layer or recipe when absent.
        mean (float | Unset):  Default: 0.0.
        std (float | None | Unset):
    """

    scheme: Literal["normal"]
    convention: None | NormalInitConventionType0 | Unset = UNSET
    mean: float | Unset = 0.0
    std: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, NormalInitConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        mean = self.mean

        std: float | None | Unset
        if isinstance(self.std, Unset):
            std = UNSET
        else:
            std = self.std

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention
        if mean is not UNSET:
            field_dict["mean"] = mean
        if std is not UNSET:
            field_dict["std"] = std

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["normal"], d.pop("scheme"))
        if scheme != "normal":
            raise ValueError(f"scheme must match const 'normal', got '{scheme}'")

        def _parse_convention(data: object) -> None | NormalInitConventionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = NormalInitConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | NormalInitConventionType0 | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        mean = d.pop("mean", UNSET)

        def _parse_std(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        std = _parse_std(d.pop("std", UNSET))

        normal_init = cls(
            scheme=scheme,
            convention=convention,
            mean=mean,
            std=std,
        )

        return normal_init

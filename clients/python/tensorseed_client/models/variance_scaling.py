from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.variance_scaling_convention_type_0 import VarianceScalingConventionType0
from ..models.variance_scaling_distribution import VarianceScalingDistribution
from ..models.variance_scaling_mode import VarianceScalingMode
from ..types import UNSET, Unset

T = TypeVar("T", bound="VarianceScaling")


@_attrs_define
class VarianceScaling:
    """JAX/Keras variance_scaling: variance = scale / fan.

    Attributes:
        scheme (Literal['variance_scaling']):
        convention (None | Unset | VarianceScalingConventionType0): Whose meaning the scheme name has (torch, keras, jax
            = flax); inherited from the layer or recipe when absent.
        distribution (VarianceScalingDistribution | Unset):  Default: VarianceScalingDistribution.TRUNCATED_NORMAL.
        mode (VarianceScalingMode | Unset):  Default: VarianceScalingMode.FAN_IN.
        scale (float | Unset):  Default: 1.0.
    """

    scheme: Literal["variance_scaling"]
    convention: None | Unset | VarianceScalingConventionType0 = UNSET
    distribution: VarianceScalingDistribution | Unset = VarianceScalingDistribution.TRUNCATED_NORMAL
    mode: VarianceScalingMode | Unset = VarianceScalingMode.FAN_IN
    scale: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        scheme = self.scheme

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, VarianceScalingConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        distribution: str | Unset = UNSET
        if not isinstance(self.distribution, Unset):
            distribution = self.distribution.value

        mode: str | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.value

        scale = self.scale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scheme": scheme,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention
        if distribution is not UNSET:
            field_dict["distribution"] = distribution
        if mode is not UNSET:
            field_dict["mode"] = mode
        if scale is not UNSET:
            field_dict["scale"] = scale

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        scheme = cast(Literal["variance_scaling"], d.pop("scheme"))
        if scheme != "variance_scaling":
            raise ValueError(f"scheme must match const 'variance_scaling', got '{scheme}'")

        def _parse_convention(data: object) -> None | Unset | VarianceScalingConventionType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = VarianceScalingConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VarianceScalingConventionType0, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        _distribution = d.pop("distribution", UNSET)
        distribution: VarianceScalingDistribution | Unset
        if isinstance(_distribution, Unset):
            distribution = UNSET
        else:
            distribution = VarianceScalingDistribution(_distribution)

        _mode = d.pop("mode", UNSET)
        mode: VarianceScalingMode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = VarianceScalingMode(_mode)

        scale = d.pop("scale", UNSET)

        variance_scaling = cls(
            scheme=scheme,
            convention=convention,
            distribution=distribution,
            mode=mode,
            scale=scale,
        )

        return variance_scaling

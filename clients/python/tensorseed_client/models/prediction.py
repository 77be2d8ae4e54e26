from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Prediction")


@_attrs_define
class Prediction:
    """The mean-field prediction (null where the recursion overflowed or does not apply).

    Attributes:
        activation_grad_std (float | None):
        activation_mean (float | None):
        activation_std (float | None):
        bias_grad_std (float | None):
        linear_output_std (float | None):
        preactivation_mean (float | None):
        preactivation_std (float | None):
        weight_grad_std (float | None):
    """

    activation_grad_std: float | None
    activation_mean: float | None
    activation_std: float | None
    bias_grad_std: float | None
    linear_output_std: float | None
    preactivation_mean: float | None
    preactivation_std: float | None
    weight_grad_std: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        activation_grad_std: float | None
        activation_grad_std = self.activation_grad_std

        activation_mean: float | None
        activation_mean = self.activation_mean

        activation_std: float | None
        activation_std = self.activation_std

        bias_grad_std: float | None
        bias_grad_std = self.bias_grad_std

        linear_output_std: float | None
        linear_output_std = self.linear_output_std

        preactivation_mean: float | None
        preactivation_mean = self.preactivation_mean

        preactivation_std: float | None
        preactivation_std = self.preactivation_std

        weight_grad_std: float | None
        weight_grad_std = self.weight_grad_std

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "activation_grad_std": activation_grad_std,
                "activation_mean": activation_mean,
                "activation_std": activation_std,
                "bias_grad_std": bias_grad_std,
                "linear_output_std": linear_output_std,
                "preactivation_mean": preactivation_mean,
                "preactivation_std": preactivation_std,
                "weight_grad_std": weight_grad_std,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_activation_grad_std(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        activation_grad_std = _parse_activation_grad_std(d.pop("activation_grad_std"))

        def _parse_activation_mean(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        activation_mean = _parse_activation_mean(d.pop("activation_mean"))

        def _parse_activation_std(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        activation_std = _parse_activation_std(d.pop("activation_std"))

        def _parse_bias_grad_std(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        bias_grad_std = _parse_bias_grad_std(d.pop("bias_grad_std"))

        def _parse_linear_output_std(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        linear_output_std = _parse_linear_output_std(d.pop("linear_output_std"))

        def _parse_preactivation_mean(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        preactivation_mean = _parse_preactivation_mean(d.pop("preactivation_mean"))

        def _parse_preactivation_std(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        preactivation_std = _parse_preactivation_std(d.pop("preactivation_std"))

        def _parse_weight_grad_std(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        weight_grad_std = _parse_weight_grad_std(d.pop("weight_grad_std"))

        prediction = cls(
            activation_grad_std=activation_grad_std,
            activation_mean=activation_mean,
            activation_std=activation_std,
            bias_grad_std=bias_grad_std,
            linear_output_std=linear_output_std,
            preactivation_mean=preactivation_mean,
            preactivation_std=preactivation_std,
            weight_grad_std=weight_grad_std,
        )

        prediction.additional_properties = d
        return prediction

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

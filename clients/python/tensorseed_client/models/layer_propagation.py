from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.mean_and_std import MeanAndStd
    from ..models.prediction import Prediction
    from ..models.summary import Summary
    from ..models.weight_summary import WeightSummary


T = TypeVar("T", bound="LayerPropagation")


@_attrs_define
class LayerPropagation:
    """
    Attributes:
        activation (Summary): Moments of every element of a batch; null once values overflowed float64.
        activation_grad (MeanAndStd):
        expected (Prediction): The mean-field prediction (null where the recursion overflowed or does not apply).
        fan_in (int | None):
        fan_out (int | None):
        identical_units (bool): Every unit holds the same value for every sample.
        index (int): 1 for the first layer (0 is the input).
        name (str): The layer's name in the equivalent recipe.
        preactivation (Summary): Moments of every element of a batch; null once values overflowed float64.
        weight (WeightSummary):
        weight_grad (MeanAndStd):
        bias_grad (MeanAndStd | None | Unset):
        linear_output (MeanAndStd | None | Unset): W x + b before the norm (with a norm).
    """

    activation: Summary
    activation_grad: MeanAndStd
    expected: Prediction
    fan_in: int | None
    fan_out: int | None
    identical_units: bool
    index: int
    name: str
    preactivation: Summary
    weight: WeightSummary
    weight_grad: MeanAndStd
    bias_grad: MeanAndStd | None | Unset = UNSET
    linear_output: MeanAndStd | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.mean_and_std import MeanAndStd  # noqa: PLC0415

        activation = self.activation.to_dict()

        activation_grad = self.activation_grad.to_dict()

        expected = self.expected.to_dict()

        fan_in: int | None
        fan_in = self.fan_in

        fan_out: int | None
        fan_out = self.fan_out

        identical_units = self.identical_units

        index = self.index

        name = self.name

        preactivation = self.preactivation.to_dict()

        weight = self.weight.to_dict()

        weight_grad = self.weight_grad.to_dict()

        bias_grad: dict[str, Any] | None | Unset
        if isinstance(self.bias_grad, Unset):
            bias_grad = UNSET
        elif isinstance(self.bias_grad, MeanAndStd):
            bias_grad = self.bias_grad.to_dict()
        else:
            bias_grad = self.bias_grad

        linear_output: dict[str, Any] | None | Unset
        if isinstance(self.linear_output, Unset):
            linear_output = UNSET
        elif isinstance(self.linear_output, MeanAndStd):
            linear_output = self.linear_output.to_dict()
        else:
            linear_output = self.linear_output

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "activation": activation,
                "activation_grad": activation_grad,
                "expected": expected,
                "fan_in": fan_in,
                "fan_out": fan_out,
                "identical_units": identical_units,
                "index": index,
                "name": name,
                "preactivation": preactivation,
                "weight": weight,
                "weight_grad": weight_grad,
            }
        )
        if bias_grad is not UNSET:
            field_dict["bias_grad"] = bias_grad
        if linear_output is not UNSET:
            field_dict["linear_output"] = linear_output

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mean_and_std import MeanAndStd  # noqa: PLC0415
        from ..models.prediction import Prediction  # noqa: PLC0415
        from ..models.summary import Summary  # noqa: PLC0415
        from ..models.weight_summary import WeightSummary  # noqa: PLC0415

        d = dict(src_dict)
        activation = Summary.from_dict(d.pop("activation"))

        activation_grad = MeanAndStd.from_dict(d.pop("activation_grad"))

        expected = Prediction.from_dict(d.pop("expected"))

        def _parse_fan_in(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        fan_in = _parse_fan_in(d.pop("fan_in"))

        def _parse_fan_out(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        fan_out = _parse_fan_out(d.pop("fan_out"))

        identical_units = d.pop("identical_units")

        index = d.pop("index")

        name = d.pop("name")

        preactivation = Summary.from_dict(d.pop("preactivation"))

        weight = WeightSummary.from_dict(d.pop("weight"))

        weight_grad = MeanAndStd.from_dict(d.pop("weight_grad"))

        def _parse_bias_grad(data: object) -> MeanAndStd | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                bias_grad_type_0 = MeanAndStd.from_dict(data)

                return bias_grad_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeanAndStd | None | Unset, data)

        bias_grad = _parse_bias_grad(d.pop("bias_grad", UNSET))

        def _parse_linear_output(data: object) -> MeanAndStd | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                linear_output_type_0 = MeanAndStd.from_dict(data)

                return linear_output_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MeanAndStd | None | Unset, data)

        linear_output = _parse_linear_output(d.pop("linear_output", UNSET))

        layer_propagation = cls(
            activation=activation,
            activation_grad=activation_grad,
            expected=expected,
            fan_in=fan_in,
            fan_out=fan_out,
            identical_units=identical_units,
            index=index,
            name=name,
            preactivation=preactivation,
            weight=weight,
            weight_grad=weight_grad,
            bias_grad=bias_grad,
            linear_output=linear_output,
        )

        layer_propagation.additional_properties = d
        return layer_propagation

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="NetworkDescription")


@_attrs_define
class NetworkDescription:
    """
    Attributes:
        activation (str):
        batch (int):
        bias (bool):
        depth (int):
        groups (int):
        input_size (list[int] | None):
        kernel_size (list[int] | None):
        layer (str):
        norm (None | str):
        padding (str):
        residual (bool):
        widths (list[int]):
    """

    activation: str
    batch: int
    bias: bool
    depth: int
    groups: int
    input_size: list[int] | None
    kernel_size: list[int] | None
    layer: str
    norm: None | str
    padding: str
    residual: bool
    widths: list[int]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        activation = self.activation

        batch = self.batch

        bias = self.bias

        depth = self.depth

        groups = self.groups

        input_size: list[int] | None
        if isinstance(self.input_size, list):
            input_size = self.input_size

        else:
            input_size = self.input_size

        kernel_size: list[int] | None
        if isinstance(self.kernel_size, list):
            kernel_size = self.kernel_size

        else:
            kernel_size = self.kernel_size

        layer = self.layer

        norm: None | str
        norm = self.norm

        padding = self.padding

        residual = self.residual

        widths = self.widths

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "activation": activation,
                "batch": batch,
                "bias": bias,
                "depth": depth,
                "groups": groups,
                "input_size": input_size,
                "kernel_size": kernel_size,
                "layer": layer,
                "norm": norm,
                "padding": padding,
                "residual": residual,
                "widths": widths,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        activation = d.pop("activation")

        batch = d.pop("batch")

        bias = d.pop("bias")

        depth = d.pop("depth")

        groups = d.pop("groups")

        def _parse_input_size(data: object) -> list[int] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                input_size_type_0 = cast(list[int], data)

                return input_size_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None, data)

        input_size = _parse_input_size(d.pop("input_size"))

        def _parse_kernel_size(data: object) -> list[int] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                kernel_size_type_0 = cast(list[int], data)

                return kernel_size_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None, data)

        kernel_size = _parse_kernel_size(d.pop("kernel_size"))

        layer = d.pop("layer")

        def _parse_norm(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        norm = _parse_norm(d.pop("norm"))

        padding = d.pop("padding")

        residual = d.pop("residual")

        widths = cast(list[int], d.pop("widths"))

        network_description = cls(
            activation=activation,
            batch=batch,
            bias=bias,
            depth=depth,
            groups=groups,
            input_size=input_size,
            kernel_size=kernel_size,
            layer=layer,
            norm=norm,
            padding=padding,
            residual=residual,
            widths=widths,
        )

        network_description.additional_properties = d
        return network_description

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

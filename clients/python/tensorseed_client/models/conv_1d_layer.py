from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.conv_1d_layer_convention_type_0 import Conv1DLayerConventionType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.conv_1d_layer_init_type_0 import Conv1DLayerInitType0


T = TypeVar("T", bound="Conv1DLayer")


@_attrs_define
class Conv1DLayer:
    """
    Attributes:
        in_channels (int):
        kernel_size (int | list[int]):
        name (str):
        out_channels (int):
        type_ (Literal['conv1d']): 'conv1d' (the torch.nn class name 'Conv1d' is accepted too)
        bias (bool | Unset):  Default: True.
        convention (Conv1DLayerConventionType0 | None | Unset): Whose parameter names, layouts and defaults (default:
            the recipe's).
        depthwise (bool | Unset): Depthwise convolution: groups = in_channels, out_channels a multiple of it. Default:
            False.
        groups (int | Unset):  Default: 1.
        init (Conv1DLayerInitType0 | None | Unset):
    """

    in_channels: int
    kernel_size: int | list[int]
    name: str
    out_channels: int
    type_: Literal["conv1d"]
    bias: bool | Unset = True
    convention: Conv1DLayerConventionType0 | None | Unset = UNSET
    depthwise: bool | Unset = False
    groups: int | Unset = 1
    init: Conv1DLayerInitType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.conv_1d_layer_init_type_0 import Conv1DLayerInitType0  # noqa: PLC0415

        in_channels = self.in_channels

        kernel_size: int | list[int]
        if isinstance(self.kernel_size, list):
            kernel_size = self.kernel_size

        else:
            kernel_size = self.kernel_size

        name = self.name

        out_channels = self.out_channels

        type_ = self.type_

        bias = self.bias

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, Conv1DLayerConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        depthwise = self.depthwise

        groups = self.groups

        init: dict[str, Any] | None | Unset
        if isinstance(self.init, Unset):
            init = UNSET
        elif isinstance(self.init, Conv1DLayerInitType0):
            init = self.init.to_dict()
        else:
            init = self.init

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "in_channels": in_channels,
                "kernel_size": kernel_size,
                "name": name,
                "out_channels": out_channels,
                "type": type_,
            }
        )
        if bias is not UNSET:
            field_dict["bias"] = bias
        if convention is not UNSET:
            field_dict["convention"] = convention
        if depthwise is not UNSET:
            field_dict["depthwise"] = depthwise
        if groups is not UNSET:
            field_dict["groups"] = groups
        if init is not UNSET:
            field_dict["init"] = init

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.conv_1d_layer_init_type_0 import Conv1DLayerInitType0  # noqa: PLC0415

        d = dict(src_dict)
        in_channels = d.pop("in_channels")

        def _parse_kernel_size(data: object) -> int | list[int]:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                kernel_size_type_1 = cast(list[int], data)

                return kernel_size_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(int | list[int], data)

        kernel_size = _parse_kernel_size(d.pop("kernel_size"))

        name = d.pop("name")

        out_channels = d.pop("out_channels")

        type_ = cast(Literal["conv1d"], d.pop("type"))
        if type_ != "conv1d":
            raise ValueError(f"type must match const 'conv1d', got '{type_}'")

        bias = d.pop("bias", UNSET)

        def _parse_convention(data: object) -> Conv1DLayerConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = Conv1DLayerConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Conv1DLayerConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        depthwise = d.pop("depthwise", UNSET)

        groups = d.pop("groups", UNSET)

        def _parse_init(data: object) -> Conv1DLayerInitType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_0 = Conv1DLayerInitType0.from_dict(data)

                return init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Conv1DLayerInitType0 | None | Unset, data)

        init = _parse_init(d.pop("init", UNSET))

        conv_1d_layer = cls(
            in_channels=in_channels,
            kernel_size=kernel_size,
            name=name,
            out_channels=out_channels,
            type_=type_,
            bias=bias,
            convention=convention,
            depthwise=depthwise,
            groups=groups,
            init=init,
        )

        return conv_1d_layer

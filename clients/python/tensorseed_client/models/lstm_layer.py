from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.lstm_layer_convention_type_0 import LSTMLayerConventionType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.lstm_layer_init_type_0 import LSTMLayerInitType0


T = TypeVar("T", bound="LSTMLayer")


@_attrs_define
class LSTMLayer:
    """
    Attributes:
        hidden_size (int):
        input_size (int):
        name (str):
        type_ (Literal['lstm']): 'lstm' (the torch.nn class name 'LSTM' is accepted too)
        bias (bool | Unset):  Default: True.
        bidirectional (bool | Unset):  Default: False.
        convention (LSTMLayerConventionType0 | None | Unset): Whose parameter names, layouts and defaults (default: the
            recipe's).
        init (LSTMLayerInitType0 | None | Unset):
        num_layers (int | Unset):  Default: 1.
        proj_size (int | Unset):  Default: 0.
    """

    hidden_size: int
    input_size: int
    name: str
    type_: Literal["lstm"]
    bias: bool | Unset = True
    bidirectional: bool | Unset = False
    convention: LSTMLayerConventionType0 | None | Unset = UNSET
    init: LSTMLayerInitType0 | None | Unset = UNSET
    num_layers: int | Unset = 1
    proj_size: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        from ..models.lstm_layer_init_type_0 import LSTMLayerInitType0  # noqa: PLC0415

        hidden_size = self.hidden_size

        input_size = self.input_size

        name = self.name

        type_ = self.type_

        bias = self.bias

        bidirectional = self.bidirectional

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, LSTMLayerConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        init: dict[str, Any] | None | Unset
        if isinstance(self.init, Unset):
            init = UNSET
        elif isinstance(self.init, LSTMLayerInitType0):
            init = self.init.to_dict()
        else:
            init = self.init

        num_layers = self.num_layers

        proj_size = self.proj_size

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "hidden_size": hidden_size,
                "input_size": input_size,
                "name": name,
                "type": type_,
            }
        )
        if bias is not UNSET:
            field_dict["bias"] = bias
        if bidirectional is not UNSET:
            field_dict["bidirectional"] = bidirectional
        if convention is not UNSET:
            field_dict["convention"] = convention
        if init is not UNSET:
            field_dict["init"] = init
        if num_layers is not UNSET:
            field_dict["num_layers"] = num_layers
        if proj_size is not UNSET:
            field_dict["proj_size"] = proj_size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lstm_layer_init_type_0 import LSTMLayerInitType0  # noqa: PLC0415

        d = dict(src_dict)
        hidden_size = d.pop("hidden_size")

        input_size = d.pop("input_size")

        name = d.pop("name")

        type_ = cast(Literal["lstm"], d.pop("type"))
        if type_ != "lstm":
            raise ValueError(f"type must match const 'lstm', got '{type_}'")

        bias = d.pop("bias", UNSET)

        bidirectional = d.pop("bidirectional", UNSET)

        def _parse_convention(data: object) -> LSTMLayerConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = LSTMLayerConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LSTMLayerConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        def _parse_init(data: object) -> LSTMLayerInitType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_0 = LSTMLayerInitType0.from_dict(data)

                return init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LSTMLayerInitType0 | None | Unset, data)

        init = _parse_init(d.pop("init", UNSET))

        num_layers = d.pop("num_layers", UNSET)

        proj_size = d.pop("proj_size", UNSET)

        lstm_layer = cls(
            hidden_size=hidden_size,
            input_size=input_size,
            name=name,
            type_=type_,
            bias=bias,
            bidirectional=bidirectional,
            convention=convention,
            init=init,
            num_layers=num_layers,
            proj_size=proj_size,
        )

        return lstm_layer

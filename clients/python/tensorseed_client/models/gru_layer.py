from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.gru_layer_convention_type_0 import GRULayerConventionType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.gru_layer_init_type_0 import GRULayerInitType0


T = TypeVar("T", bound="GRULayer")


@_attrs_define
class GRULayer:
    """
    Attributes:
        hidden_size (int):
        input_size (int):
        name (str):
        type_ (Literal['gru']): 'gru' (the torch.nn class name 'GRU' is accepted too)
        bias (bool | Unset):  Default: True.
        bidirectional (bool | Unset):  Default: False.
        convention (GRULayerConventionType0 | None | Unset): Whose parameter names, layouts and defaults (default: the
            recipe's).
        init (GRULayerInitType0 | None | Unset):
        num_layers (int | Unset):  Default: 1.
    """

    hidden_size: int
    input_size: int
    name: str
    type_: Literal["gru"]
    bias: bool | Unset = True
    bidirectional: bool | Unset = False
    convention: GRULayerConventionType0 | None | Unset = UNSET
    init: GRULayerInitType0 | None | Unset = UNSET
    num_layers: int | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        from ..models.gru_layer_init_type_0 import GRULayerInitType0  # noqa: PLC0415

        hidden_size = self.hidden_size

        input_size = self.input_size

        name = self.name

        type_ = self.type_

        bias = self.bias

        bidirectional = self.bidirectional

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, GRULayerConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        init: dict[str, Any] | None | Unset
        if isinstance(self.init, Unset):
            init = UNSET
        elif isinstance(self.init, GRULayerInitType0):
            init = self.init.to_dict()
        else:
            init = self.init

        num_layers = self.num_layers

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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gru_layer_init_type_0 import GRULayerInitType0  # noqa: PLC0415

        d = dict(src_dict)
        hidden_size = d.pop("hidden_size")

        input_size = d.pop("input_size")

        name = d.pop("name")

        type_ = cast(Literal["gru"], d.pop("type"))
        if type_ != "gru":
            raise ValueError(f"type must match const 'gru', got '{type_}'")

        bias = d.pop("bias", UNSET)

        bidirectional = d.pop("bidirectional", UNSET)

        def _parse_convention(data: object) -> GRULayerConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = GRULayerConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GRULayerConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        def _parse_init(data: object) -> GRULayerInitType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_0 = GRULayerInitType0.from_dict(data)

                return init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GRULayerInitType0 | None | Unset, data)

        init = _parse_init(d.pop("init", UNSET))

        num_layers = d.pop("num_layers", UNSET)

        gru_layer = cls(
            hidden_size=hidden_size,
            input_size=input_size,
            name=name,
            type_=type_,
            bias=bias,
            bidirectional=bidirectional,
            convention=convention,
            init=init,
            num_layers=num_layers,
        )

        return gru_layer

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.bilinear_layer_convention_type_0 import BilinearLayerConventionType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.bilinear_layer_init_type_0 import BilinearLayerInitType0


T = TypeVar("T", bound="BilinearLayer")


@_attrs_define
class BilinearLayer:
    """
    Attributes:
        in1_features (int):
        in2_features (int):
        name (str):
        out_features (int):
        type_ (Literal['bilinear']): 'bilinear' (the torch.nn class name 'Bilinear' is accepted too)
        bias (bool | Unset):  Default: True.
        convention (BilinearLayerConventionType0 | None | Unset): Whose parameter names, layouts and defaults (default:
            the recipe's).
        init (BilinearLayerInitType0 | None | Unset):
    """

    in1_features: int
    in2_features: int
    name: str
    out_features: int
    type_: Literal["bilinear"]
    bias: bool | Unset = True
    convention: BilinearLayerConventionType0 | None | Unset = UNSET
    init: BilinearLayerInitType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.bilinear_layer_init_type_0 import BilinearLayerInitType0  # noqa: PLC0415

        in1_features = self.in1_features

        in2_features = self.in2_features

        name = self.name

        out_features = self.out_features

        type_ = self.type_

        bias = self.bias

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, BilinearLayerConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        init: dict[str, Any] | None | Unset
        if isinstance(self.init, Unset):
            init = UNSET
        elif isinstance(self.init, BilinearLayerInitType0):
            init = self.init.to_dict()
        else:
            init = self.init

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "in1_features": in1_features,
                "in2_features": in2_features,
                "name": name,
                "out_features": out_features,
                "type": type_,
            }
        )
        if bias is not UNSET:
            field_dict["bias"] = bias
        if convention is not UNSET:
            field_dict["convention"] = convention
        if init is not UNSET:
            field_dict["init"] = init

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bilinear_layer_init_type_0 import BilinearLayerInitType0  # noqa: PLC0415

        d = dict(src_dict)
        in1_features = d.pop("in1_features")

        in2_features = d.pop("in2_features")

        name = d.pop("name")

        out_features = d.pop("out_features")

        type_ = cast(Literal["bilinear"], d.pop("type"))
        if type_ != "bilinear":
            raise ValueError(f"type must match const 'bilinear', got '{type_}'")

        bias = d.pop("bias", UNSET)

        def _parse_convention(data: object) -> BilinearLayerConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = BilinearLayerConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BilinearLayerConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        def _parse_init(data: object) -> BilinearLayerInitType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_0 = BilinearLayerInitType0.from_dict(data)

                return init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BilinearLayerInitType0 | None | Unset, data)

        init = _parse_init(d.pop("init", UNSET))

        bilinear_layer = cls(
            in1_features=in1_features,
            in2_features=in2_features,
            name=name,
            out_features=out_features,
            type_=type_,
            bias=bias,
            convention=convention,
            init=init,
        )

        return bilinear_layer

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.rms_norm_layer_convention_type_0 import RMSNormLayerConventionType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.rms_norm_layer_init_type_0 import RMSNormLayerInitType0


T = TypeVar("T", bound="RMSNormLayer")


@_attrs_define
class RMSNormLayer:
    """
    Attributes:
        name (str):
        normalized_shape (int | list[int]):
        type_ (Literal['rms_norm']): 'rms_norm' (the torch.nn class name 'RMSNorm' is accepted too)
        convention (None | RMSNormLayerConventionType0 | Unset): Whose parameter names, layouts and defaults (default:
            the recipe's).
        elementwise_affine (bool | Unset):  Default: True.
        init (None | RMSNormLayerInitType0 | Unset):
    """

    name: str
    normalized_shape: int | list[int]
    type_: Literal["rms_norm"]
    convention: None | RMSNormLayerConventionType0 | Unset = UNSET
    elementwise_affine: bool | Unset = True
    init: None | RMSNormLayerInitType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.rms_norm_layer_init_type_0 import RMSNormLayerInitType0  # noqa: PLC0415

        name = self.name

        normalized_shape: int | list[int]
        if isinstance(self.normalized_shape, list):
            normalized_shape = self.normalized_shape

        else:
            normalized_shape = self.normalized_shape

        type_ = self.type_

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, RMSNormLayerConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        elementwise_affine = self.elementwise_affine

        init: dict[str, Any] | None | Unset
        if isinstance(self.init, Unset):
            init = UNSET
        elif isinstance(self.init, RMSNormLayerInitType0):
            init = self.init.to_dict()
        else:
            init = self.init

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "normalized_shape": normalized_shape,
                "type": type_,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention
        if elementwise_affine is not UNSET:
            field_dict["elementwise_affine"] = elementwise_affine
        if init is not UNSET:
            field_dict["init"] = init

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rms_norm_layer_init_type_0 import RMSNormLayerInitType0  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        def _parse_normalized_shape(data: object) -> int | list[int]:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                normalized_shape_type_1 = cast(list[int], data)

                return normalized_shape_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(int | list[int], data)

        normalized_shape = _parse_normalized_shape(d.pop("normalized_shape"))

        type_ = cast(Literal["rms_norm"], d.pop("type"))
        if type_ != "rms_norm":
            raise ValueError(f"type must match const 'rms_norm', got '{type_}'")

        def _parse_convention(data: object) -> None | RMSNormLayerConventionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = RMSNormLayerConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RMSNormLayerConventionType0 | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        elementwise_affine = d.pop("elementwise_affine", UNSET)

        def _parse_init(data: object) -> None | RMSNormLayerInitType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_0 = RMSNormLayerInitType0.from_dict(data)

                return init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RMSNormLayerInitType0 | Unset, data)

        init = _parse_init(d.pop("init", UNSET))

        rms_norm_layer = cls(
            name=name,
            normalized_shape=normalized_shape,
            type_=type_,
            convention=convention,
            elementwise_affine=elementwise_affine,
            init=init,
        )

        return rms_norm_layer

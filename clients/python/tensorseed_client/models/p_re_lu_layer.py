from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.p_re_lu_layer_convention_type_0 import PReLULayerConventionType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.p_re_lu_layer_init_type_0 import PReLULayerInitType0


T = TypeVar("T", bound="PReLULayer")


@_attrs_define
class PReLULayer:
    """
    Attributes:
        name (str):
        type_ (Literal['prelu']): 'prelu' (the torch.nn class name 'PReLU' is accepted too)
        convention (None | PReLULayerConventionType0 | Unset): Whose parameter names, layouts and defaults (default: the
            recipe's).
        init (None | PReLULayerInitType0 | Unset):
        init_value (float | Unset): torch's `init` argument (the initial slope). Default: 0.25.
        num_parameters (int | Unset):  Default: 1.
    """

    name: str
    type_: Literal["prelu"]
    convention: None | PReLULayerConventionType0 | Unset = UNSET
    init: None | PReLULayerInitType0 | Unset = UNSET
    init_value: float | Unset = 0.25
    num_parameters: int | Unset = 1

    def to_dict(self) -> dict[str, Any]:
        from ..models.p_re_lu_layer_init_type_0 import PReLULayerInitType0  # noqa: PLC0415

        name = self.name

        type_ = self.type_

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, PReLULayerConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        init: dict[str, Any] | None | Unset
        if isinstance(self.init, Unset):
            init = UNSET
        elif isinstance(self.init, PReLULayerInitType0):
            init = self.init.to_dict()
        else:
            init = self.init

        init_value = self.init_value

        num_parameters = self.num_parameters

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "type": type_,
            }
        )
        if convention is not UNSET:
            field_dict["convention"] = convention
        if init is not UNSET:
            field_dict["init"] = init
        if init_value is not UNSET:
            field_dict["init_value"] = init_value
        if num_parameters is not UNSET:
            field_dict["num_parameters"] = num_parameters

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.p_re_lu_layer_init_type_0 import PReLULayerInitType0  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        type_ = cast(Literal["prelu"], d.pop("type"))
        if type_ != "prelu":
            raise ValueError(f"type must match const 'prelu', got '{type_}'")

        def _parse_convention(data: object) -> None | PReLULayerConventionType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = PReLULayerConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PReLULayerConventionType0 | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        def _parse_init(data: object) -> None | PReLULayerInitType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_0 = PReLULayerInitType0.from_dict(data)

                return init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PReLULayerInitType0 | Unset, data)

        init = _parse_init(d.pop("init", UNSET))

        init_value = d.pop("init_value", UNSET)

        num_parameters = d.pop("num_parameters", UNSET)

        p_re_lu_layer = cls(
            name=name,
            type_=type_,
            convention=convention,
            init=init,
            init_value=init_value,
            num_parameters=num_parameters,
        )

        return p_re_lu_layer

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.group_norm_layer_convention_type_0 import GroupNormLayerConventionType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.group_norm_layer_init_type_0 import GroupNormLayerInitType0


T = TypeVar("T", bound="GroupNormLayer")


@_attrs_define
class GroupNormLayer:
    """
    Attributes:
        name (str):
        num_channels (int):
        num_groups (int):
        type_ (Literal['group_norm']): 'group_norm' (the torch.nn class name 'GroupNorm' is accepted too)
        affine (bool | Unset):  Default: True.
        convention (GroupNormLayerConventionType0 | None | Unset): Whose parameter names, layouts and defaults (default:
            the recipe's).
        init (GroupNormLayerInitType0 | None | Unset):
    """

    name: str
    num_channels: int
    num_groups: int
    type_: Literal["group_norm"]
    affine: bool | Unset = True
    convention: GroupNormLayerConventionType0 | None | Unset = UNSET
    init: GroupNormLayerInitType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.group_norm_layer_init_type_0 import GroupNormLayerInitType0  # noqa: PLC0415

        name = self.name

        num_channels = self.num_channels

        num_groups = self.num_groups

        type_ = self.type_

        affine = self.affine

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, GroupNormLayerConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        init: dict[str, Any] | None | Unset
        if isinstance(self.init, Unset):
            init = UNSET
        elif isinstance(self.init, GroupNormLayerInitType0):
            init = self.init.to_dict()
        else:
            init = self.init

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "num_channels": num_channels,
                "num_groups": num_groups,
                "type": type_,
            }
        )
        if affine is not UNSET:
            field_dict["affine"] = affine
        if convention is not UNSET:
            field_dict["convention"] = convention
        if init is not UNSET:
            field_dict["init"] = init

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.group_norm_layer_init_type_0 import GroupNormLayerInitType0  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        num_channels = d.pop("num_channels")

        num_groups = d.pop("num_groups")

        type_ = cast(Literal["group_norm"], d.pop("type"))
        if type_ != "group_norm":
            raise ValueError(f"type must match const 'group_norm', got '{type_}'")

        affine = d.pop("affine", UNSET)

        def _parse_convention(data: object) -> GroupNormLayerConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = GroupNormLayerConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GroupNormLayerConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        def _parse_init(data: object) -> GroupNormLayerInitType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_0 = GroupNormLayerInitType0.from_dict(data)

                return init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GroupNormLayerInitType0 | None | Unset, data)

        init = _parse_init(d.pop("init", UNSET))

        group_norm_layer = cls(
            name=name,
            num_channels=num_channels,
            num_groups=num_groups,
            type_=type_,
            affine=affine,
            convention=convention,
            init=init,
        )

        return group_norm_layer

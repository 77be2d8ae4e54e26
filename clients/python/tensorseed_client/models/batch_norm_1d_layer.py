from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.batch_norm_1d_layer_convention_type_0 import BatchNorm1DLayerConventionType0
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.batch_norm_1d_layer_init_type_0 import BatchNorm1DLayerInitType0


T = TypeVar("T", bound="BatchNorm1DLayer")


@_attrs_define
class BatchNorm1DLayer:
    """
    Attributes:
        name (str):
        num_features (int):
        type_ (Literal['batch_norm1d']): 'batch_norm1d' (the torch.nn class name 'BatchNorm1d' is accepted too)
        affine (bool | Unset):  Default: True.
        convention (BatchNorm1DLayerConventionType0 | None | Unset): Whose parameter names, layouts and defaults
            (default: the recipe's).
        init (BatchNorm1DLayerInitType0 | None | Unset):
        track_running_stats (bool | Unset):  Default: True.
    """

    name: str
    num_features: int
    type_: Literal["batch_norm1d"]
    affine: bool | Unset = True
    convention: BatchNorm1DLayerConventionType0 | None | Unset = UNSET
    init: BatchNorm1DLayerInitType0 | None | Unset = UNSET
    track_running_stats: bool | Unset = True

    def to_dict(self) -> dict[str, Any]:
        from ..models.batch_norm_1d_layer_init_type_0 import BatchNorm1DLayerInitType0  # noqa: PLC0415

        name = self.name

        num_features = self.num_features

        type_ = self.type_

        affine = self.affine

        convention: None | str | Unset
        if isinstance(self.convention, Unset):
            convention = UNSET
        elif isinstance(self.convention, BatchNorm1DLayerConventionType0):
            convention = self.convention.value
        else:
            convention = self.convention

        init: dict[str, Any] | None | Unset
        if isinstance(self.init, Unset):
            init = UNSET
        elif isinstance(self.init, BatchNorm1DLayerInitType0):
            init = self.init.to_dict()
        else:
            init = self.init

        track_running_stats = self.track_running_stats

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "num_features": num_features,
                "type": type_,
            }
        )
        if affine is not UNSET:
            field_dict["affine"] = affine
        if convention is not UNSET:
            field_dict["convention"] = convention
        if init is not UNSET:
            field_dict["init"] = init
        if track_running_stats is not UNSET:
            field_dict["track_running_stats"] = track_running_stats

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_norm_1d_layer_init_type_0 import BatchNorm1DLayerInitType0  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        num_features = d.pop("num_features")

        type_ = cast(Literal["batch_norm1d"], d.pop("type"))
        if type_ != "batch_norm1d":
            raise ValueError(f"type must match const 'batch_norm1d', got '{type_}'")

        affine = d.pop("affine", UNSET)

        def _parse_convention(data: object) -> BatchNorm1DLayerConventionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                convention_type_0 = BatchNorm1DLayerConventionType0(data)

                return convention_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BatchNorm1DLayerConventionType0 | None | Unset, data)

        convention = _parse_convention(d.pop("convention", UNSET))

        def _parse_init(data: object) -> BatchNorm1DLayerInitType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                init_type_0 = BatchNorm1DLayerInitType0.from_dict(data)

                return init_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BatchNorm1DLayerInitType0 | None | Unset, data)

        init = _parse_init(d.pop("init", UNSET))

        track_running_stats = d.pop("track_running_stats", UNSET)

        batch_norm_1d_layer = cls(
            name=name,
            num_features=num_features,
            type_=type_,
            affine=affine,
            convention=convention,
            init=init,
            track_running_stats=track_running_stats,
        )

        return batch_norm_1d_layer

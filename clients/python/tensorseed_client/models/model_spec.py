from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_spec_config import ModelSpecConfig
    from ..models.preset_override import PresetOverride


T = TypeVar("T", bound="ModelSpec")


@_attrs_define
class ModelSpec:
    """A whole architecture by name (see GET /v1/presets), with its config and overrides.

    Attributes:
        preset (str):
        config (ModelSpecConfig | Unset):
        overrides (list[PresetOverride] | Unset):
    """

    preset: str
    config: ModelSpecConfig | Unset = UNSET
    overrides: list[PresetOverride] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        preset = self.preset

        config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.config, Unset):
            config = self.config.to_dict()

        overrides: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.overrides, Unset):
            overrides = []
            for overrides_item_data in self.overrides:
                overrides_item = overrides_item_data.to_dict()
                overrides.append(overrides_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "preset": preset,
            }
        )
        if config is not UNSET:
            field_dict["config"] = config
        if overrides is not UNSET:
            field_dict["overrides"] = overrides

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_spec_config import ModelSpecConfig  # noqa: PLC0415
        from ..models.preset_override import PresetOverride  # noqa: PLC0415

        d = dict(src_dict)
        preset = d.pop("preset")

        _config = d.pop("config", UNSET)
        config: ModelSpecConfig | Unset
        if isinstance(_config, Unset):
            config = UNSET
        else:
            config = ModelSpecConfig.from_dict(_config)

        _overrides = d.pop("overrides", UNSET)
        overrides: list[PresetOverride] | Unset = UNSET
        if _overrides is not UNSET:
            overrides = []
            for overrides_item_data in _overrides:
                overrides_item = PresetOverride.from_dict(overrides_item_data)

                overrides.append(overrides_item)

        model_spec = cls(
            preset=preset,
            config=config,
            overrides=overrides,
        )

        return model_spec

"""Model presets applied to real models: a preset's config read from a transformers model's config.

``init_(model, seed=0, preset="gpt2")`` describes ``model`` as the ``gpt2`` preset with the
config of ``model.config`` (``GPT2Config``: n_layer, n_head, n_embd, ...); the caller's
``config`` replaces the lookup for models that are not transformers models or for presets
without a table here. The names and shapes are then checked against the module.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from torch import nn

from tensorseed.recipe.errors import did_you_mean
from tensorseed.recipe.presets import presets

#: preset config key -> the transformers config attribute it is read from.
TRANSFORMERS_CONFIG: dict[str, dict[str, str]] = {
    "gpt2": {
        "n_layer": "n_layer", "n_head": "n_head", "n_embd": "n_embd", "vocab_size": "vocab_size",
        "n_positions": "n_positions", "n_inner": "n_inner", "initializer_range": "initializer_range",
    },
    "llama": {
        "dim": "hidden_size", "n_layers": "num_hidden_layers", "n_heads": "num_attention_heads",
        "n_kv_heads": "num_key_value_heads", "vocab": "vocab_size", "ffn_hidden": "intermediate_size",
        "initializer_range": "initializer_range",
    },
    "vit": {
        key: key
        for key in ("image_size", "patch_size", "num_channels", "hidden_size", "num_hidden_layers",
                    "num_attention_heads", "intermediate_size", "num_labels", "initializer_range")
    },
}  # fmt: skip


class PresetMismatch(ValueError):
    """The preset cannot describe this model (unknown preset, or no config to read)."""


def config_from_model(module: nn.Module, preset: str) -> dict[str, Any]:
    """The preset config a transformers model's ``config`` gives (attributes that are None are left
    to the preset's defaults)."""
    table = TRANSFORMERS_CONFIG.get(preset)
    model_config = getattr(module, "config", None)
    if table is None or model_config is None:
        raise PresetMismatch(
            f"tensorseed cannot read the {preset!r} preset's config from a {type(module).__name__}: "
            f"pass config={{...}} (the preset's keys: {list(presets()[preset].config)})"
        )
    out: dict[str, Any] = {}
    for key, attribute in table.items():
        value = getattr(model_config, attribute, None)
        if value is not None:
            out[key] = value
    return out


def preset_model(
    module: nn.Module, preset: str, config: Mapping[str, Any] | None, overrides: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The recipe's ``model`` field: the preset, its config, and the overrides as preset overrides."""
    if preset not in presets():
        raise PresetMismatch(
            f"unknown preset {preset!r}{did_you_mean(preset, presets())}; available: {sorted(presets())}"
        )
    model: dict[str, Any] = {
        "preset": preset,
        "config": dict(config) if config is not None else config_from_model(module, preset),
    }
    if overrides:
        model["overrides"] = [
            {
                "match": pattern,
                "init": dict(spec) if isinstance(spec, Mapping) else spec.model_dump(mode="json"),
            }
            for pattern, spec in overrides.items()
        ]
    return model

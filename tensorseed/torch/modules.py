"""torch modules -> recipes: the recipe whose tensor names are exactly a module's ``state_dict()`` keys.

Modules of the catalogue's torch layer types become recipe layers (their shape-changing
constructor arguments read from the module; arguments that change no parameter, such as padding,
stride or dilation, play no part in initialization and are left out). Parameters that are the
same tensor under two names become ties. Everything else (the parameters of modules tensorseed
does not know, or of a user class's own ``nn.Parameter``) needs an override by name glob or a
``default_init``, and is then a raw tensor of the recipe.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from tensorseed.recipe import models as m
from tensorseed.recipe.errors import RecipeError
from tensorseed.recipe.layers import layer_parameters
from tensorseed.recipe.plan import Limits, Plan, build_plan
from tensorseed.recipe.presets import matches
from tensorseed.recipe.validation import RecipeSource, parse_recipe

#: A scheme as a recipe writes it (``{"scheme": "normal", "std": 0.02}``) or as a model.
InitLike = Mapping[str, Any] | m.InitBase
#: Name glob -> scheme; a glob matches a whole name or a suffix starting after a dot
#: (``"c_attn.weight"`` matches ``transformer.h.0.attn.c_attn.weight``); later globs win.
Overrides = Mapping[str, InitLike]

TORCH_DTYPES: dict[torch.dtype, str] = {
    torch.float32: "float32",
    torch.float64: "float64",
    torch.float16: "float16",
    torch.bfloat16: "bfloat16",
}

#: Limits for recipes of modules that already exist: their size is the caller's business (the
#: service's defaults still apply to a recipe sent to it; see docs/library.md).
UNLIMITED = Limits(max_tensor_elements=2**62, max_total_elements=2**62, max_tensors=2**31)


class ModuleNotCovered(ValueError):
    """The module has tensors a recipe cannot describe as they are; the message says how to cover them."""


def _kernel(size: tuple[int, ...]) -> list[int]:
    return [int(k) for k in size]


def _norm_shape(shape: tuple[int, ...]) -> int | list[int]:
    return int(shape[0]) if len(shape) == 1 else [int(s) for s in shape]


def _linear(mod: nn.Linear) -> dict[str, Any]:
    return {"type": "linear", "in_features": mod.in_features, "out_features": mod.out_features,
            "bias": mod.bias is not None}  # fmt: skip


def _bilinear(mod: nn.Bilinear) -> dict[str, Any]:
    return {"type": "bilinear", "in1_features": mod.in1_features, "in2_features": mod.in2_features,
            "out_features": mod.out_features, "bias": mod.bias is not None}  # fmt: skip


def _conv(kind: str) -> Any:
    def fields(mod: nn.modules.conv._ConvNd) -> dict[str, Any]:
        return {"type": kind, "in_channels": mod.in_channels, "out_channels": mod.out_channels,
                "kernel_size": _kernel(mod.kernel_size), "groups": mod.groups,
                "bias": mod.bias is not None}  # fmt: skip

    return fields


def _embedding(mod: nn.Embedding) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "embedding", "num_embeddings": mod.num_embeddings,
                           "embedding_dim": mod.embedding_dim}  # fmt: skip
    if mod.padding_idx is not None:
        out["padding_idx"] = int(mod.padding_idx)
    return out


def _layer_norm(mod: nn.LayerNorm) -> dict[str, Any]:
    return {"type": "layer_norm", "normalized_shape": _norm_shape(mod.normalized_shape),
            "elementwise_affine": mod.elementwise_affine, "bias": mod.bias is not None}  # fmt: skip


def _rms_norm(mod: nn.RMSNorm) -> dict[str, Any]:
    return {"type": "rms_norm", "normalized_shape": _norm_shape(mod.normalized_shape),
            "elementwise_affine": mod.elementwise_affine}  # fmt: skip


def _batch_norm(kind: str) -> Any:
    def fields(mod: nn.modules.batchnorm._BatchNorm) -> dict[str, Any]:
        return {"type": kind, "num_features": mod.num_features, "affine": mod.affine,
                "track_running_stats": mod.track_running_stats}  # fmt: skip

    return fields


def _group_norm(mod: nn.GroupNorm) -> dict[str, Any]:
    return {"type": "group_norm", "num_groups": mod.num_groups, "num_channels": mod.num_channels,
            "affine": mod.affine}  # fmt: skip


def _recurrent(kind: str) -> Any:
    def fields(mod: nn.RNNBase) -> dict[str, Any]:
        out = {"type": kind, "input_size": mod.input_size, "hidden_size": mod.hidden_size,
               "num_layers": mod.num_layers, "bias": mod.bias,
               "bidirectional": mod.bidirectional}  # fmt: skip
        if kind == "lstm":
            out["proj_size"] = mod.proj_size
        return out

    return fields


def _attention(mod: nn.MultiheadAttention) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "multihead_attention", "embed_dim": mod.embed_dim,
                           "num_heads": mod.num_heads, "bias": mod.in_proj_bias is not None,
                           "add_bias_kv": mod.bias_k is not None}  # fmt: skip
    if mod.kdim != mod.embed_dim:
        out["kdim"] = mod.kdim
    if mod.vdim != mod.embed_dim:
        out["vdim"] = mod.vdim
    return out


def _prelu(mod: nn.PReLU) -> dict[str, Any]:
    return {"type": "prelu", "num_parameters": mod.num_parameters, "init_value": float(mod.init)}


#: torch class -> the recipe layer fields of one of its modules (the catalogue's torch types).
LAYER_FIELDS: dict[type[nn.Module], Any] = {
    nn.Linear: _linear,
    nn.Bilinear: _bilinear,
    nn.Conv1d: _conv("conv1d"),
    nn.Conv2d: _conv("conv2d"),
    nn.Conv3d: _conv("conv3d"),
    nn.ConvTranspose1d: _conv("conv_transpose1d"),
    nn.ConvTranspose2d: _conv("conv_transpose2d"),
    nn.ConvTranspose3d: _conv("conv_transpose3d"),
    nn.Embedding: _embedding,
    nn.LayerNorm: _layer_norm,
    nn.RMSNorm: _rms_norm,
    nn.BatchNorm1d: _batch_norm("batch_norm1d"),
    nn.BatchNorm2d: _batch_norm("batch_norm2d"),
    nn.BatchNorm3d: _batch_norm("batch_norm3d"),
    nn.GroupNorm: _group_norm,
    nn.RNN: _recurrent("rnn"),
    nn.LSTM: _recurrent("lstm"),
    nn.GRU: _recurrent("gru"),
    nn.MultiheadAttention: _attention,
    nn.PReLU: _prelu,
}
_INIT_METHODS = ("reset_parameters", "_reset_parameters")


def known_class(mod: nn.Module) -> type[nn.Module] | None:
    """The catalogue class a module is: its own class, or a base whose initialization it keeps.

    A subclass counts when it overrides neither ``reset_parameters`` nor ``_reset_parameters``
    (torch's ``NonDynamicallyQuantizableLinear`` inside MultiheadAttention, say); one that does
    initializes differently, and is treated as a module tensorseed does not know.
    """
    for cls in type(mod).__mro__:
        if cls in LAYER_FIELDS:
            same = all(getattr(type(mod), n, None) is getattr(cls, n, None) for n in _INIT_METHODS)
            return cls if same else None
    return None


@dataclass
class _Walk:
    """What walking a module tree found, by state_dict name."""

    layers: list[tuple[str, nn.Module, type[nn.Module]]] = field(default_factory=list)
    #: state_dict name -> the known layer (its path) that registers it
    layer_of: dict[str, str] = field(default_factory=dict)


def _children(module: nn.Module, prefix: str) -> Iterator[tuple[str, nn.Module]]:
    for name, child in module._modules.items():
        if child is not None:
            yield f"{prefix}{name}", child


def _walk(module: nn.Module, prefix: str, found: _Walk) -> None:
    for path, child in _children(module, prefix):
        cls = known_class(child)
        if cls is not None:
            found.layers.append((path, child, cls))
        else:
            _walk(child, path + ".", found)


def _owning_layers(found: _Walk, names: Iterable[str]) -> None:
    """For each state_dict name, the known layer whose path prefixes it (O(names x depth))."""
    paths = {path for path, _, _ in found.layers}
    for name in names:
        head = name
        while "." in head:
            head = head.rpartition(".")[0]
            if head in paths:
                found.layer_of[name] = head
                break


def _spec_data(spec: InitLike) -> dict[str, Any]:
    if isinstance(spec, m.InitBase):
        return spec.model_dump(mode="json", exclude_unset=True) | {"scheme": spec.scheme}
    return dict(spec)


def _infer_dtype(state: Mapping[str, torch.Tensor], given: str | None) -> str:
    if given is not None:
        return given
    found = {TORCH_DTYPES[t.dtype] for t in state.values() if t.dtype in TORCH_DTYPES}
    if len(found) > 1:
        raise ModuleNotCovered(
            f"the module holds tensors of several float dtypes ({', '.join(sorted(found))}); a recipe has "
            "one dtype: convert the module first (module.to(torch.bfloat16), say) or pass dtype="
        )
    return found.pop() if found else "float32"


def _ties(state: Mapping[str, torch.Tensor]) -> dict[str, str]:
    """state_dict names that are the same tensor as an earlier name -> that earlier name."""
    first: dict[int, str] = {}
    ties: dict[str, str] = {}
    for name, tensor in state.items():
        owner = first.setdefault(id(tensor), name)
        if owner != name:
            ties[name] = owner
    return ties


def _as_raw(name: str, param: Any, init: dict[str, Any]) -> dict[str, Any]:
    """A layer parameter as a raw tensor with the same scheme and fans (hence the same bytes)."""
    if param.zero_row is not None or param.dtype is not None:
        raise ModuleNotCovered(
            f"{name} belongs to a layer with a tied parameter, and a raw tensor cannot carry its "
            "padding row or int64 dtype; untie the parameter or initialize this layer yourself"
        )
    raw: dict[str, Any] = {"name": name, "shape": list(param.shape), "init": init}
    if param.fans.fan_in is not None:
        raw["fan_in"] = param.fans.fan_in
    if param.fans.fan_out is not None:
        raw["fan_out"] = param.fans.fan_out
    return raw


def _not_covered_message(missing: list[tuple[str, torch.Tensor, str, bool]]) -> str:
    lines = [f"tensorseed does not know how to initialize {len(missing)} tensor(s) of this module:"]
    for name, tensor, owner, is_buffer in missing[:20]:
        kind = "buffer" if is_buffer else "parameter"
        lines.append(f"  {name}  {tuple(tensor.shape)} {kind} of {owner}")
    if len(missing) > 20:
        lines.append(f"  ... and {len(missing) - 20} more")
    glob = ".".join(missing[0][0].split(".")[-2:]) if missing else "c_attn.weight"
    lines += [
        "Cover them with an override by name glob (a glob matches a whole name or a suffix after a dot;",
        "later globs win), e.g.",
        f'  overrides={{"{glob}": {{"scheme": "normal", "std": 0.02}}}}',
        "or give every unknown parameter one scheme (buffers need an override):",
        '  default_init={"scheme": "normal", "std": 0.02}',
        f"Known torch layer types: {', '.join(c.__name__ for c in LAYER_FIELDS)} "
        "(and their subclasses that keep reset_parameters).",
    ]
    return "\n".join(lines)


def _owner_name(module: nn.Module, name: str) -> str:
    path = name.rpartition(".")[0]
    owner = module.get_submodule(path) if path else module
    return type(owner).__name__


def recipe_from_module(
    module: nn.Module,
    *,
    seed: int | str,
    dtype: str | None = None,
    overrides: Overrides | None = None,
    default_init: InitLike | None = None,
    preset: str | None = None,
    config: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The recipe of a module: one tensor per ``module.state_dict()`` key, with the same shape.

    Layers of the catalogue's torch types (``Linear``, ``Conv2d``, ``BatchNorm2d``, ``LayerNorm``,
    ``Embedding``, ``MultiheadAttention``, ``LSTM``, ...; nested at any depth in ``Sequential``,
    ``ModuleList``, ``ModuleDict`` or your own classes) get torch's default initialization;
    ``overrides`` (name glob -> scheme) changes any tensor; parameters that are one tensor under
    two names become ``ties``; ``default_init`` covers the parameters of modules tensorseed does
    not know. With ``preset`` ("gpt2", "llama", ...) the recipe is that preset instead, its
    ``config`` read from a transformers model's ``config`` unless given, and its names and
    shapes must be the module's. ``dtype`` defaults to the module's float dtype.

    The result is plain JSON data: send it to the service, ``tensorseed generate``, the C or
    JavaScript port, or ``tensorseed.torch.init_``.

    >>> from torch import nn
    >>> recipe_from_module(nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.LayerNorm(3)), seed=0)["layers"][0]
    {'name': '0', 'type': 'linear', 'in_features': 4, 'out_features': 3, 'bias': True}
    """
    state = module.state_dict(keep_vars=True)
    for name, tensor in state.items():
        if isinstance(tensor, nn.parameter.UninitializedTensorMixin):  # type: ignore[attr-defined]
            raise ModuleNotCovered(
                f"{name} is not materialized yet (a lazy module): run one forward pass first"
            )
    recipe: dict[str, Any] = {"seed": seed, "dtype": _infer_dtype(state, dtype)}
    if preset is not None:
        from tensorseed.torch.presets import preset_model

        recipe["model"] = preset_model(module, preset, config, overrides)
        check_names_and_shapes(module, plan_recipe(recipe), state)
        return recipe
    ties = _ties(state)
    found = _Walk()
    _walk(module, "", found)
    _owning_layers(found, state)
    covered_by_glob = _resolve_overrides(overrides or {}, [n for n in state if n not in ties], ties)
    layers: list[dict[str, Any]] = []
    tensors: list[dict[str, Any]] = []
    for path, mod, cls in found.layers:
        fields = {"name": path, **LAYER_FIELDS[cls](mod)}
        layer = parse_layer(fields)
        params = layer_parameters(layer, "torch", ("layers", len(layers)))
        names = {f"{path}.{p.suffix}" for p in params}
        registered = {n for n, owner in found.layer_of.items() if owner == path}
        if names != registered:
            raise ModuleNotCovered(
                f"{path} ({type(mod).__name__}) registers {sorted(registered)}, while a {fields['type']} "
                f"layer has {sorted(names)}; cover its tensors with overrides and default_init"
            )
        if any(f"{path}.{p.suffix}" in ties for p in params):  # some parameter is another's
            for p in params:
                name = f"{path}.{p.suffix}"
                if name not in ties:
                    default = p.default.model_dump(mode="json", exclude_unset=True) | {
                        "scheme": p.default.scheme
                    }
                    tensors.append(_as_raw(name, p, covered_by_glob.get(name, default)))
            continue
        inits = {
            p.suffix: covered_by_glob[f"{path}.{p.suffix}"]
            for p in params
            if f"{path}.{p.suffix}" in covered_by_glob
        }
        if inits:
            fields["init"] = inits
        layers.append(_compact(fields, layer))
    missing: list[tuple[str, torch.Tensor, str, bool]] = []
    buffers = {name for name, _ in module.named_buffers()}
    for name, tensor in state.items():
        if name in found.layer_of or name in ties:
            continue
        init = covered_by_glob.get(name)
        is_buffer = name in buffers
        if init is None and default_init is not None and not is_buffer:
            init = _spec_data(default_init)
        if init is None or tensor.dtype not in TORCH_DTYPES:
            missing.append((name, tensor, _owner_name(module, name), is_buffer))
            continue
        tensors.append({"name": name, "shape": [int(s) for s in tensor.shape] or [1], "init": init})
    if missing:
        message = _not_covered_message(missing)
        if known_class(module) is not None:
            message += (
                f"\nThe module itself is a {type(module).__name__}: a recipe names layer tensors "
                "<layer>.<parameter>, so a bare layer has no layer name; cover its tensors as above, or "
                "initialize it inside a container (nn.Sequential(layer): its tensors are then '0.weight'...)."
            )
        raise ModuleNotCovered(message)
    if layers:
        recipe["layers"] = layers
    if tensors:
        recipe["tensors"] = tensors
    if ties:
        recipe["ties"] = ties
    check_names_and_shapes(module, plan_recipe(recipe), state)
    return recipe


def _resolve_overrides(
    overrides: Overrides, names: list[str], ties: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """state_dict name -> the init of the last glob matching it; every glob must match."""
    chosen: dict[str, dict[str, Any]] = {}
    for pattern, spec in overrides.items():
        hits = [n for n in names if matches(pattern, n)]
        tied = [n for n in ties if matches(pattern, n)]
        if not hits:
            hint = f" (it matches {tied[0]!r}, tied to {ties[tied[0]]!r}: override that)" if tied else ""
            raise ModuleNotCovered(f"override {pattern!r} matches no tensor of the module{hint}")
        for n in hits:
            chosen[n] = _spec_data(spec)
    return chosen


_LAYER_ADAPTER: Any = None


def parse_layer(fields: Mapping[str, Any]) -> m.Layer:
    """A layer dict validated as a recipe's layer (strict, like the service)."""
    global _LAYER_ADAPTER
    if _LAYER_ADAPTER is None:
        from pydantic import TypeAdapter

        _LAYER_ADAPTER = TypeAdapter(m.Layer)
    layer: m.Layer = _LAYER_ADAPTER.validate_python(dict(fields), strict=True)
    return layer


def _compact(fields: dict[str, Any], layer: m.Layer) -> dict[str, Any]:
    """The layer's fields without those equal to the model's defaults (shorter recipes and tokens)."""
    out = {}
    for key, value in fields.items():
        info = type(layer).model_fields.get(key)
        if info is not None and not info.is_required() and info.default == value and key != "init":
            continue
        out[key] = value
    return out


def plan_recipe(recipe: RecipeSource, limits: Limits | None = None) -> Plan:
    """Validate and plan a recipe as the service does (its models), with ``limits`` (default: none)."""
    return build_plan(parse_recipe(recipe), limits or UNLIMITED)


def check_names_and_shapes(
    module: nn.Module, plan: Plan, state: Mapping[str, torch.Tensor] | None = None
) -> None:
    """The plan's tensors must be exactly the module's state_dict entries, with the same shapes."""
    state = module.state_dict(keep_vars=True) if state is None else state
    planned = {t.name: t for t in plan.tensors}
    only_plan = sorted(set(planned) - set(state))
    only_module = sorted(set(state) - set(planned))
    shapes = [
        f"{n}: module {tuple(state[n].shape)}, recipe {planned[n].shape}"
        for n in state
        if n in planned
        and tuple(state[n].shape) != planned[n].shape
        and not (state[n].dim() == 0 and planned[n].shape in ((), (1,)))
    ]
    if only_plan or only_module or shapes:
        parts = []
        if only_module:
            parts.append(f"in the module but not the recipe: {only_module[:10]}")
        if only_plan:
            parts.append(f"in the recipe but not the module: {only_plan[:10]}")
        if shapes:
            parts.append("shapes differ: " + "; ".join(shapes[:10]))
        raise ModuleNotCovered("the recipe does not match the module: " + " / ".join(parts))


__all__ = ["ModuleNotCovered", "RecipeError", "recipe_from_module"]

"""``init_``: a module's parameters and buffers filled in place, with the bytes of its recipe's file.

Where a tensor lives decides how it is filled:

* CPU: the compiled kernel writes straight into the tensor's memory (several threads, GIL
  released); what the kernel does not implement comes from the reference in bounded chunks.
* CUDA: the Triton kernels write into the CUDA tensor.
* ``meta``: the module is materialized first (``to_empty``) on the device the caller names; ties
  that ``to_empty`` breaks are restored.
* DTensor (FSDP2's ``fully_shard``, tensor parallel plans; any mix of ``Shard(dim)`` and
  ``Replicate()``): each rank fills only its local shard, which is exactly the slice of the
  unsharded tensor (``tensorseed.torch.shards``).

Nothing here draws from torch's generators: ``torch.get_rng_state()`` is the same after.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import torch
from torch import nn

from tensorseed.engine.backend import fast_path_can_fill, reference_fill, zeroed_elements
from tensorseed.engine.inplace import fill_into
from tensorseed.recipe.plan import Limits, Plan, TensorPlan
from tensorseed.recipe.validation import RecipeSource, parse_recipe
from tensorseed.stream.dtypes import DType
from tensorseed.torch.modules import (
    InitLike,
    ModuleNotCovered,
    Overrides,
    check_names_and_shapes,
    plan_recipe,
    recipe_from_module,
)
from tensorseed.torch.shards import Box, runs, shard_box, whole

Route = Literal["auto", "kernel", "triton", "reference"]

_TORCH_OF = {
    DType.float32: torch.float32,
    DType.float64: torch.float64,
    DType.float16: torch.float16,
    DType.bfloat16: torch.bfloat16,
    DType.int64: torch.int64,
}


def init_(
    module: nn.Module,
    *,
    seed: int | str | None = None,
    recipe: RecipeSource | None = None,
    dtype: str | None = None,
    overrides: Overrides | None = None,
    default_init: InitLike | None = None,
    preset: str | None = None,
    config: Mapping[str, Any] | None = None,
    device: torch.device | str | None = None,
    threads: int = 0,
    route: Route = "auto",
    limits: Limits | None = None,
) -> dict[str, Any]:
    """Initialize every parameter and buffer of ``module`` in place; return its recipe.

    The tensors get exactly the bytes of the recipe's safetensors file (what ``POST /v1/weights``,
    ``tensorseed generate`` and the C and JavaScript ports produce), on any device and under any
    sharding. The recipe is ``recipe_from_module(module, seed=..., dtype=..., overrides=...,
    default_init=..., preset=..., config=...)`` unless ``recipe`` is given (then its tensors must
    be the module's state_dict entries, with the same shapes and dtypes).

    Args:
        device: where a module on the ``meta`` device is materialized (``module.to_empty``).
        threads: CPU kernel threads (<= 0: every CPU this process may use).
        route: ``auto`` (CPU tensors: the compiled kernel; CUDA tensors: Triton), or force
            ``kernel``, ``triton`` (on CPU tensors only under ``TRITON_INTERPRET=1``) or the
            numpy ``reference``. The bytes are the same on every route.
        limits: size limits for the recipe (default: none; the service applies its own).

    Example::

        model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
        recipe = tensorseed.torch.init_(model, seed=42)   # JSON data: keep it, send it, share it
    """
    with torch.no_grad():
        _materialize(module, device)
        if recipe is None:
            if seed is None:
                raise TypeError("init_ needs seed= (or a recipe=)")
            recipe_data = recipe_from_module(
                module, seed=seed, dtype=dtype, overrides=overrides, default_init=default_init,
                preset=preset, config=config,
            )  # fmt: skip
        else:
            recipe_data = parse_recipe(recipe).model_dump(mode="json", exclude_unset=True)
        plan = plan_recipe(recipe_data, limits)
        fill_module(module, plan, threads=threads, route=route)
    return recipe_data


def fill_module(module: nn.Module, plan: Plan, *, threads: int = 0, route: Route = "auto") -> None:
    """Fill the module's state_dict tensors with the plan's bytes (names and shapes must match)."""
    state = module.state_dict(keep_vars=True)
    check_names_and_shapes(module, plan, state)
    filled: dict[int, TensorPlan] = {}
    for tensor in plan.tensors:
        target = state[tensor.name]
        if target.is_meta:
            raise ModuleNotCovered(f"{tensor.name} is on the meta device: pass device= to materialize it")
        expected = _TORCH_OF[tensor.dtype]
        if target.dtype != expected:
            raise ModuleNotCovered(
                f"{tensor.name} is {target.dtype}, the recipe makes it {expected}: convert the module "
                "(module.to(dtype)) or give the recipe the module's dtype"
            )
        previous = filled.get(id(target))
        if previous is not None:  # one tensor under two names: the recipe must tie them
            if (previous.key, previous.sampler) != (tensor.key, tensor.sampler):
                raise ModuleNotCovered(
                    f"{tensor.name} and {previous.name} are one tensor in the module but the recipe "
                    "gives them different values: tie them in the recipe (or untie them in the model)"
                )
            continue
        filled[id(target)] = tensor
        fill_tensor(target, tensor, threads=threads, route=route)


def fill_tensor(target: torch.Tensor, tensor: TensorPlan, *, threads: int = 0, route: Route = "auto") -> None:
    """Fill ``target`` (a tensor, or a DTensor: its local shard) with the planned tensor's bytes."""
    local, box = _local_and_box(target, tensor)
    if box.numel == 0:
        return
    if local.is_contiguous():
        _fill_runs(local, tensor, runs(box), threads, route)
    else:  # rare for parameters: fill a contiguous copy of the local shard and copy it in
        scratch = torch.empty(local.shape, dtype=local.dtype, device=local.device)
        _fill_runs(scratch, tensor, runs(box), threads, route)
        local.copy_(scratch)


def _local_and_box(target: torch.Tensor, tensor: TensorPlan) -> tuple[torch.Tensor, Box]:
    shape = tensor.shape
    if not _is_dtensor(target):
        return target.detach(), whole(shape)
    from torch.distributed.tensor import DTensor, Replicate, Shard

    assert isinstance(target, DTensor)

    dims: list[int | None] = []
    for placement in target.placements:
        if isinstance(placement, Shard) and type(placement) is Shard:
            dims.append(placement.dim)
        elif isinstance(placement, Replicate):
            dims.append(None)
        else:
            raise ModuleNotCovered(
                f"{tensor.name} is placed {placement}: tensorseed fills Shard(dim) and Replicate() "
                "placements (Partial and strided shards have no slice of the unsharded tensor)"
            )
    mesh = target.device_mesh
    coordinate = mesh.get_coordinate()
    local = target.to_local().detach()
    if coordinate is None:  # this rank is not in the mesh: it holds nothing
        return local, Box(shape, (0,) * len(shape), (0,) * len(shape))
    box = shard_box(tuple(target.shape), mesh.shape, coordinate, dims)
    if tuple(local.shape) != box.shape and not (local.dim() == 0 and box.numel == 1):
        raise ModuleNotCovered(
            f"{tensor.name}: the local shard is {tuple(local.shape)}, the placements give {box.shape}"
        )
    return local, box


def _is_dtensor(tensor: torch.Tensor) -> bool:
    if not torch.distributed.is_available():
        return False
    from torch.distributed.tensor import DTensor

    return isinstance(tensor, DTensor)


def _fill_runs(
    local: torch.Tensor,
    tensor: TensorPlan,
    pieces: Iterable[tuple[int, int, int]],
    threads: int,
    route: Route,
) -> None:
    itemsize = tensor.dtype.itemsize
    flat = local.reshape(-1).view(torch.uint8)
    use_triton = route == "triton" or (route == "auto" and local.device.type == "cuda")
    if use_triton:
        _check_triton_route(local)
        from tensorseed.stream import triton_kernels

        for start, at, count in pieces:
            out = flat[at * itemsize : (at + count) * itemsize]
            if fast_path_can_fill(tensor):
                triton_kernels.launch(
                    out, tensor.sampler, tensor.key, start, count, tensor.dtype, zeroed_elements(tensor)
                )
            else:
                out.copy_(
                    torch.frombuffer(bytearray(reference_fill(tensor, start, count)), dtype=torch.uint8)
                )
        return
    if local.device.type != "cpu":  # kernel or reference for a non-CPU tensor: through host memory
        for start, at, count in pieces:
            host = torch.empty(count * itemsize, dtype=torch.uint8)
            _fill_host(host.numpy(), tensor, start, count, threads, route)
            flat[at * itemsize : (at + count) * itemsize].copy_(host)
        return
    view = flat.numpy()
    for start, at, count in pieces:
        _fill_host(view[at * itemsize : (at + count) * itemsize], tensor, start, count, threads, route)


def _fill_host(out: Any, tensor: TensorPlan, start: int, count: int, threads: int, route: Route) -> None:
    if route == "reference":
        for pos in range(start, start + count, 1 << 18):
            n = min(1 << 18, start + count - pos)
            lo = (pos - start) * tensor.dtype.itemsize
            out[lo : lo + n * tensor.dtype.itemsize] = memoryview(reference_fill(tensor, pos, n))
        return
    fill_into(out, tensor, start, count, threads)


def _check_triton_route(local: torch.Tensor) -> None:
    if local.device.type == "cpu" and os.environ.get("TRITON_INTERPRET") != "1":
        raise ValueError("route='triton' on CPU tensors needs TRITON_INTERPRET=1 (the Triton interpreter)")


# ---- materializing a meta module ----


def _tie_groups(module: nn.Module) -> list[list[tuple[nn.Module, str, bool]]]:
    """Parameters and buffers registered in several places, each as (module, attribute, is_param)."""
    where: dict[int, list[tuple[nn.Module, str, bool]]] = {}
    for sub in module.modules():
        for attr, p in sub._parameters.items():
            if p is not None:
                where.setdefault(id(p), []).append((sub, attr, True))
        for attr, b in sub._buffers.items():
            if b is not None:
                where.setdefault(id(b), []).append((sub, attr, False))
    return [places for places in where.values() if len(places) > 1]


def _materialize(module: nn.Module, device: torch.device | str | None) -> None:
    """``to_empty`` a module with meta tensors on ``device``, keeping its ties and warning about
    buffers outside the state_dict (they hold uninitialized memory until the model recomputes them)."""
    state = module.state_dict(keep_vars=True)
    on_meta = [name for name, t in state.items() if t.is_meta]
    if not on_meta:
        return
    if device is None:
        raise ModuleNotCovered(
            f"{len(on_meta)} tensor(s) are on the meta device ({on_meta[0]}, ...): pass device= "
            "('cpu', 'cuda', torch.device(...)) to materialize them there"
        )
    groups = _tie_groups(module)
    module.to_empty(device=device)
    for places in groups:
        owner_module, owner_attr, is_param = places[0]
        table = "_parameters" if is_param else "_buffers"
        shared = getattr(owner_module, table)[owner_attr]
        for sub, attr, _ in places[1:]:
            getattr(sub, table)[attr] = shared
    persistent = set(module.state_dict(keep_vars=True))
    transient = [name for name, _ in module.named_buffers() if name not in persistent]
    if transient:
        warnings.warn(
            f"materialized from meta, the buffers {transient[:5]} are outside the state_dict and hold "
            "uninitialized memory: recompute them (e.g. rotary inv_freq) before use",
            stacklevel=3,
        )

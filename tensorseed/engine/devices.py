"""Devices the engine owns: each one a backend plus one generation worker thread.

One worker per device serializes that device's chunk generation (a GPU runs one kernel stream
at a time; the CPU kernel already uses every core for a single chunk), interleaving the chunks
of concurrent jobs in submission order. A second, *heavy* worker per device runs what computes
a tensor whole (orthogonal QR, torch-exact steps), so a 30-second factorization never sits in
front of a light job's next chunk. ``TENSORSEED_DEVICES`` picks them:
``auto`` (every visible CUDA GPU when torch and triton can use it, else the CPU), ``cpu``, or
a list such as ``cuda:0,cuda:1``.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tensorseed.engine.backend import Backend, ReferenceBackend, cpu_backend
from tensorseed.engine.capacity import MemoryPool
from tensorseed.stream import kernel

log = logging.getLogger("tensorseed")


@dataclass
class Device:
    """A place chunks are generated: its backend, its light and heavy workers, the jobs it serves
    and the memory they hold (set by the engine from its budget)."""

    name: str
    backend: Backend
    detail: str = ""
    active_jobs: int = 0
    light_pool: MemoryPool = field(default_factory=lambda: MemoryPool(0))
    heavy_pool: MemoryPool = field(default_factory=lambda: MemoryPool(0))
    executor: ThreadPoolExecutor = field(init=False)
    heavy_executor: ThreadPoolExecutor = field(init=False)

    def __post_init__(self) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"tensorseed-{self.name}")
        self.heavy_executor = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix=f"tensorseed-{self.name}-heavy"
        )

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.heavy_executor.shutdown(wait=False, cancel_futures=True)


def cuda_device_names() -> list[str]:
    """Visible CUDA devices usable by the Triton kernels (empty without torch CUDA or triton)."""
    try:
        import torch
    except ImportError:
        return []
    if not torch.cuda.is_available():
        return []
    try:
        import triton  # noqa: F401
    except ImportError:
        log.warning("CUDA is visible but triton is not installed: generating on the CPU")
        return []
    return [f"cuda:{i}" for i in range(torch.cuda.device_count())]


def cpu_device(threads: int, cpu_kernel: str) -> Device:
    """The CPU device: the compiled kernel unless told ``reference`` (or it is not built)."""
    if cpu_kernel == "reference":
        return Device("cpu", ReferenceBackend(), "numpy reference (TENSORSEED_CPU_KERNEL=reference)")
    backend = cpu_backend(threads, prefer_kernel=True)
    if backend.name == "reference":
        return Device("cpu", backend, "numpy reference (compiled kernel not built)")
    threads_used = getattr(backend, "threads", 1)
    return Device("cpu", backend, f"compiled kernel, {kernel.isa()}, {threads_used} threads")


def resolve_devices(spec: str, threads: int = 0, cpu_kernel: str = "auto") -> list[Device]:
    """The devices a ``TENSORSEED_DEVICES`` value names; raise ValueError for unusable ones."""
    wanted = [s.strip() for s in spec.split(",") if s.strip()]
    if wanted in ([], ["auto"]):
        wanted = cuda_device_names() or ["cpu"]
    devices: list[Device] = []
    for name in dict.fromkeys(wanted):
        if name == "cpu":
            devices.append(cpu_device(threads, cpu_kernel))
        elif name.startswith("cuda"):
            if name not in cuda_device_names():
                visible = ", ".join(cuda_device_names()) or "none"
                raise ValueError(f"device {name!r} is not available (visible CUDA devices: {visible})")
            from tensorseed.engine.gpu import TritonBackend

            devices.append(Device(name, TritonBackend(name), "triton"))
        else:
            raise ValueError(f"unknown device {name!r}: use auto, cpu or cuda:N[,cuda:M...]")
    for d in devices:
        level = logging.WARNING if d.backend.name == "reference" else logging.INFO
        log.log(level, "device %s: %s (%s)", d.name, d.backend.name, d.detail)
    return devices

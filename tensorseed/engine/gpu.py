"""The CUDA backend: Triton kernels fill a device buffer, copied out through pinned host memory.

Only imported when a CUDA device is configured (it needs torch with CUDA and triton).
"""

from __future__ import annotations

import threading

import torch

from tensorseed.engine.backend import fast_path_can_fill, reference_fill, zeroed_elements
from tensorseed.recipe.plan import TensorPlan
from tensorseed.stream import triton_kernels


class TritonBackend:
    """Bit-identical to the reference (scripts/gpu_check.py proves it on a device)."""

    name = "triton"

    def __init__(self, device: str) -> None:
        self.device = torch.device(device)
        self._stream = torch.cuda.Stream(self.device)  # type: ignore[no-untyped-call]
        self._pinned = torch.empty(0, dtype=torch.uint8).pin_memory()
        # fill() is called from the device worker and from statistics threads: one at a time.
        self._lock = threading.Lock()

    def _host_buffer(self, nbytes: int) -> torch.Tensor:
        if self._pinned.numel() < nbytes:
            self._pinned = torch.empty(nbytes, dtype=torch.uint8).pin_memory()
        return self._pinned[:nbytes]

    def fill(self, tensor: TensorPlan, start: int, count: int) -> bytes:
        if not fast_path_can_fill(tensor):
            return reference_fill(tensor, start, count)
        nbytes = count * tensor.dtype.itemsize
        with self._lock, torch.cuda.device(self.device), torch.cuda.stream(self._stream):
            out = torch.empty(nbytes, dtype=torch.uint8, device=self.device)
            triton_kernels.launch(
                out, tensor.sampler, tensor.key, start, count, tensor.dtype, zeroed_elements(tensor)
            )
            host = self._host_buffer(nbytes)
            host.copy_(out, non_blocking=True)
            self._stream.synchronize()
            return host.numpy().tobytes()

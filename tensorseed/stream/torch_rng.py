"""The torch-exact stream: torch's own CPU generator (MT19937), consumed in recipe order.

This is not portable and not seekable: values equal what ``torch.manual_seed(seed)`` followed
by constructing the same modules in order produces on this torch version and CPU capability
(torch's vectorized ``normal_`` depends on both). To keep memory bounded to one step (layer)
and still serve any tensor or range, the generator state before each step is recorded (a few
KiB each) as the steps first run; a tensor is then produced by restoring the state of its step
and re-running that step only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

#: torch's default CPU generator is process-global: every use of it here is serialized.
_GENERATOR_LOCK = threading.Lock()

#: A step draws from the global generator and returns its tensors by name (recipe order).
Step = Callable[[], dict[str, torch.Tensor]]


def torch_environment() -> dict[str, str]:
    """What torch-exact bytes depend on besides the recipe; recorded in the file metadata."""
    return {
        "tensorseed.torch_version": torch.__version__,
        "tensorseed.torch_cpu_capability": torch.backends.cpu.get_cpu_capability(),
    }


def tensor_bytes(t: torch.Tensor) -> np.ndarray:
    """The little-endian row-major bytes of a CPU tensor as a flat uint8 array, without a copy
    when the tensor is contiguous (bfloat16/float16 through an int16 view)."""
    t = t.detach().contiguous()
    if t.dtype in (torch.bfloat16, torch.float16):
        t = t.view(torch.int16)
    flat: np.ndarray = t.numpy().reshape(-1).view(np.uint8)
    return flat


@dataclass(eq=False)
class TorchProgram:
    """The ordered steps of one recipe under ``torch.manual_seed(seed)``.

    Memory is one step (layer) at a time: the states before each step are recorded lazily, as
    far as the steps asked for, and only the last step produced is kept.
    """

    seed: int
    steps: list[Step]
    _states: list[torch.Tensor] = field(default_factory=list, repr=False)
    _frontier: torch.Tensor | None = field(default=None, repr=False)
    _cached_step: int = field(default=-1, repr=False)
    _cached: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _produce(self, index: int) -> dict[str, torch.Tensor]:
        # Caller holds _GENERATOR_LOCK. A step whose starting state is known is replayed alone;
        # otherwise the steps from the last known state run once, each dropped after it ends.
        with torch.random.fork_rng(devices=[]):
            if index < len(self._states):
                torch.set_rng_state(self._states[index])
                return self.steps[index]()
            if self._frontier is None:
                torch.manual_seed(self.seed)
            else:
                torch.set_rng_state(self._frontier)
            produced: dict[str, torch.Tensor] = {}
            for i in range(len(self._states), index + 1):
                self._states.append(torch.get_rng_state())
                out = self.steps[i]()
                if i == index:
                    produced = out
                del out
            self._frontier = torch.get_rng_state()
            return produced

    def step_bytes(self, index: int) -> dict[str, np.ndarray]:
        """All tensors of step ``index`` as flat byte arrays; the last step asked for stays cached."""
        with self._lock:
            if self._cached_step == index:
                return self._cached
            self._cached, self._cached_step = {}, -1  # free the previous step first
            with _GENERATOR_LOCK:
                produced = self._produce(index)
            self._cached = {name: tensor_bytes(t) for name, t in produced.items()}
            self._cached_step = index
            return self._cached


@dataclass(frozen=True, eq=False)
class TorchDraw:
    """A tensor of the torch-exact stream: parameter ``name`` of step ``step`` of ``program``."""

    program: TorchProgram
    step: int
    name: str
    itemsize: int

    def fill(self, start: int, count: int) -> bytes:
        data = self.program.step_bytes(self.step)[self.name]
        return data[start * self.itemsize : (start + count) * self.itemsize].tobytes()

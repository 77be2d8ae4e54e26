"""The torch-exact stream: torch's own CPU generator (MT19937), consumed in recipe order.

This is not portable and not seekable: values equal what ``torch.manual_seed(seed)`` followed
by constructing the same modules in order produces on this torch version and CPU capability
(torch's vectorized ``normal_`` depends on both). To keep memory bounded and still serve any
tensor or range, a first pass records the generator state before each step (a few KiB each);
a tensor is then produced by restoring the state of its step and re-running that step only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

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


def tensor_bytes(t: torch.Tensor) -> bytes:
    """Little-endian row-major bytes of a CPU tensor (bfloat16/float16 through an int16 view)."""
    t = t.detach().contiguous()
    if t.dtype in (torch.bfloat16, torch.float16):
        t = t.view(torch.int16)
    return bytes(t.numpy().tobytes())


@dataclass(eq=False)
class TorchProgram:
    """The ordered steps of one recipe under ``torch.manual_seed(seed)``."""

    seed: int
    steps: list[Step]
    _states: list[torch.Tensor] | None = field(default=None, repr=False)
    _cached_step: int = field(default=-1, repr=False)
    _cached: dict[str, bytes] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _record_states(self) -> list[torch.Tensor]:
        # Caller holds _GENERATOR_LOCK. One full pass; each step's tensors are dropped at once.
        states = []
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.seed)
            for step in self.steps:
                states.append(torch.get_rng_state())
                step()
        return states

    def step_bytes(self, index: int) -> dict[str, bytes]:
        """All tensors of step ``index`` as bytes; the last step asked for stays cached."""
        with self._lock:
            if self._cached_step == index:
                return self._cached
            with _GENERATOR_LOCK:
                if self._states is None:
                    self._states = self._record_states()
                with torch.random.fork_rng(devices=[]):
                    torch.set_rng_state(self._states[index])
                    produced = self.steps[index]()
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
        return data[start * self.itemsize : (start + count) * self.itemsize]

"""Fan computation, in one place, for torch's weight layout (out, in, *kernel)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from app.recipe.errors import Loc, RecipeError


@dataclass(frozen=True)
class Fans:
    """fan_in / fan_out of a tensor; None where the layout defines none (fewer than 2 dims)."""

    fan_in: int | None
    fan_out: int | None

    def get(self, mode: Literal["fan_in", "fan_out", "fan_avg"], scheme: str, loc: Loc) -> float:
        """The fan a scheme divides by; an error naming the scheme when it is undefined."""
        if self.fan_in is None or self.fan_out is None:
            raise RecipeError(
                loc,
                f"{scheme} needs fan_in and fan_out, which are undefined for tensors with fewer "
                "than 2 dimensions; give fan_in/fan_out explicitly",
            )
        if mode == "fan_in":
            return float(self.fan_in)
        if mode == "fan_out":
            return float(self.fan_out)
        return float(self.fan_in + self.fan_out) / 2.0


def torch_fans(shape: tuple[int, ...]) -> Fans:
    """torch.nn.init._calculate_fan_in_and_fan_out: in = shape[1]*rf, out = shape[0]*rf."""
    if len(shape) < 2:
        return Fans(None, None)
    receptive = math.prod(shape[2:])
    return Fans(shape[1] * receptive, shape[0] * receptive)

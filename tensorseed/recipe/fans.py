"""Fan computation, in one place, for each library's weight layout.

* torch: weight ``(out, in, *kernel)``; ``fan_in = shape[1] * receptive``,
  ``fan_out = shape[0] * receptive`` (``torch.nn.init._calculate_fan_in_and_fan_out``).
* keras: kernel ``(*kernel, in, out)``; 1-D tensors have ``fan_in = fan_out = shape[0]``
  (``keras.src.initializers.random_initializers.compute_fans``).
* jax/flax: ``in_axis`` / ``out_axis`` (default -2 / -1) of tensors with at least 2 dimensions
  (``jax._src.nn.initializers._compute_fans``), computed here with integers:
  ``fan_in = numel / shape[out_axis]``, ``fan_out = numel / shape[in_axis]``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from tensorseed.recipe.errors import Loc, RecipeError

FanName = Literal["fan_in", "fan_out", "fan_avg", "fan_geo_avg"]
#: Where a tensor keeps its output and input channels: torch (out, in, *k) or (*k, in, out).
Layout = Literal["torch", "channels_last"]


@dataclass(frozen=True)
class Fans:
    """fan_in / fan_out of a tensor; None where the layout defines none (fewer than 2 dims)."""

    fan_in: int | None
    fan_out: int | None

    def get(self, mode: FanName, scheme: str, loc: Loc) -> float:
        """The fan a scheme divides by; an error naming the scheme when it is undefined.

        fan_avg = (fan_in + fan_out) / 2 and fan_geo_avg = sqrt(fan_in * fan_out), each from the
        exact integer sum or product rounded once to binary64.
        """
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
        if mode == "fan_avg":
            return float(self.fan_in + self.fan_out) / 2.0
        return math.sqrt(float(self.fan_in * self.fan_out))


def torch_fans(shape: tuple[int, ...]) -> Fans:
    """torch.nn.init._calculate_fan_in_and_fan_out: in = shape[1]*rf, out = shape[0]*rf."""
    if len(shape) < 2:
        return Fans(None, None)
    receptive = math.prod(shape[2:])
    return Fans(shape[1] * receptive, shape[0] * receptive)


def keras_fans(shape: tuple[int, ...]) -> Fans:
    """keras compute_fans: () -> 1, 1; (n,) -> n, n; (in, out); (*k, in, out) with rf = prod(k)."""
    if len(shape) == 0:
        return Fans(1, 1)
    if len(shape) == 1:
        return Fans(shape[0], shape[0])
    receptive = math.prod(shape[:-2])
    return Fans(shape[-2] * receptive, shape[-1] * receptive)


def jax_fans(shape: tuple[int, ...], in_axis: int = -2, out_axis: int = -1) -> Fans:
    """jax _compute_fans without its float division: fan_in = numel/out_size, fan_out = numel/in_size.

    Equal to JAX's ``in_size * receptive`` and ``out_size * receptive`` whenever the axes differ;
    Flax's Embed uses ``out_axis=0`` on (num, features), giving fan_in = features.
    """
    if len(shape) < 2:
        return Fans(None, None)
    numel = math.prod(shape)
    return Fans(numel // shape[out_axis], numel // shape[in_axis])


def layout_of(convention: str) -> Layout:
    """torch keeps (out, in, *k); Keras and Flax keep (*k, in, out)."""
    return "torch" if convention == "torch" else "channels_last"


def convention_fans(shape: tuple[int, ...], convention: str) -> Fans:
    """Fans of a raw tensor in the layout of its convention."""
    if convention == "torch":
        return torch_fans(shape)
    if convention == "keras":
        return keras_fans(shape)
    return jax_fans(shape)

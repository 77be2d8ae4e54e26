"""torch.nn.init.calculate_gain as one table, kept as gain squared (the variance scale).

Keeping the square avoids rounding sqrt(2) and squaring it back: the scale of relu is exactly 2.
"""

from __future__ import annotations

import math

LINEAR_LIKE = frozenset(
    {"linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
     "conv_transpose3d", "sigmoid"}
)  # fmt: skip

DEFAULT_LEAKY_SLOPE = 0.01

#: torch.nn.init.calculate_gain, every nonlinearity it accepts (plus "identity"), as formulas.
GAIN_FORMULAS: dict[str, str] = {
    **{name: "1" for name in sorted(LINEAR_LIKE)},
    "tanh": "5 / 3 (kept as gain^2 = 25 / 9)",
    "relu": "sqrt(2) (kept as gain^2 = 2)",
    "leaky_relu": "sqrt(2 / (1 + negative_slope^2)), negative_slope = param or 0.01",
    "selu": "3 / 4 (kept as gain^2 = 9 / 16)",
}


def gain_squared(nonlinearity: str, param: float | None = None) -> float:
    """Square of torch's recommended gain: 1, 25/9 (tanh), 2 (relu), 2/(1+a^2), 9/16 (selu)."""
    if nonlinearity in LINEAR_LIKE:
        return 1.0
    if nonlinearity == "tanh":
        return 25.0 / 9.0
    if nonlinearity == "relu":
        return 2.0
    if nonlinearity == "leaky_relu":
        slope = DEFAULT_LEAKY_SLOPE if param is None else param
        return 2.0 / (1.0 + slope * slope)
    if nonlinearity == "selu":
        return 9.0 / 16.0
    raise ValueError(f"unsupported nonlinearity {nonlinearity!r}")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The gain itself, as torch reports it (for statistics and the catalogue)."""
    return math.sqrt(gain_squared(nonlinearity, param))

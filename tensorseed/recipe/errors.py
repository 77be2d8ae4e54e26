"""Domain errors: each names the offending field by its location in the recipe."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

Loc = tuple[str | int, ...]


class RecipeError(ValueError):
    """A recipe that validates field by field but cannot be planned (answered with 422)."""

    #: The machine-readable ``error_type`` of the service's error body (and of the CLI's).
    error_type = "invalid_recipe"

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message

    def __str__(self) -> str:
        where = ".".join(str(p) for p in self.loc)
        return f"{where}: {self.message}" if where else self.message


class LimitExceeded(RecipeError):
    """A recipe over a configured size limit (answered with 413, before anything is allocated)."""

    error_type = "limit_exceeded"


def _folded(word: str) -> str:
    return word.lower().replace("_", "").replace("-", "").replace(" ", "")


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice a misspelt ``word`` most likely meant, or None when nothing is close.

    Case, ``_`` and ``-`` are ignored first (``LayerNorm`` -> ``layer_norm``), then difflib's
    ratio picks among near spellings (``kaiming_normall`` -> ``kaiming_normal``).
    """
    options = list(dict.fromkeys(choices))
    folded = {_folded(c): c for c in reversed(options)}
    if _folded(word) in folded:
        return folded[_folded(word)]
    near = difflib.get_close_matches(_folded(word), list(folded), n=1, cutoff=0.6)
    return folded[near[0]] if near else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or an empty string."""
    best = closest(word, choices)
    return f"; did you mean {best!r}?" if best is not None and best != word else ""

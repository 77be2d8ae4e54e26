"""Domain errors: each names the offending field by its location in the recipe."""

from __future__ import annotations

Loc = tuple[str | int, ...]


class RecipeError(ValueError):
    """A recipe that validates field by field but cannot be planned (answered with 422)."""

    def __init__(self, loc: Loc, message: str) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message

    def __str__(self) -> str:
        where = ".".join(str(p) for p in self.loc)
        return f"{where}: {self.message}" if where else self.message


class LimitExceeded(RecipeError):
    """A recipe over a configured size limit (answered with 413, before anything is allocated)."""

from enum import StrEnum


class RecipeRng(StrEnum):
    PORTABLE = "portable"
    TORCH = "torch"

    def __str__(self) -> str:
        return str(self.value)

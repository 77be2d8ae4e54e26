from enum import StrEnum


class RecipeExportType0(StrEnum):
    FLAX = "flax"
    KERAS = "keras"
    TORCH = "torch"

    def __str__(self) -> str:
        return str(self.value)

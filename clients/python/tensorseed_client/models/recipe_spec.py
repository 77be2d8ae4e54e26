from enum import StrEnum


class RecipeSpec(StrEnum):
    TENSORSEED_STREAM1 = "tensorseed-stream/1"
    TENSORSEED_STREAM2 = "tensorseed-stream/2"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class EyeInitScheme(StrEnum):
    EYE = "eye"
    IDENTITY = "identity"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class PropagationRequestPadding(StrEnum):
    CIRCULAR = "circular"
    ZEROS = "zeros"

    def __str__(self) -> str:
        return str(self.value)

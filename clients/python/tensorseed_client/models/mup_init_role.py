from enum import StrEnum


class MupInitRole(StrEnum):
    HIDDEN = "hidden"
    INPUT = "input"
    OUTPUT = "output"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class XavierNormalScheme(StrEnum):
    GLOROT_NORMAL = "glorot_normal"
    XAVIER_NORMAL = "xavier_normal"

    def __str__(self) -> str:
        return str(self.value)

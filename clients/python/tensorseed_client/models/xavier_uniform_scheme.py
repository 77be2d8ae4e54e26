from enum import StrEnum


class XavierUniformScheme(StrEnum):
    GLOROT_UNIFORM = "glorot_uniform"
    XAVIER_UNIFORM = "xavier_uniform"

    def __str__(self) -> str:
        return str(self.value)

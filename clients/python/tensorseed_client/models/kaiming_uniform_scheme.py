from enum import StrEnum


class KaimingUniformScheme(StrEnum):
    HE_UNIFORM = "he_uniform"
    KAIMING_UNIFORM = "kaiming_uniform"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class KaimingNormalScheme(StrEnum):
    HE_NORMAL = "he_normal"
    KAIMING_NORMAL = "kaiming_normal"

    def __str__(self) -> str:
        return str(self.value)

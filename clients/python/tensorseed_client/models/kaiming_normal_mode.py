from enum import StrEnum


class KaimingNormalMode(StrEnum):
    FAN_IN = "fan_in"
    FAN_OUT = "fan_out"

    def __str__(self) -> str:
        return str(self.value)

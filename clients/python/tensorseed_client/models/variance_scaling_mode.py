from enum import StrEnum


class VarianceScalingMode(StrEnum):
    FAN_AVG = "fan_avg"
    FAN_GEO_AVG = "fan_geo_avg"
    FAN_IN = "fan_in"
    FAN_OUT = "fan_out"

    def __str__(self) -> str:
        return str(self.value)

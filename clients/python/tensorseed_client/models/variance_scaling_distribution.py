from enum import StrEnum


class VarianceScalingDistribution(StrEnum):
    NORMAL = "normal"
    TRUNCATED_NORMAL = "truncated_normal"
    UNIFORM = "uniform"
    UNTRUNCATED_NORMAL = "untruncated_normal"

    def __str__(self) -> str:
        return str(self.value)

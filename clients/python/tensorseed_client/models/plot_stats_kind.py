from enum import StrEnum


class PlotStatsKind(StrEnum):
    HISTOGRAMS = "histograms"
    STD = "std"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class CompareRequestNormType0(StrEnum):
    BATCH_NORM = "batch_norm"
    LAYER_NORM = "layer_norm"
    RMS_NORM = "rms_norm"

    def __str__(self) -> str:
        return str(self.value)

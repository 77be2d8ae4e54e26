from enum import StrEnum


class PropagationRequestLayer(StrEnum):
    CONV1D = "conv1d"
    CONV2D = "conv2d"
    CONV3D = "conv3d"
    LINEAR = "linear"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class KaimingUniformNonlinearity(StrEnum):
    CONV1D = "conv1d"
    CONV2D = "conv2d"
    CONV3D = "conv3d"
    CONV_TRANSPOSE1D = "conv_transpose1d"
    CONV_TRANSPOSE2D = "conv_transpose2d"
    CONV_TRANSPOSE3D = "conv_transpose3d"
    IDENTITY = "identity"
    LEAKY_RELU = "leaky_relu"
    LINEAR = "linear"
    RELU = "relu"
    SELU = "selu"
    SIGMOID = "sigmoid"
    TANH = "tanh"

    def __str__(self) -> str:
        return str(self.value)

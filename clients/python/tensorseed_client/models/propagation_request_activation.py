from enum import StrEnum


class PropagationRequestActivation(StrEnum):
    GELU = "gelu"
    LEAKY_RELU = "leaky_relu"
    LINEAR = "linear"
    RELU = "relu"
    SELU = "selu"
    SIGMOID = "sigmoid"
    TANH = "tanh"

    def __str__(self) -> str:
        return str(self.value)

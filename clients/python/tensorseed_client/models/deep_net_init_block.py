from enum import StrEnum


class DeepNetInitBlock(StrEnum):
    DECODER = "decoder"
    ENCODER = "encoder"

    def __str__(self) -> str:
        return str(self.value)

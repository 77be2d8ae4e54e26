from enum import StrEnum


class KaimingNormalConventionType0(StrEnum):
    FLAX = "flax"
    JAX = "jax"
    KERAS = "keras"
    TORCH = "torch"

    def __str__(self) -> str:
        return str(self.value)

# Types of the compiled module built from _kernel.c (see tensorseed/stream/kernel.py for the meaning).
from typing_extensions import Buffer

def generate(
    kind: int,
    params: tuple[float | int, ...],
    key: tuple[int, int, int, int],
    start: int,
    count: int,
    dtype: int,
    zero_lo: int,
    zero_hi: int,
    threads: int,
    /,
) -> bytes: ...
def fill(
    out: Buffer,
    kind: int,
    params: tuple[float | int, ...],
    key: tuple[int, int, int, int],
    start: int,
    count: int,
    dtype: int,
    zero_lo: int,
    zero_hi: int,
    threads: int,
    /,
) -> None: ...
def isa() -> str: ...

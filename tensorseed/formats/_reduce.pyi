# Types of the compiled module built from _reduce.c (see tensorseed/formats/reduce.py for the meaning).
from typing_extensions import Buffer

def reduce(
    data: Buffer, dtype: int, key_counts: Buffer | None, /
) -> tuple[int, float, float, float, float]: ...
def histogram(
    data: Buffer, dtype: int, edges: Buffer, counts: Buffer, table: Buffer | None = None, /
) -> None: ...
def bin_table(dtype: int, edges: Buffer, /) -> bytes: ...

"""Filling memory the caller owns: an element range of a planned tensor straight into a buffer.

This is how the library initializes arrays and tensors in place (``tensorseed.generate``,
``tensorseed.torch.init_``): the compiled kernel writes the elementwise samplers directly into
the destination, on several threads with the GIL released, so no intermediate copy of the
tensor exists. What the kernel does not implement (position-defined and orthogonal samplers,
int64 buffers, torch-exact tensors; or no compiled kernel at all) comes from the reference
backend in bounded chunks copied into place. The bytes are the file's either way.
"""

from __future__ import annotations

from typing_extensions import Buffer

from tensorseed.engine.backend import fast_path_can_fill, reference_fill, zeroed_elements
from tensorseed.engine.chunks import chunk_ranges
from tensorseed.engine.gather import permuted_fill
from tensorseed.recipe.plan import TensorPlan
from tensorseed.stream import kernel

#: Elements per reference chunk copied into place (bounds the temporary memory of that path).
REFERENCE_CHUNK_ELEMENTS = 1 << 18


def uses_kernel(tensor: TensorPlan) -> bool:
    """Whether ``fill_into`` writes this tensor with the compiled kernel (else the reference)."""
    return kernel.AVAILABLE and fast_path_can_fill(tensor)


def fill_into(out: Buffer, tensor: TensorPlan, start: int, count: int, threads: int = 0) -> None:
    """Write elements [start, start + count) of ``tensor`` into ``out``, little-endian.

    ``out`` is a writable C-contiguous buffer of at least ``count * itemsize`` bytes (a numpy
    array, a ``memoryview`` slice of one, the storage of a CPU torch tensor). ``threads`` <= 0
    uses every CPU this process may run on.
    """
    if count <= 0:
        return
    view = memoryview(out).cast("B")
    itemsize = tensor.dtype.itemsize
    if view.readonly:
        raise ValueError("the destination buffer is read-only")
    if view.nbytes < count * itemsize:
        raise ValueError(f"the destination holds {view.nbytes} bytes, {count * itemsize} are needed")
    if uses_kernel(tensor):
        kernel.fill(
            view,
            tensor.sampler,
            tensor.key,
            start,
            count,
            tensor.dtype,
            zeroed_elements(tensor),
            threads if threads > 0 else kernel.default_threads(),
        )
        return
    for pos, n in chunk_ranges(start, start + count, REFERENCE_CHUNK_ELEMENTS):
        lo = (pos - start) * itemsize
        permuted = permuted_fill(tensor, pos, n)  # an exported, transposed kernel: runs by the kernel
        view[lo : lo + n * itemsize] = permuted if permuted is not None else reference_fill(tensor, pos, n)

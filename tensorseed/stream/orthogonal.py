"""Orthogonal samplers (tolerance tier): a Gaussian matrix from the portable stream, then QR.

The Gaussian input is exact (element e is ``Normal(0, 1)`` of e's words); the QR factorization
(LAPACK ``dgeqrf``/``dorgqr`` through ``numpy.linalg.qr``) is not specified to the bit, so bytes
are reproducible across runs and processes on the same numpy/LAPACK build, and elsewhere agree to
the bound of ``docs/stream-spec.md`` section 6.3. Each tensor is computed whole and sliced: the
element limit for these schemes keeps that bounded, and finished matrices are kept in
``MATRICES``, a cache bounded in bytes whose entries a running job can pin (so a job's own
matrix is never recomputed while it streams it, whatever other jobs do to the cache).
"""

from __future__ import annotations

import ctypes
import glob
import math
import os
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

import numpy as np

from tensorseed.stream.fmath import F64
from tensorseed.stream.key import StreamKey
from tensorseed.stream.samplers import Indexed, Normal, sample

#: Largest tensor an orthogonal scheme may fill (elements): 128 MiB of binary64 while computing.
ORTHOGONAL_MAX_ELEMENTS = 1 << 24
#: Peak working memory of computing one orthogonal matrix, in multiples of its binary64 size:
#: the Gaussian input, LAPACK's copy of it, R and Q: 5.1 measured (scripts/measure_heavy_memory.py).
ORTHOGONAL_WORK_FACTOR = 6
#: Elements of the Gaussian input generated per pass (the reference sampler's temporaries are
#: about ten binary64 values per element: 20 MiB a pass, not 10x the whole matrix).
_GAUSSIAN_BATCH = 1 << 18


class MatrixCache:
    """Finished matrices by identity, at most ``capacity`` bytes of them unpinned (LRU order).

    ``get`` computes a missing matrix once even when several threads ask for it together.
    A pinned matrix (a job streaming it) is never evicted and does not count against the
    capacity: its bytes are part of the pinning job's declared memory.
    """

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[Hashable, F64] = OrderedDict()
        self._pins: Counter[Hashable] = Counter()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        #: Matrices computed since start (a cache that thrashes shows here).
        self.computed = 0

    def get(self, ident: Hashable, compute: Callable[[], F64]) -> F64:
        with self._lock:
            if ident in self._entries:
                self._entries.move_to_end(ident)
                return self._entries[ident]
            flight = self._computing.setdefault(ident, threading.Lock())
        with flight:
            with self._lock:
                if ident in self._entries:
                    return self._entries[ident]
            value = compute()
            with self._lock:
                self.computed += 1
                self._entries[ident] = value
                self._computing.pop(ident, None)
                self._evict()
            return value

    def pin(self, ident: Hashable) -> None:
        with self._lock:
            self._pins[ident] += 1

    def unpin(self, ident: Hashable) -> None:
        with self._lock:
            self._pins[ident] -= 1
            if self._pins[ident] <= 0:
                del self._pins[ident]
            self._evict()

    def resize(self, capacity: int) -> None:
        with self._lock:
            self.capacity = capacity
            self._evict()

    @property
    def unpinned_bytes(self) -> int:
        with self._lock:
            return sum(v.nbytes for k, v in self._entries.items() if k not in self._pins)

    def __contains__(self, ident: Hashable) -> bool:
        with self._lock:
            return ident in self._entries

    def _evict(self) -> None:
        # Caller holds _lock. Oldest unpinned entries go first.
        unpinned = [k for k in self._entries if k not in self._pins]
        total = sum(self._entries[k].nbytes for k in unpinned)
        for k in unpinned:
            if total <= self.capacity:
                break
            total -= self._entries.pop(k).nbytes


#: The process's finished orthogonal matrices; the service sets its capacity from its settings.
MATRICES = MatrixCache(256 * 1024 * 1024)


@cache
def _openblas_local_threads() -> Callable[[int], int] | None:
    """numpy's bundled OpenBLAS ``openblas_set_num_threads_local`` (per calling thread), if present."""
    libs = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs", "lib*openblas*.so*")
    for path in sorted(glob.glob(libs)):
        try:
            fn = ctypes.CDLL(path).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.argtypes, fn.restype = [ctypes.c_int], ctypes.c_int
        setter: Callable[[int], int] = fn
        return setter
    return None


@contextmanager
def single_threaded_lapack() -> Iterator[None]:
    """Run LAPACK on the calling thread only: the fixed blocking of one thread, and no spinning
    worker threads fighting the engine's own threads (a 1000 x 1000 QR: 0.4 s instead of 9 s on
    two busy cores). Without numpy's bundled OpenBLAS this is a no-op."""
    fn = _openblas_local_threads()
    previous = fn(1) if fn is not None else None
    try:
        yield
    finally:
        if fn is not None and previous is not None:
            fn(previous)


def orthonormalize(m: F64) -> F64:
    """Q of the QR factorization with the sign fix of Mezzadri (2007), as torch and JAX apply it.

    A (r, c) matrix with r >= c gets orthonormal columns; with r < c the factorization runs on its
    transpose, so the result has orthonormal rows.
    """
    transpose = m.shape[0] < m.shape[1]
    a = m.T if transpose else m
    with single_threaded_lapack():
        q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))  # in place: the same products as q * sign, without another copy
    out: F64 = q.T if transpose else q
    return out


def gaussian(key: StreamKey, numel: int) -> F64:
    """The exact Gaussian input: element e is Normal(0, 1) from words 2e, 2e + 1.

    Generated in bounded passes (the stream is seekable, so the bytes equal one whole pass).
    """
    out = np.empty(numel, dtype=np.float64)
    for pos in range(0, numel, _GAUSSIAN_BATCH):
        n = min(_GAUSSIAN_BATCH, numel - pos)
        out[pos : pos + n] = sample(Normal(0.0, 1.0), key, pos, n, False)
    return out


@dataclass(frozen=True)
class Orthogonal(Indexed):
    """gain * Q. ``column_axis`` None: torch rows semantics on the (shape[0], rest) matrix;
    otherwise JAX/Keras columns semantics on the (rest, shape[column_axis]) matrix.
    """

    shape: tuple[int, ...]
    gain: float
    column_axis: int | None

    @property
    def matrix_shape(self) -> tuple[int, int]:
        numel = math.prod(self.shape)
        if self.column_axis is None:
            return self.shape[0], numel // self.shape[0]
        cols = self.shape[self.column_axis]
        return numel // cols, cols

    def values(self, key: StreamKey, start: int, count: int, wide: bool) -> F64:
        whole = MATRICES.get(matrix_identity(self, key), lambda: _orthogonal_tensor(self, key))
        return whole[start : start + count].copy()

    @property
    def work_bytes(self) -> int:
        """Peak bytes of computing this tensor (see ORTHOGONAL_WORK_FACTOR)."""
        return ORTHOGONAL_WORK_FACTOR * 8 * math.prod(self.shape)

    def expected(self) -> dict[str, float | None]:
        rows, cols = self.matrix_shape
        mean_square = self.gain * self.gain * min(rows, cols) / (rows * cols)
        return {"mean": 0.0, "std": math.sqrt(mean_square), "min": -self.gain, "max": self.gain}

    def extremes(self) -> tuple[float, ...]:
        return (self.gain,)


def matrix_identity(sampler: Orthogonal | DeltaOrthogonal, key: StreamKey) -> Hashable:
    """The MATRICES key of a sampler's matrix (what the engine pins while a job uses it)."""
    return (type(sampler).__name__, sampler, key)


def _orthogonal_tensor(sampler: Orthogonal, key: StreamKey) -> F64:
    g = gaussian(key, math.prod(sampler.shape)).reshape(sampler.shape)
    if sampler.column_axis is None:
        q = orthonormalize(g.reshape(sampler.matrix_shape))
        del g
        q *= sampler.gain
        return q.reshape(-1)
    moved = np.moveaxis(g, sampler.column_axis, -1)
    q = orthonormalize(moved.reshape(sampler.matrix_shape)).reshape(moved.shape)
    del g, moved
    q *= sampler.gain
    return np.moveaxis(q, -1, sampler.column_axis).reshape(-1)


@dataclass(frozen=True)
class DeltaOrthogonal(Indexed):
    """JAX delta_orthogonal: an orthogonal (in, out) matrix at the centre tap ((k - 1) // 2), 0 elsewhere.

    torch layout (out, in, *k): the (out, in) matrix gets orthonormal columns (torch rows semantics
    with out >= in). Channels-last (*k, in, out): the (in, out) matrix gets orthonormal rows (JAX).
    Its Gaussian input is elements 0 .. in*out - 1 of the stream, laid out as that matrix.
    """

    shape: tuple[int, ...]
    gain: float
    channels_last: bool

    @property
    def matrix_shape(self) -> tuple[int, int]:
        return (self.shape[-2], self.shape[-1]) if self.channels_last else (self.shape[0], self.shape[1])

    @property
    def centre_index(self) -> int:
        """Flat index of the (0, 0) entry of the centre tap's matrix, in the tensor's layout."""
        kernel = self.shape[:-2] if self.channels_last else self.shape[2:]
        centre = tuple((k - 1) // 2 for k in kernel)
        if self.channels_last:
            return int(np.ravel_multi_index((*centre, 0, 0), self.shape))
        return int(np.ravel_multi_index((0, 0, *centre), self.shape))

    @property
    def work_bytes(self) -> int:
        """Peak bytes of computing the centre tap's matrix (see ORTHOGONAL_WORK_FACTOR)."""
        rows, cols = self.matrix_shape
        return ORTHOGONAL_WORK_FACTOR * 8 * rows * cols

    def values(self, key: StreamKey, start: int, count: int, wide: bool) -> F64:
        matrix = MATRICES.get(matrix_identity(self, key), lambda: _delta_matrix(self, key))
        e = np.arange(start, start + count, dtype=np.int64)
        out = np.zeros(count, dtype=np.float64)
        rows, cols = self.matrix_shape
        if self.channels_last:
            # The centre tap's (in, out) matrix is contiguous.
            offset = e - self.centre_index
            hit = (offset >= 0) & (offset < rows * cols)
            out[hit] = matrix.reshape(-1)[offset[hit]]
            return out
        # torch layout: entry (o, i) of the centre tap sits at (o * in + i) * receptive + centre.
        receptive = math.prod(self.shape[2:])
        within = e % receptive
        pair = e // receptive
        hit = within == self.centre_index
        out[hit] = matrix.reshape(-1)[pair[hit]]
        return out

    def expected(self) -> dict[str, float | None]:
        rows, cols = self.matrix_shape
        mean_square = self.gain * self.gain * min(rows, cols) / math.prod(self.shape)
        return {"mean": 0.0, "std": math.sqrt(mean_square), "min": -self.gain, "max": self.gain}

    def extremes(self) -> tuple[float, ...]:
        return (self.gain,)


def _delta_matrix(sampler: DeltaOrthogonal, key: StreamKey) -> F64:
    rows, cols = sampler.matrix_shape
    q: F64 = orthonormalize(gaussian(key, rows * cols).reshape(rows, cols))
    q *= sampler.gain
    return q

"""Admission control: bounded running slots and queues, byte budgets, per-client caps.

Everything here answers at once: a job that cannot be admitted now gets ``OverCapacity`` (the
service's 429 with Retry-After) and one that could never be admitted gets ``JobTooLarge`` (413);
only a free running slot is waited for, in a bounded queue.
"""

from __future__ import annotations

import asyncio
from collections import Counter


class OverCapacity(Exception):
    """Raised when a job cannot be admitted now; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: int, message: str = "the service is at capacity; retry later") -> None:
        super().__init__(message)
        self.retry_after = retry_after


class JobTooLarge(Exception):
    """A job whose declared memory exceeds what its pool could ever give it (413).

    ``setting`` names the configuration field that bounds it.
    """

    def __init__(self, needed: int, available: int, setting: str, what: str) -> None:
        mib = 1024 * 1024
        super().__init__(
            f"{what} needs {needed / mib:.1f} MiB of working memory, more than the "
            f"{available / mib:.1f} MiB this server can give one job ({setting})"
        )
        self.needed = needed
        self.available = available
        self.setting = setting


class JobSlots:
    """At most ``running`` jobs at once and ``queued`` waiting; more are refused at once."""

    def __init__(self, running: int, queued: int, retry_after: int) -> None:
        self._semaphore = asyncio.Semaphore(running)
        self._capacity = running + queued
        self._admitted = 0
        self.retry_after = retry_after

    @property
    def admitted(self) -> int:
        return self._admitted

    async def acquire(self) -> None:
        """Wait for a running slot, or raise OverCapacity if the queue is full too."""
        if self._admitted >= self._capacity:
            raise OverCapacity(self.retry_after)
        self._admitted += 1
        try:
            await self._semaphore.acquire()
        except BaseException:
            self._admitted -= 1
            raise

    def release(self) -> None:
        self._admitted -= 1
        self._semaphore.release()


class MemoryPool:
    """Bytes a set of jobs may hold at once; taking more than is free fails at once."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.used = 0

    def try_take(self, n: int) -> bool:
        if self.used + n > self.capacity:
            return False
        self.used += n
        return True

    def give_back(self, n: int) -> None:
        self.used -= n


class ClientCaps:
    """At most ``limit`` things at once per client key (0: no cap)."""

    def __init__(self, limit: int, retry_after: int) -> None:
        self.limit = limit
        self.retry_after = retry_after
        self._held: Counter[str] = Counter()

    def take(self, client: str) -> None:
        if self.limit and self._held[client] >= self.limit:
            raise OverCapacity(
                self.retry_after,
                f"this client already has {self.limit} requests in progress (the per-client limit); "
                "retry when one ends",
            )
        self._held[client] += 1

    def give_back(self, client: str) -> None:
        self._held[client] -= 1
        if self._held[client] <= 0:
            del self._held[client]

    def held(self, client: str) -> int:
        return self._held[client]

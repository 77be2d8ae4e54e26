"""Admission control: a bounded number of running jobs, a bounded queue, 429 beyond it."""

from __future__ import annotations

import asyncio


class OverCapacity(Exception):
    """Raised when both the running slots and the queue are full."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("the service is at capacity; retry later")
        self.retry_after = retry_after


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

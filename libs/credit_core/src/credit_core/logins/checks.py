"""Password checks off the request path: a few at a time, at the lowest CPU priority.

argon2 costs 64 MiB and tens of milliseconds of CPU per check, on purpose. Run in the web
server's own thread pool, a flood of sign-ins starved the scoring requests and grew the process
by 64 MiB per concurrent check. Here the checks have a pool of their own with ``limit`` threads
(so at most ``limit`` x 64 MiB), niced to 19 (argon2's own lane threads inherit it), so that the
scheduler serves scoring first. Up to ``queue`` more sign-ins wait for a slot without costing
anything (a flooding client waits instead of spinning); one more is refused at once
(``ChecksBusy``, answered 503 with Retry-After).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["ChecksBusy", "PasswordChecks"]

T = TypeVar("T")


class ChecksBusy(Exception):
    """Every password-check slot is taken and the queue is full: retry in ``retry_after`` s."""

    retry_after = 1


def _lowest_priority() -> None:
    """Nice the pool's thread (Linux: per thread; children inherit it). Best effort."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


class PasswordChecks:
    """Runs password checks in a dedicated low-priority pool, at most ``limit`` at once."""

    def __init__(self, limit: int = 2, queue: int = 32) -> None:
        self.limit = limit
        self.queue = queue
        self._slots = asyncio.Semaphore(limit)
        self._waiting = 0
        self._pool = ThreadPoolExecutor(max_workers=limit, thread_name_prefix="password-check",
                                        initializer=_lowest_priority)

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one of the ``limit`` slots (waiting in the bounded queue); ``ChecksBusy`` at
        once when the queue is full.

        A sign-in takes its slot before anything else (the throttle's database work too), so
        that a flood costs the database and the CPU no more than ``limit`` sign-ins at a time.
        """
        if self._slots.locked() and self._waiting >= self.queue:
            raise ChecksBusy
        self._waiting += 1  # one event loop: no lock needed
        try:
            await self._slots.acquire()
        finally:
            self._waiting -= 1
        try:
            yield
        finally:
            self._slots.release()

    async def call(self, check: Callable[..., T], *args: object) -> T:
        """``check(*args)`` in the pool (the caller holds a ``slot``)."""
        return await asyncio.wrap_future(self._pool.submit(check, *args))

    async def run(self, check: Callable[..., T], *args: object) -> T:
        """``check(*args)`` in the pool, in a slot of its own."""
        async with self.slot():
            return await self.call(check, *args)

    def close(self) -> None:
        """Stop the pool's threads (the app's shutdown)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

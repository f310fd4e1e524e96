"""Password checks off the request path, a few at a time.

argon2 costs 64 MiB and tens of milliseconds of CPU per check, on purpose. Run in the web
server's own thread pool, a flood of sign-ins would starve the scoring requests and grow the
process by 64 MiB per concurrent check. Here the checks have a pool of their own, with
``limit`` threads, and at most ``limit`` run or wait at once: one more is refused at once
(``ChecksBusy``, answered 503 with Retry-After) rather than queued.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["ChecksBusy", "PasswordChecks"]

T = TypeVar("T")


class ChecksBusy(Exception):
    """Every password-check slot is taken: try again in ``retry_after`` seconds."""

    retry_after = 1


class PasswordChecks:
    """Runs password checks in a dedicated pool, at most ``limit`` at once."""

    def __init__(self, limit: int = 2) -> None:
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit)
        self._pool = ThreadPoolExecutor(max_workers=limit, thread_name_prefix="password-check")

    async def run(self, check: Callable[..., T], *args: object) -> T:
        """``check(*args)`` in the pool; ``ChecksBusy`` at once when every slot is taken."""
        if not self._slots.acquire(blocking=False):
            raise ChecksBusy
        try:
            return await asyncio.wrap_future(self._pool.submit(check, *args))
        finally:
            self._slots.release()

    def close(self) -> None:
        """Stop the pool's threads (the app's shutdown)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

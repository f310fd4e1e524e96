"""Periodic runs at a fixed rate that never overlap: a tick while the previous run is still
going is skipped (and logged), not queued."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["Scheduler"]

logger = logging.getLogger("credit.monitoring.schedule")


class Scheduler:
    """Calls ``job`` every ``interval`` seconds in a worker thread, one call at a time."""

    def __init__(self, interval: float, job: Callable[[], Any], name: str = "drift run",
                 on_skip: Callable[[], Any] | None = None) -> None:
        self.interval = interval
        self.job = job
        self.name = name
        self.on_skip = on_skip
        self.started = self.skipped = self.failed = 0
        self._running = threading.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()

    def tick(self) -> bool:
        """Run the job now unless a run is still going (then skip); whether it ran."""
        if not self._running.acquire(blocking=False):
            self.skipped += 1
            if self.on_skip:
                self.on_skip()
            logger.warning("scheduled %s skipped: the previous one is still running", self.name)
            return False
        try:
            self.started += 1
            self.job()
        except Exception:  # a failed run must not stop the schedule
            self.failed += 1
            logger.exception("scheduled %s failed", self.name)
        finally:
            self._running.release()
        return True

    async def run_forever(self) -> None:
        """Tick at a fixed rate; each tick runs in a thread so that a long run never delays
        the next tick (which then skips)."""
        loop = asyncio.get_running_loop()
        next_tick = loop.time() + self.interval
        try:
            while True:
                await asyncio.sleep(max(0.0, next_tick - loop.time()))
                next_tick += self.interval
                task = asyncio.create_task(asyncio.to_thread(self.tick))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        finally:
            for task in list(self._tasks):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

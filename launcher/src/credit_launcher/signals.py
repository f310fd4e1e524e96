"""The supervisor's stop requests: SIGINT, SIGTERM and SIGHUP counted, never raised."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["DUPLICATE_SIGNAL_SECONDS", "Signals", "trapped_signals"]

#: A repeat of the same signal this soon after it is the same request, not "force it now":
#: Ctrl-C under `uv run` (as `make run` starts us) reaches us twice, once from the terminal and
#: once forwarded by uv, and used to turn a graceful stop into SIGKILLs.
DUPLICATE_SIGNAL_SECONDS = 1.0


class Signals:
    """Counts SIGINT/SIGTERM/SIGHUP instead of raising, so that shutdown is always ours; the
    same signal again within DUPLICATE_SIGNAL_SECONDS counts once."""

    def __init__(self) -> None:
        self.count = 0
        self.name = ""
        self._last: tuple[int, float] | None = None

    def __call__(self, signum: int, _frame: object) -> None:
        now = time.monotonic()
        if self._last is not None and self._last[0] == signum \
                and now - self._last[1] < DUPLICATE_SIGNAL_SECONDS:
            return
        self._last = (signum, now)
        self.count += 1
        self.name = signal.Signals(signum).name


@contextmanager
def trapped_signals() -> Iterator[Signals]:
    """Count the stop signals while inside; the previous handlers come back on the way out."""
    received = Signals()
    names = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {signum: signal.signal(signum, received) for signum in names}
    try:
        yield received
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

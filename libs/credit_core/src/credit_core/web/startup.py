"""Start-up helpers: wait for the database with a bounded retry instead of crash-looping."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy import Engine, text

__all__ = ["wait_for_database"]

logger = logging.getLogger("credit.startup")


def wait_for_database(engine: Callable[[], Engine], timeout_seconds: float) -> bool:
    """True once the database answers; False after ``timeout_seconds`` (the service then
    starts not-ready and recovers by itself when the database comes back)."""
    deadline = time.monotonic() + timeout_seconds
    delay = 0.25
    while True:
        try:
            with engine().connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception as error:  # any failure to connect: retry until the deadline
            if time.monotonic() >= deadline:
                logger.warning("database not reachable at start-up: %s", error)
                return False
            time.sleep(delay)
            delay = min(delay * 2, 2.0)

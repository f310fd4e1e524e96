"""One sign-in, throttled and bounded: what every login route of the platform goes through."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from typing import TypeVar

from credit_core.logins.checks import PasswordChecks
from credit_core.logins.throttle import LoginThrottle

__all__ = ["LoginGate", "Throttled"]

T = TypeVar("T")


class Throttled(Exception):
    """Too many recent failures for this account or source: wait ``retry_after`` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many failed sign-ins: wait {math.ceil(retry_after)} s")
        self.retry_after = max(1, math.ceil(retry_after))


class LoginGate:
    """The throttle before the check, the check in its own bounded pool, the outcome counted."""

    def __init__(self, throttle: LoginThrottle, checks: PasswordChecks) -> None:
        self.throttle = throttle
        self.checks = checks

    async def sign_in(self, name: str, source: str, check: Callable[[], T | None]) -> T | None:
        """``check()``'s account, or None for a wrong secret (counted as a failure).

        Raises ``Throttled`` before any password work while a delay runs, and
        ``ChecksBusy`` when every password-check slot is taken.
        """
        async with self.checks.slot():
            # Inside the slot: a flood reaches the database no more than the checks do. The
            # throttle's queries run at normal priority (a niced thread holding SQLite's
            # write lock would hold up the scoring audit).
            wait = await asyncio.to_thread(self.throttle.retry_after, name, source)
            if wait > 0:
                raise Throttled(wait)
            account = await self.checks.call(check)
            record = self.throttle.failed if account is None else self.throttle.succeeded
            await asyncio.to_thread(record, name, source)
        return account

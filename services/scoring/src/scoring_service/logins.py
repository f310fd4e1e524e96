"""Dashboard logins: checking an advisor's password, throttling repeated failures.

(The advisor's final decision on a scored application is stored by credit_core.db.reviews.)
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from sqlalchemy import Engine, select

from credit_core.auth import verify_secret
from credit_core.db import users

__all__ = ["Login", "LoginThrottle", "check_login"]

DASHBOARD_ROLES = ("advisor", "admin")


class LoginThrottle:
    """At most ``attempts`` failed logins per user name in ``window`` seconds (per process)."""

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts = attempts
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, username: str) -> bool:
        now = time.monotonic()
        with self._lock:
            failures = self._failures[username]
            while failures and failures[0] < now - self.window:
                failures.popleft()
            return len(failures) >= self.attempts

    def failed(self, username: str) -> None:
        with self._lock:
            self._failures[username].append(time.monotonic())

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(username, None)


@dataclass(frozen=True)
class Login:
    username: str
    role: str


def check_login(engine: Engine, username: str, password: str) -> Login | None:
    """The account when the password matches an enabled dashboard account, else None."""
    with engine.connect() as connection:
        row = connection.execute(
            select(users.c.username, users.c.password_hash, users.c.role, users.c.disabled)
            .where(users.c.username == username)
        ).first()
    if row is None or row.disabled or row.role not in DASHBOARD_ROLES:
        # Same work as a real check, so that timing does not reveal which names exist.
        verify_secret("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$" + "A" * 43, password)
        return None
    if not verify_secret(row.password_hash, password):
        return None
    return Login(row.username, row.role)

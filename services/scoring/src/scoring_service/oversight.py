"""Advisors: checking a dashboard login, and recording the advisor's final decision."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from credit_core.auth import verify_secret
from credit_core.db import decision_reviews, decisions, users

__all__ = ["AlreadyReviewed", "LoginThrottle", "UnknownDecision", "check_login", "record_review"]

DASHBOARD_ROLES = ("advisor", "admin")


class UnknownDecision(LookupError):
    pass


class AlreadyReviewed(Exception):
    pass


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


def record_review(engine: Engine, decision_id: str, final_decision: str, comment: str | None,
                  advisor: str, caller: str) -> dict[str, Any]:
    """Store the advisor's final decision; an override of the model needs a justification."""
    with engine.begin() as connection:
        model_decision = connection.execute(
            select(decisions.c.decision).where(decisions.c.decision_id == decision_id)
        ).scalar_one_or_none()
        if model_decision is None:
            raise UnknownDecision(decision_id)
        override = final_decision != model_decision
        if override and not (comment and comment.strip()):
            raise ValueError("a comment justifying the override of the model is required")
        review = {
            "decision_id": decision_id, "model_decision": model_decision,
            "final_decision": final_decision, "override": override, "advisor": advisor,
            "comment": comment.strip() if comment else None, "api_key_name": caller,
            "reviewed_at": datetime.now(UTC),
        }
        try:
            with connection.begin_nested():
                connection.execute(insert(decision_reviews).values(**review))
        except IntegrityError as error:
            raise AlreadyReviewed(decision_id) from error
    review.pop("api_key_name")
    return review

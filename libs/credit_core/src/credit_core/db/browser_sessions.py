"""Browser sessions in the database: opened at sign-in, closed at sign-out, revoked with their
user, expired after ``idle`` without a request. Any replica sees the same sessions.

The cookie carries a random session id; the table keeps only its SHA-256, so that reading the
table gives no usable cookie.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update

from credit_core.db.tables import sessions

__all__ = ["DatabaseSessionStore", "close_session", "open_session", "revoke_sessions_of",
           "session_active"]

#: last_seen_at is written at most this often per session (not on every request).
_TOUCH_EVERY = timedelta(seconds=60)
#: Closed and idle rows are deleted this long after their last use.
_KEEP = timedelta(days=7)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def open_session(engine: Engine, kind: str, name: str, role: str) -> str:
    """A new session for ``name``: its id (to put in the signed cookie)."""
    session_id = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(delete(sessions).where(sessions.c.last_seen_at < now - _KEEP))
        connection.execute(insert(sessions).values(
            id=_digest(session_id), kind=kind, name=name, role=role, created_at=now,
            last_seen_at=now, revoked_at=None))
    return session_id


def session_active(engine: Engine, kind: str, session_id: str, idle: timedelta) -> bool:
    """True while the session is open and was used within ``idle`` (and marks it used)."""
    now = datetime.now(UTC)
    digest = _digest(session_id)
    with engine.connect() as connection:
        row = connection.execute(select(sessions.c.last_seen_at, sessions.c.revoked_at).where(
            sessions.c.id == digest, sessions.c.kind == kind)).first()
    if row is None or row.revoked_at is not None:
        return False
    last_seen = row.last_seen_at if row.last_seen_at.tzinfo else row.last_seen_at.replace(
        tzinfo=UTC)  # SQLite gives naive datetimes back: they were written in UTC
    if last_seen < now - idle:
        return False
    if last_seen < now - _TOUCH_EVERY:
        with engine.begin() as connection:
            connection.execute(update(sessions).where(sessions.c.id == digest)
                               .values(last_seen_at=now))
    return True


def close_session(engine: Engine, kind: str, session_id: str) -> None:
    """End one session (sign-out)."""
    with engine.begin() as connection:
        connection.execute(update(sessions).where(
            sessions.c.id == _digest(session_id), sessions.c.kind == kind,
            sessions.c.revoked_at.is_(None)).values(revoked_at=datetime.now(UTC)))


def revoke_sessions_of(engine: Engine, name: str) -> int:
    """End every open session of ``name`` (password change, user removal): how many."""
    with engine.begin() as connection:
        result = connection.execute(update(sessions).where(
            sessions.c.name == name, sessions.c.revoked_at.is_(None))
            .values(revoked_at=datetime.now(UTC)))
    return result.rowcount


class DatabaseSessionStore:
    """The store of one cookie's sessions (``kind``), for ``SessionCookie(store=...)``."""

    def __init__(self, engine: Callable[[], Engine], kind: str, idle: timedelta) -> None:
        self._engine = engine
        self.kind = kind
        self.idle = idle

    def open(self, name: str, role: str) -> str:
        """A new session's id."""
        return open_session(self._engine(), self.kind, name, role)

    def active(self, session_id: str) -> bool:
        """Whether the session is open and not idle."""
        return session_active(self._engine(), self.kind, session_id, self.idle)

    def close(self, session_id: str) -> None:
        """End the session."""
        close_session(self._engine(), self.kind, session_id)

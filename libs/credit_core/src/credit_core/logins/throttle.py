"""Throttling failed sign-ins with growing delays, shared by the replicas through the database.

The rule (docs/reliability.md): each source address and each account may fail
``free_failures`` times; every further failure makes the next attempt wait twice as long as
the last (1 s, 2 s, 4 s ... up to ``max_delay``). The account's delay does not apply to a
source where the account signed in successfully before (a *known-good* source, remembered for
``good_days``): an attacker who hammers ``admin`` from elsewhere slows himself down, not the
owner. The owner can also clear the account's delay: ``credit users unlock NAME``. A success
clears the account's and the source's failures. A row is dropped a day after its last failure
(known-good ones after ``good_days``), so the table stays as small as the recent attacks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from credit_core.db.tables import login_failures

__all__ = ["LoginThrottle", "ThrottleRule"]

_table = login_failures

@dataclass(frozen=True)
class ThrottleRule:
    """How many failures are free, how fast the delay grows and how long things are kept."""

    free_failures: int = 5
    #: Several people may share an address (an office behind NAT): more failures are free.
    address_free_failures: int = 20
    max_delay: float = 900.0
    forget_after: timedelta = timedelta(days=1)
    good_days: int = 30

    def delay(self, failures: int, free: int) -> float:
        """Seconds to wait after ``failures`` failures (0 while they are free)."""
        if failures <= free:
            return 0.0
        return float(min(self.max_delay, 2.0 ** min(failures - free - 1, 30)))

def _user(name: str) -> str:
    return f"user:{name}"

def _address(source: str) -> str:
    return f"addr:{source[:64]}"

def _good(name: str, source: str) -> str:
    return f"good:{name}:{source[:64]}"

class LoginThrottle:
    """The throttle over the ``login_failures`` table (``engine``: a callable, opened late)."""

    def __init__(self, engine: Callable[[], Engine], rule: ThrottleRule | None = None) -> None:
        self._engine = engine
        self.rule = rule or ThrottleRule()

    def retry_after(self, name: str, source: str) -> float:
        """0 when ``name`` may try to sign in from ``source`` now, else the seconds to wait."""
        now = datetime.now(UTC)
        keys = (_user(name), _address(source), _good(name, source))
        with self._engine().connect() as connection:
            rows = {row.key: row for row in connection.execute(
                select(_table.c.key, _table.c.blocked_until, _table.c.updated_at)
                .where(_table.c.key.in_(keys)))}
        known_good = keys[2] in rows and _aware(rows[keys[2]].updated_at) > now - timedelta(
            days=self.rule.good_days)
        waits = [0.0]
        for key in keys[:2]:
            if key == keys[0] and known_good:
                continue  # the owner's usual place: the account's delay is the attacker's
            row = rows.get(key)
            if row is not None and row.blocked_until is not None:
                waits.append((_aware(row.blocked_until) - now).total_seconds())
        return max(waits)

    def failed(self, name: str, source: str) -> None:
        """Count a failure against the account and the source (and prune old rows)."""
        now = datetime.now(UTC)
        with self._engine().begin() as connection:
            for key, free in ((_user(name), self.rule.free_failures),
                              (_address(source), self.rule.address_free_failures)):
                failures = _increment(connection, key, now)
                wait = self.rule.delay(failures, free)
                if wait:
                    connection.execute(update(_table).where(_table.c.key == key).values(
                        blocked_until=now + timedelta(seconds=wait)))
            self._prune(connection, now)

    def succeeded(self, name: str, source: str) -> None:
        """The right password: clear the account's and the source's failures, remember the
        source as known-good for the account."""
        now = datetime.now(UTC)
        with self._engine().begin() as connection:
            connection.execute(delete(_table).where(
                _table.c.key.in_((_user(name), _address(source)))))
            connection.execute(_insert(connection).values(
                key=_good(name, source), failures=0, blocked_until=None, updated_at=now
            ).on_conflict_do_update(index_elements=[_table.c.key], set_={"updated_at": now}))

    def unlock(self, name: str) -> bool:
        """Clear the account's failures (the owner's unlock); False when there were none."""
        with self._engine().begin() as connection:
            result = connection.execute(delete(_table).where(_table.c.key == _user(name)))
        return result.rowcount > 0

    def _prune(self, connection: Connection, now: datetime) -> None:
        connection.execute(delete(_table).where(or_(
            _table.c.updated_at < now - timedelta(days=self.rule.good_days),
            (_table.c.updated_at < now - self.rule.forget_after)
            & ~_table.c.key.startswith("good:"))))

def _insert(connection: Connection):  # type: ignore[no-untyped-def]
    """The dialect's INSERT (both have ON CONFLICT DO UPDATE)."""
    return (pg_insert if connection.dialect.name == "postgresql" else sqlite_insert)(_table)

def _increment(connection: Connection, key: str, now: datetime) -> int:
    """failures + 1 for ``key`` (a new row at 1), atomically; the new count."""
    statement = _insert(connection).values(key=key, failures=1, blocked_until=None,
                                           updated_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[_table.c.key],
        set_={"failures": _table.c.failures + 1, "updated_at": now},
    ).returning(_table.c.failures)
    return int(connection.execute(statement).scalar_one())

def _aware(moment: datetime) -> datetime:
    # SQLite gives naive datetimes back: they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

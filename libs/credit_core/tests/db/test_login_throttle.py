"""The sign-in throttle and the sessions table on both databases."""

from __future__ import annotations

from datetime import timedelta

from credit_core.db import get_engine
from credit_core.db.browser_sessions import (
    close_session,
    open_session,
    revoke_sessions_of,
    session_active,
)
from credit_core.db.migrate import upgrade
from credit_core.logins import LoginThrottle

IDLE = timedelta(minutes=30)


def test_the_owner_is_not_slowed_down_from_a_known_good_source(database_url: str) -> None:
    upgrade(database_url)
    engine = get_engine(database_url)
    throttle = LoginThrottle(lambda: engine)
    throttle.succeeded("ada", "198.51.100.7")
    for _ in range(7):
        throttle.failed("ada", "203.0.113.9")
    assert throttle.retry_after("ada", "203.0.113.9") > 0
    assert throttle.retry_after("ada", "192.0.2.1") > 0  # an unknown source waits too
    assert throttle.retry_after("ada", "198.51.100.7") == 0
    assert throttle.unlock("ada") and throttle.retry_after("ada", "192.0.2.1") == 0


def test_sessions_open_close_and_revoke(database_url: str) -> None:
    upgrade(database_url)
    engine = get_engine(database_url)
    first = open_session(engine, "kind", "ada", "advisor")
    second = open_session(engine, "kind", "ada", "advisor")
    assert session_active(engine, "kind", first, IDLE)
    assert not session_active(engine, "other kind", first, IDLE)
    close_session(engine, "kind", first)
    assert not session_active(engine, "kind", first, IDLE)
    assert revoke_sessions_of(engine, "ada") == 1
    assert not session_active(engine, "kind", second, IDLE)

"""Sign-in throttling that an attacker cannot turn against the owner, and its cost bound."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient

from credit_core.auth import create_user
from credit_core.db import get_engine
from credit_core.logins import ChecksBusy, LoginThrottle, PasswordChecks
from scoring_service.main import create_app

from .conftest import bearer

PASSWORD = "correct horse battery"
OWNER, ATTACKER = "198.51.100.7", "203.0.113.9"


def _login(client: TestClient, key: str, name: str, password: str, source: str) -> Any:
    return client.post("/v1/auth/login", headers=bearer(key),
                       json={"username": name, "password": password, "source": source})


def test_an_attacker_cannot_lock_the_owner_out(client, service_db) -> None:  # type: ignore[no-untyped-def]
    create_user(get_engine(service_db.url), "carol", PASSWORD, "advisor")
    key = service_db.keys["service"]
    assert _login(client, key, "carol", PASSWORD, OWNER).status_code == 200  # a known-good source
    codes = [_login(client, key, "carol", f"guess {i}", ATTACKER).status_code for i in range(8)]
    assert codes[:6] == [401] * 6 and 429 in codes[6:]
    throttled = _login(client, key, "carol", PASSWORD, ATTACKER)
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) >= 1
    # The owner, from where she signed in before, is not slowed down by the attacker.
    assert _login(client, key, "carol", PASSWORD, OWNER).status_code == 200


def test_delays_grow_and_the_owner_can_unlock(client, service_db) -> None:  # type: ignore[no-untyped-def]
    engine = get_engine(service_db.url)
    create_user(engine, "dave", PASSWORD, "advisor")
    throttle = LoginThrottle(lambda: engine)
    waits = []
    for _ in range(9):
        throttle.failed("dave", ATTACKER)
        waits.append(throttle.retry_after("dave", "192.0.2.1"))
    assert waits[:5] == [0.0] * 5 and 0 < waits[5] < waits[6] < waits[7] < waits[8] <= 900
    # Shared through the database: another replica sees the same delay.
    replica = create_app(client.app.state.settings)
    with TestClient(replica) as other:
        refused = _login(other, service_db.keys["service"], "dave", PASSWORD, "192.0.2.1")
        assert refused.status_code == 429
        assert throttle.unlock("dave")
        assert _login(other, service_db.keys["service"], "dave", PASSWORD,
                      "192.0.2.1").status_code == 200


def test_one_source_trying_many_names_is_slowed_down(client, service_db) -> None:  # type: ignore[no-untyped-def]
    key = service_db.keys["service"]
    codes = [_login(client, key, f"name{i}", "guess", "192.0.2.66").status_code
             for i in range(24)]
    assert codes[:20] == [401] * 20 and 429 in codes[20:]


def test_the_failures_table_stays_bounded(service_db) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import func, select, update

    from credit_core.db.tables import login_failures

    engine = get_engine(service_db.url)
    throttle = LoginThrottle(lambda: engine)
    for i in range(30):
        throttle.failed(f"user{i}", f"10.0.0.{i}")
    with engine.begin() as connection:
        connection.execute(update(login_failures).values(
            updated_at=datetime.now(UTC) - timedelta(days=2)))
    throttle.failed("last", "10.9.9.9")
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(login_failures)).scalar() == 2


def test_password_checks_beyond_the_limit_and_queue_are_refused_at_once() -> None:
    checks = PasswordChecks(limit=1, queue=1)
    release = threading.Event()

    async def scenario() -> list[Any]:
        running = asyncio.ensure_future(checks.run(release.wait))  # holds the slot
        await asyncio.sleep(0.05)
        queued = asyncio.ensure_future(checks.run(lambda: "queued"))  # waits for it
        await asyncio.sleep(0.05)
        outcomes: list[Any] = []
        try:
            await checks.run(lambda: "third")
        except ChecksBusy:
            outcomes.append("busy")
        release.set()
        outcomes.extend([await running, await queued, await checks.run(lambda: "after")])
        return outcomes

    # In a thread of its own: another test's live event loop (Playwright's sync API keeps one
    # running in the worker's main thread) would make asyncio.run refuse.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, scenario()).result() == ["busy", True, "queued", "after"]
    checks.close()


def test_a_login_over_the_check_limit_answers_503_with_retry_after(client, service_db) -> None:  # type: ignore[no-untyped-def]
    gate = client.app.state.login_gate
    gate.checks = PasswordChecks(limit=1, queue=0)
    gate.checks._slots._value = 0  # every slot taken, no room to wait
    busy = _login(client, service_db.keys["service"], "anyone", "guess", OWNER)
    assert busy.status_code == 503 and busy.headers["retry-after"] == "1"

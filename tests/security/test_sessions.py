"""Sessions are revocable server-side and expire on idle (issue 14, item 4): the dashboard's
``credit_ui_session`` and the ops dashboard's ``monitoring_session``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from credit_core.auth import create_user
from credit_core.db import get_engine
from credit_core.db.tables import sessions as sessions_table
from tests.security.conftest import (
    SecurityDatabase,
    ServiceFactory,
    forwarding_transport,
    start_dashboard,
)

COOKIE = "credit_ui_session"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def dashboard(sqlite_db: SecurityDatabase, start_service: ServiceFactory,
              tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    create_user(get_engine(sqlite_db.url), "rhea", PASSWORD, "advisor")
    scoring = start_service("scoring", sqlite_db)
    transport = forwarding_transport({"scoring": scoring, "explain": scoring,
                                      "monitoring": scoring})
    with start_dashboard(tmp_path_factory.mktemp("ui-sessions"), sqlite_db.keys["service"],
                         transport) as client:
        yield client


def _sign_in(dashboard: TestClient) -> str:
    dashboard.cookies.clear()
    answer = dashboard.post("/login", data={"username": "rhea", "password": PASSWORD})
    assert answer.status_code == 303, answer.text[:300]
    return answer.cookies[COOKIE]


def _config(dashboard: TestClient, cookie: str) -> int:
    dashboard.cookies.clear()
    return dashboard.get("/app/config", headers={"cookie": f"{COOKIE}={cookie}"}).status_code


def test_a_cookie_no_longer_opens_the_dashboard_after_logout(dashboard: TestClient) -> None:
    cookie = _sign_in(dashboard)
    assert _config(dashboard, cookie) == 200
    dashboard.cookies.set(COOKIE, cookie)
    assert dashboard.post("/logout").status_code == 303
    assert _config(dashboard, cookie) == 401


def test_an_idle_session_expires(dashboard: TestClient, sqlite_db: SecurityDatabase) -> None:
    cookie = _sign_in(dashboard)
    assert _config(dashboard, cookie) == 200
    with get_engine(sqlite_db.url).begin() as connection:
        connection.execute(update(sessions_table).values(
            last_seen_at=datetime.now(UTC) - timedelta(hours=2)))
    dashboard.app.state.sessions.store.forget()
    assert _config(dashboard, cookie) == 401


def test_removing_a_user_ends_her_sessions(dashboard: TestClient,
                                          sqlite_db: SecurityDatabase) -> None:
    from credit_core.db.browser_sessions import revoke_sessions_of

    cookie = _sign_in(dashboard)
    assert _config(dashboard, cookie) == 200
    assert revoke_sessions_of(get_engine(sqlite_db.url), "rhea") >= 1
    dashboard.app.state.sessions.store.forget()
    assert _config(dashboard, cookie) == 401


def test_an_ops_session_ends_with_logout(sqlite_db: SecurityDatabase,
                                        start_service: ServiceFactory, tmp_path: Path) -> None:
    monitoring = start_service("monitoring", sqlite_db)
    monitoring.cookies.clear()
    signed_in = monitoring.post("/dashboard/login", data={"api_key": sqlite_db.keys["ops"]},
                                follow_redirects=False)
    assert signed_in.status_code == 303
    cookie = signed_in.cookies["monitoring_session"]
    monitoring.cookies.clear()
    headers = {"cookie": f"monitoring_session={cookie}"}
    assert monitoring.get("/dashboard", headers=headers).status_code == 200
    assert monitoring.post("/dashboard/logout", headers=headers,
                           follow_redirects=False).status_code == 303
    monitoring.cookies.clear()
    assert monitoring.get("/dashboard", headers=headers).status_code == 401

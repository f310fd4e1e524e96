"""Session cookies: signed, expiring, bound to their cookie (salt) and to the allowed roles,
and set HttpOnly, SameSite=Strict on their path."""

from __future__ import annotations

import time

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from credit_core.web.sessions import Session, SessionCookie


def _cookie(**options: object) -> SessionCookie:
    values: dict[str, object] = {"salt": "test-session", "path": "/ops", **options}
    return SessionCookie("test_session", "s" * 40, 60, **values)  # type: ignore[arg-type]


def test_a_token_reads_back_as_its_session() -> None:
    sessions = _cookie()
    assert sessions.read(sessions.issue("ada", "advisor")) == Session("ada", "advisor")
    assert sessions.read(None) is None and sessions.read("") is None


def test_forged_foreign_and_garbled_tokens_are_refused() -> None:
    sessions = _cookie()
    token = sessions.issue("ada", "advisor")
    assert sessions.read(token[:-2] + "xx") is None
    assert SessionCookie("test_session", "t" * 40, 60, salt="test-session").read(token) is None
    assert _cookie(salt="another-cookie").read(token) is None  # same secret, other cookie
    for garbage in ("garbage", token.replace(".", ".."), "\u00e9.\u00e9", "a" * 5000):
        assert sessions.read(garbage) is None


def test_expired_tokens_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    sessions = _cookie()
    with monkeypatch.context() as patched:
        patched.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 61)
        expired = sessions.issue("ada", "advisor")
    assert sessions.read(expired) is None
    assert sessions.read(sessions.issue("ada", "advisor")) is not None


def test_only_the_allowed_roles_have_sessions() -> None:
    sessions = _cookie(roles=("ops", "admin"))
    assert sessions.read(sessions.issue("olga", "ops")) == Session("olga", "ops")
    assert sessions.read(sessions.issue("ada", "advisor")) is None


def test_without_a_secret_each_process_signs_with_its_own() -> None:
    first = SessionCookie("c", None, 60, salt="s")
    second = SessionCookie("c", None, 60, salt="s")
    token = first.issue("olga", "ops")
    assert first.read(token) is not None and second.read(token) is None


def test_start_and_end_set_and_clear_a_protected_cookie() -> None:
    sessions = _cookie(secure=True)
    app = FastAPI()

    @app.post("/ops/login")
    def login(response: Response) -> None:
        sessions.start(response, "olga", "ops")

    @app.get("/ops/me")
    def me(request: Request) -> dict[str, str | None]:
        session = sessions.of_request(request)
        return {"name": session.name if session else None}

    @app.post("/ops/logout")
    def logout(response: Response) -> None:
        sessions.end(response)

    client = TestClient(app, base_url="https://testserver")
    cookie = client.post("/ops/login").headers["set-cookie"]
    assert cookie.startswith("test_session=") and "HttpOnly" in cookie and "Secure" in cookie
    assert "Path=/ops" in cookie and "SameSite=strict" in cookie and "Max-Age=60" in cookie
    assert client.get("/ops/me").json() == {"name": "olga"}
    cleared = client.post("/ops/logout").headers["set-cookie"]
    assert "Max-Age=0" in cleared and "Path=/ops" in cleared

"""The app: health routes, the sign-in page, the signed expiring session, the page guard."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.ui.tests.fakes import Peers
from ui_service.api.peers import Services
from ui_service.app import create_app
from ui_service.session import COOKIE, Sessions
from ui_service.settings import UISettings


@pytest.fixture
def client(settings: UISettings, peers: Peers) -> Iterator[TestClient]:
    app = create_app(settings, Services(settings, transport=peers.transport()))
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def test_health(client: TestClient, peers: Peers) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    peers.down.add("scoring")
    assert client.get("/readyz").status_code == 503


def test_page_needs_a_session(client: TestClient) -> None:
    response = client.get("/app/")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert client.get("/app/config").status_code == 401


def test_sign_in_page(client: TestClient) -> None:
    page = client.get("/login?lang=fr").text
    assert '<html lang="fr">' in page and '<label for="username">' in page
    assert "Se connecter" in page


@pytest.mark.parametrize(("password", "user", "status", "text"), [
    ("wrong", "ada", 401, "wrong"), ("ops password", "olga", 403, "advisors"),
    ("", "ada", 400, "Enter your user name")])
def test_sign_in_refused(client: TestClient, password: str, user: str, status: int,
                         text: str) -> None:
    response = client.post("/login", data={"username": user, "password": password})
    assert response.status_code == status
    assert text in response.text and 'role="alert"' in response.text
    assert COOKIE not in response.cookies


def test_sign_in_opens_a_session_and_sign_out_ends_it(client: TestClient) -> None:
    response = client.post("/login", data={"username": "ada", "password": "correct horse",
                                           "next": "https://evil.example/"})
    assert response.status_code == 303 and response.headers["location"] == "/app/"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age=28800" in cookie
    assert client.get("/app/").status_code == 200
    assert client.get("/app/config").status_code == 200
    client.post("/logout")
    assert client.get("/app/").status_code == 303


def test_sessions_expire_and_resist_forgery() -> None:
    sessions = Sessions("s" * 40, minutes=1)
    token = sessions.issue("ada", "advisor")
    assert sessions.read(token).name == "ada"  # type: ignore[union-attr]
    assert sessions.read(token[:-2] + "xx") is None
    assert Sessions("t" * 40, minutes=1).read(token) is None
    assert sessions.read(sessions.issue("olga", "ops")) is None
    sessions.max_age = 0
    time.sleep(1.1)
    assert sessions.read(token) is None


def test_session_secret_is_generated_once(settings: UISettings) -> None:
    first = settings.resolved_session_secret()
    assert settings.session_secret_file.stat().st_mode & 0o077 == 0
    assert settings.resolved_session_secret() == first

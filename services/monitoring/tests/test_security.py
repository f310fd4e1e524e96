"""Credentials on every route but health and metrics; roles; the dashboard's sign-in."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from credit_core.auth import revoke_api_key
from credit_core.db import get_engine
from monitoring_service.deps import SESSION_COOKIE as COOKIE

from .conftest import bearer, sqlite_service_db

OPEN = {"/healthz", "/readyz", "/metrics", "/dashboard/login"}
SIGN_OUT = "/dashboard/logout"  # open too: it only clears the cookie


@pytest.fixture
def service_db(sqlite_url):  # type: ignore[no-untyped-def]
    return sqlite_service_db(sqlite_url)  # auth does not depend on the database engine


def _routes(client: TestClient) -> list[tuple[str, str]]:
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    return [(method.upper(), path.replace("{run_id}", "1")) for path, item in paths.items()
            for method in item if path not in OPEN | {SIGN_OUT}]


def _call(client: TestClient, method: str, path: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(path, headers=headers)
    return client.post(path, json={"client_id": 1, "observed_default": 0}, headers=headers)


def test_every_route_but_health_needs_a_valid_key_and_the_right_role(client, service_db) -> None:  # type: ignore[no-untyped-def]
    routes = _routes(client)
    assert ("POST", "/v1/drift/runs") in routes and ("GET", "/dashboard") in routes
    good = service_db.keys["ops"]
    bad_headers = [{}, {"Authorization": "Bearer"}, {"Authorization": "Basic abc"},
                   {"Authorization": f"Bearer {good}x"}, {"Authorization": good}]
    for method, path in routes:
        for headers in bad_headers:
            response = _call(client, method, path, headers)
            assert response.status_code == 401, (method, path, headers, response.text)
            assert response.headers["www-authenticate"] == "Bearer"
    for path in OPEN:
        assert client.get(path).status_code == 200, path
    _roles(client, service_db)


def _roles(client, service_db) -> None:  # type: ignore[no-untyped-def]
    # The dashboard (role "service") may post outcomes and read the latest run's status.
    shared = {"/v1/outcomes", "/v1/drift/runs/latest"}
    routes = [r for r in _routes(client) if r[1] not in shared]
    for role in ("integrator", "service"):
        for method, path in routes:
            response = _call(client, method, path, bearer(service_db.keys[role]))
            assert response.status_code == 403, (role, method, path, response.text)
    assert _call(client, "GET", "/v1/drift/runs/latest",
                 bearer(service_db.keys["integrator"])).status_code == 403
    assert _call(client, "GET", "/v1/drift/runs/latest",
                 bearer(service_db.keys["service"])).status_code in (200, 404)
    assert _call(client, "POST", "/v1/outcomes",
                 bearer(service_db.keys["integrator"])).status_code == 403
    for role in ("ops", "admin"):
        headers = bearer(service_db.keys[role])
        assert client.get("/v1/drift/runs", headers=headers).status_code == 200
        assert client.get("/dashboard", headers=headers).status_code == 200


def test_dashboard_sign_in_with_a_session_cookie(client, service_db) -> None:  # type: ignore[no-untyped-def]
    anonymous = client.get("/dashboard")
    assert anonymous.status_code == 401 and 'action="/dashboard/login"' in anonymous.text
    assert 'type="password"' in anonymous.text and "content-security-policy" in anonymous.headers
    wrong = client.post("/dashboard/login", data={"api_key": "ck_nope_nope"})
    assert wrong.status_code == 401 and "not valid" in wrong.text
    integrator = client.post("/dashboard/login", data={"api_key": service_db.keys["integrator"]})
    assert integrator.status_code == 403 and "integrator" in integrator.text
    assert COOKIE not in client.cookies

    key = service_db.keys["ops"]
    signed_in = client.post("/dashboard/login", data={"api_key": key}, follow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/dashboard"
    cookie = signed_in.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert "Path=/dashboard" in cookie and key not in cookie
    page = client.get("/dashboard")
    assert page.status_code == 200 and "Signed in as test-ops" in page.text

    token = client.cookies[COOKIE]
    client.cookies.clear()

    def with_session(value: str):  # type: ignore[no-untyped-def]
        return client.get("/dashboard", headers={"Cookie": f"{COOKIE}={value}"})

    assert with_session(token).status_code == 200
    assert with_session(token[:-2] + "xx").status_code == 401
    assert with_session("garbage").status_code == 401
    signed_out = client.post("/dashboard/logout", follow_redirects=False)
    assert signed_out.status_code == 303 and "Max-Age=0" in signed_out.headers["set-cookie"]
    assert revoke_api_key(get_engine(service_db.url), "test-ops")
    ended = with_session(token)
    assert ended.status_code == 401 and "revoked" in ended.text

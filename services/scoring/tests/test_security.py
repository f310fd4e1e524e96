"""Credentials on every route but health and metrics; roles; rate limits; CORS."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from credit_core.auth import revoke_api_key
from credit_core.db import get_engine
from scoring_service.main import create_app

from .conftest import bearer

OPEN = {"/healthz", "/readyz", "/metrics"}


def _routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Every (method, path) the app documents, read from the app itself."""
    paths = app.openapi()["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item]


def _call(client: TestClient, method: str, path: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    path = path.replace("{client_id}", "100001")
    if method == "GET":
        return client.get(path, headers=headers)
    return client.post(path, json={"client_id": 100001}, headers=headers)


def test_every_route_but_health_needs_a_valid_key(client, service_db) -> None:  # type: ignore[no-untyped-def]
    routes = [r for r in _routes(client.app) if r[1] not in OPEN]
    assert ("POST", "/v1/scores") in routes and ("POST", "/invocations") in routes
    good = service_db.keys["integrator"]
    bad_headers = [
        {}, {"Authorization": "Bearer"}, {"Authorization": "Basic abc"},
        {"Authorization": f"Bearer {good}x"}, {"Authorization": "Bearer ck_00000000_" + "a" * 43},
        {"Authorization": good},
    ]
    for method, path in routes:
        for headers in bad_headers:
            response = _call(client, method, path, headers)
            assert response.status_code == 401, (method, path, headers, response.text)
            assert response.headers["www-authenticate"] == "Bearer"


def test_health_and_metrics_are_open(client) -> None:  # type: ignore[no-untyped-def]
    for path in OPEN:
        assert client.get(path).status_code == 200, path


def test_roles(client, service_db) -> None:  # type: ignore[no-untyped-def]
    ops = bearer(service_db.keys["ops"])
    assert client.post("/v1/scores", json={"client_id": 100001}, headers=ops).status_code == 403
    integrator = bearer(service_db.keys["integrator"])
    assert client.post("/v1/model/reload", headers=integrator).status_code == 403
    admin = bearer(service_db.keys["admin"])
    assert client.post("/v1/model/reload", headers=admin).status_code == 200


def test_a_revoked_key_is_refused(client, service_db) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["integrator"])
    assert client.get("/v1/model", headers=headers).status_code == 200
    assert revoke_api_key(get_engine(service_db.url), "test-integrator")
    client.app.state.authenticator.forget()  # otherwise it acts when the cache entry expires
    assert client.get("/v1/model", headers=headers).status_code == 401


def test_rate_limit_per_key(make_settings, service_db) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(rate_limit_per_minute=60, rate_limit_burst=3)
    with TestClient(create_app(settings)) as limited:
        codes = [limited.get("/v1/model", headers=bearer(service_db.keys["integrator"])).status_code
                 for _ in range(5)]
        assert codes == [200, 200, 200, 429, 429]
        refused = limited.get("/v1/model", headers=bearer(service_db.keys["integrator"]))
        assert int(refused.headers["retry-after"]) >= 1
        # another key has its own bucket
        assert limited.get("/v1/model", headers=bearer(service_db.keys["service"])).status_code == 200


def test_cors_allows_only_the_dashboard(client) -> None:  # type: ignore[no-untyped-def]
    allowed = client.options("/v1/scores", headers={
        "Origin": "http://127.0.0.1:7860", "Access-Control-Request-Method": "POST"})
    assert allowed.headers.get("access-control-allow-origin") == "http://127.0.0.1:7860"
    denied = client.options("/v1/scores", headers={
        "Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in denied.headers


@pytest.mark.parametrize("size", [9 * 1024 * 1024])
def test_oversized_body_is_413_before_parsing(client, service_db, size: int) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/scores", content=b"{" + b" " * size + b"}",
                           headers=bearer(service_db.keys["integrator"])
                           | {"Content-Type": "application/json"})
    assert response.status_code == 413

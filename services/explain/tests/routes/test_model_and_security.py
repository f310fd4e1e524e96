"""Readiness, metrics, reload of a moved alias; credentials and roles on every route."""

from __future__ import annotations

import math

import pytest
from fastapi.testclient import TestClient

from explain_service.main import create_app

from ..conftest import bearer
from ..rich_model import register_staged


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """The database engine does not matter to these tests: SQLite only keeps the run short."""
    return sqlite_url


OPEN = {"/healthz", "/readyz", "/metrics"}


def _routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    paths = app.openapi()["paths"]
    return [(method.upper(), path) for path, item in paths.items() for method in item]


def _call(client: TestClient, method: str, path: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(path, headers=headers)
    return client.post(path, json={"client_id": 100001}, headers=headers)


def test_readyz_and_metrics(client, service_db, constructed) -> None:  # type: ignore[no-untyped-def]
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["checks"]["database"]["ok"]
    model = ready["checks"]["model"]["detail"]["model"]
    assert model["version"] == "2" and model["calibration"] == "platt"
    assert model["importance_stored"] and model["reference_rows_approved"] > 100
    assert client.get("/healthz").json() == {"status": "ok"}
    client.post("/v1/explanations", json={"client_id": constructed["late"]},
                headers=bearer(service_db.keys["service"]))
    text = client.get("/metrics").text
    assert 'route="/v1/explanations"' in text
    assert 'model_version_info{model="credit-default",service="explain",version="2"} 1.0' in text


def test_every_route_but_health_needs_a_valid_key_and_an_allowed_role(client,
                                                                        service_db) -> None:  # type: ignore[no-untyped-def]
    routes = [r for r in _routes(client.app) if r[1] not in OPEN]
    assert {("POST", "/v1/explanations"), ("POST", "/v1/counterfactuals"),
            ("GET", "/v1/importance"), ("POST", "/v1/explanations/image")} <= set(routes)
    bad_headers = [{}, {"Authorization": "Bearer"}, {"Authorization": "Basic abc"},
                   {"Authorization": f"Bearer {service_db.keys['integrator']}x"}]
    ops = bearer(service_db.keys["ops"])
    for method, path in routes:
        for headers in bad_headers:
            response = _call(client, method, path, headers)
            assert response.status_code == 401, (method, path, headers, response.text)
            assert response.headers["www-authenticate"] == "Bearer"
        assert _call(client, method, path, ops).status_code == 403, (method, path)
    for path in OPEN:
        assert client.get(path).status_code == 200, path
    integrator = bearer(service_db.keys["integrator"])
    assert client.post("/v1/model/reload", headers=integrator).status_code == 403
    admin = client.post("/v1/model/reload", headers=bearer(service_db.keys["admin"]))
    assert admin.status_code == 200 and admin.json()["model"]["version"] == "2"


def test_a_moved_alias_is_picked_up_and_explanations_name_the_new_version(
        make_settings, service_db, explain_registry, constructed, rich_staged) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["service"])
    body = {"client_id": constructed["heavy"]}
    with TestClient(create_app(make_settings(treeshap="shap"))) as client:
        assert client.app.state.models.current.treeshap.name == "shap"  # the setting holds
        first = client.post("/v1/explanations", json=body, headers=headers).json()
        assert first["model"]["version"] == "2"
        total = first["base_value"] + math.fsum(c["contribution"] for c in first["contributions"])
        assert total == pytest.approx(first["raw_score"], abs=1e-9)
        new = register_staged(rich_staged, explain_registry.uri, explain_registry.name,
                              alias=None)
        explain_registry.move_alias(new)
        try:
            result = client.app.state.models.reload()  # what the poller does every interval
            assert result["reloaded"] and result["model"]["version"] == new
            explained = client.post("/v1/explanations", json=body, headers=headers).json()
            assert explained["model"]["version"] == new
            assert client.app.state.models.current.treeshap.name == "shap"
            assert client.get("/readyz").json()["checks"]["model"]["detail"]["model"][
                "version"] == new
            again = client.app.state.models.reload()
            assert not again["reloaded"]  # unchanged alias: nothing to do
        finally:
            explain_registry.move_alias("2")


def test_without_a_model_the_routes_are_503_and_readyz_says_why(make_settings, service_db,
                                                               tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = make_settings(MLFLOW_TRACKING_URI="http://127.0.0.1:9",
                             model_cache_dir=tmp_path / "empty")
    with TestClient(create_app(settings)) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert "no version cached" in ready.json()["checks"]["model"]["detail"]["problem"]
        response = client.post("/v1/explanations", json={"client_id": 100001},
                               headers=bearer(service_db.keys["service"]))
        assert response.status_code == 503 and "retry-after" in response.headers

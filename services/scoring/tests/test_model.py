"""The model from the registry: readiness, reload when the alias moves, cache, broken versions."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from credit_core.bundle import ModelBundle
from scoring_service.main import create_app
from tests.support.models import train_tiny_bundle

from .conftest import bearer


def test_readyz_names_the_version(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/readyz").json()
    assert body["status"] == "ready"
    assert body["checks"]["model"]["detail"]["model"]["version"] == "1"
    assert body["checks"]["database"]["ok"]


def test_get_model(client, service_db, tiny_bundle) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/v1/model", headers=bearer(service_db.keys["integrator"])).json()
    assert body["version"] == "1" and body["threshold"] == tiny_bundle.threshold
    assert [f["name"] for f in body["features"]] == tiny_bundle.features
    assert all(f["label"] for f in body["features"])


def test_alias_move_is_picked_up_without_failing_requests(make_settings, service_db,
                                                          mlflow_registry) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["integrator"])
    with TestClient(create_app(make_settings())) as client:
        assert client.get("/v1/model", headers=headers).json()["version"] == "1"
        new = mlflow_registry.register(train_tiny_bundle(threshold=0.2), alias=None)
        failures: list[int] = []
        stop = threading.Event()

        def hammer() -> None:
            while not stop.is_set():
                code = client.post("/v1/scores", json={"client_id": service_db.client_ids[0]},
                                   headers=headers).status_code
                if code != 200:
                    failures.append(code)

        worker = threading.Thread(target=hammer)
        worker.start()
        try:
            mlflow_registry.move_alias(new)
            result = client.app.state.models.reload()  # what the poller does every interval
        finally:
            stop.set()
            worker.join()
        assert result["reloaded"] and result["model"]["version"] == new
        assert failures == []
        scored = client.post("/v1/scores", json={"client_id": service_db.client_ids[0]},
                             headers=headers).json()
        assert scored["model"]["version"] == new and scored["threshold"] == 0.2
        mlflow_registry.move_alias("1")


def test_a_broken_version_is_refused_and_the_current_one_kept(make_settings, service_db,
                                                             mlflow_registry, tiny_bundle) -> None:  # type: ignore[no-untyped-def]
    incompatible = ModelBundle(booster=tiny_bundle.booster,
                               features=[f"NOT_A_FEATURE_{i}" for i in range(len(tiny_bundle.features))],
                               categorical_features=[], threshold=0.5)
    with TestClient(create_app(make_settings())) as client:
        bad = mlflow_registry.register(incompatible, alias=None)
        mlflow_registry.move_alias(bad)
        try:
            result = client.app.state.models.reload()
            assert not result["reloaded"] and "NOT_A_FEATURE" in result["error"]
            ready = client.get("/readyz").json()
            assert ready["status"] == "ready"
            detail = ready["checks"]["model"]["detail"]
            assert detail["model"]["version"] == "1" and "NOT_A_FEATURE" in detail["last_reload_error"]
            assert b"model_load_failures_total" in client.get("/metrics").content
            assert client.post("/v1/scores", json={"client_id": service_db.client_ids[0]},
                               headers=bearer(service_db.keys["integrator"])).status_code == 200
        finally:
            mlflow_registry.move_alias("1")


def test_registry_down_at_start_serves_the_cache_or_stays_not_ready(make_settings, service_db,
                                                                     tmp_path) -> None:  # type: ignore[no-untyped-def]
    cache = tmp_path / "shared-cache"
    with TestClient(create_app(make_settings(model_cache_dir=cache))) as client:
        assert client.get("/readyz").status_code == 200  # fills the cache
    down = "http://127.0.0.1:9"  # nothing listens there
    with TestClient(create_app(make_settings(MLFLOW_TRACKING_URI=down,
                                             model_cache_dir=cache))) as client:
        body = client.get("/readyz").json()
        assert body["status"] == "ready"
        model = body["checks"]["model"]["detail"]
        assert model["model"]["origin"] == "cache" and "cached" in model["problem"]
        assert client.post("/v1/scores", json={"client_id": service_db.client_ids[0]},
                           headers=bearer(service_db.keys["integrator"])).status_code == 200
    with TestClient(create_app(make_settings(MLFLOW_TRACKING_URI=down,
                                             model_cache_dir=tmp_path / "empty"))) as client:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert "no version cached" in response.json()["checks"]["model"]["detail"]["problem"]
        scored = client.post("/v1/scores", json={"client_id": service_db.client_ids[0]},
                             headers=bearer(service_db.keys["integrator"]))
        assert scored.status_code == 503 and "retry-after" in scored.headers

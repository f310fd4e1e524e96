"""Readiness, reload, the model route, Prometheus gauges and the HTML report pending -> done."""

from __future__ import annotations

import dataclasses
import math
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from monitoring_service.main import create_app
from monitoring_service.reports import MAX_WAITING
from tests.support.fixtures import Registry

from .conftest import (
    IMPORTANCE,
    as_csv,
    batch,
    bearer,
    reference_frame,
    register_monitored,
    sqlite_service_db,
    upload,
)


@pytest.fixture
def service_db(sqlite_url):  # type: ignore[no-untyped-def]
    return sqlite_service_db(sqlite_url)


def _gauge(text: str, name: str) -> float:
    line = next(line for line in text.splitlines() if line.startswith(name + " "))
    return float(line.split()[-1])


def test_model_route_readiness_and_gauges(client, service_db) -> None:  # type: ignore[no-untyped-def]
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready"
    assert ready["checks"]["model"]["detail"]["reference_rows"] == 3000
    model = client.get("/v1/model", headers=bearer(service_db.keys["ops"])).json()
    assert model["version"] == "1" and model["reference"]["rows"] == 3000
    columns = {c["name"]: c for c in model["columns"]}
    assert columns["CODE_GENDER"]["type"] == "categorical"
    assert columns["EXT_SOURCE_2"]["importance"] == pytest.approx(0.9 / sum(IMPORTANCE.values()))
    assert 0 < model["reference"]["approval_rate"] < 1

    assert math.isnan(_gauge(client.get("/metrics").text, "drift_share"))
    run = upload(client, service_db.keys["ops"], as_csv(batch(1500, seed=4, shift=True))).json()
    text = client.get("/metrics").text
    assert _gauge(text, "drift_share") == pytest.approx(run["drift_share"])
    assert _gauge(text, "drifted_columns") == run["drifted_columns"] > 0
    assert _gauge(text, "dataset_drift") == float(run["dataset_drift"])
    assert _gauge(text, "drift_latest_run_timestamp_seconds") > time.time() - 60
    assert 'drift_runs_total{source="upload",trigger="api"} 1.0' in text


def test_a_version_without_reference_is_not_ready_until_one_with_it(
        make_settings, service_db, tiny_bundle, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    registry = Registry(f"sqlite:///{tmp_path / 'mlflow.db'}", "credit-default", tmp_path)
    register_monitored(tiny_bundle, registry, reference=None, importance=None)
    settings = make_settings(MLFLOW_TRACKING_URI=registry.uri, model_cache_dir=tmp_path / "own")
    with TestClient(create_app(settings)) as client:
        not_ready = client.get("/readyz")
        assert not_ready.status_code == 503
        assert "no drift reference" in not_ready.json()["checks"]["model"]["detail"]["problem"]
        assert 'model_load_failures_total{model="credit-default",service="monitoring",version="1"} 1.0' \
            in _failures(client.get("/metrics").text)
        ops = bearer(service_db.keys["ops"])
        down = client.post("/v1/drift/runs", json={"source": "application_test"}, headers=ops)
        assert down.status_code == 503 and down.headers["retry-after"] == "30"
        register_monitored(tiny_bundle, registry, reference_frame(tiny_bundle), None)
        assert client.post("/v1/model/reload", headers=ops).status_code == 403
        reloaded = client.post("/v1/model/reload", headers=bearer(service_db.keys["admin"]))
        assert reloaded.json()["reloaded"] is True and reloaded.json()["model"]["version"] == "2"
        assert client.get("/readyz").status_code == 200
        run = client.post("/v1/drift/runs", json={"source": "application_test"}, headers=ops)
        assert run.status_code == 201 and run.json()["importance_weighted_drift"] is None
        assert run.json()["columns"][0]["importance"] is None
        # The alias on a version without reference: the current one is kept, the failure is
        # counted under that version and reported until the alias comes back.
        register_monitored(tiny_bundle, registry, reference=None, importance=None)
        admin = bearer(service_db.keys["admin"])
        failed = client.post("/v1/model/reload", headers=admin).json()
        assert failed["reloaded"] is False and failed["model"]["version"] == "2"
        assert "version 3" in client.get("/readyz").json()["checks"]["model"]["detail"][
            "last_reload_error"]
        assert 'version="3"} 1.0' in _failures(client.get("/metrics").text)
        registry.move_alias("2")
        assert client.post("/v1/model/reload", headers=admin).json()["last_reload_error"] is None


def _failures(metrics: str) -> str:
    return "\n".join(line for line in metrics.splitlines()
                     if line.startswith("model_load_failures_total{"))


def _wait_for_report(client: TestClient, run_id: int, headers: dict) -> object:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        response = client.get(f"/v1/drift/runs/{run_id}/report", headers=headers)
        if response.status_code != 202:
            return response
        time.sleep(0.5)
    raise AssertionError("the report stayed pending")


def test_report_is_rendered_in_the_background(make_settings, service_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ops = bearer(service_db.keys["ops"])
    settings = make_settings(render_reports=True, report_reference_rows=1000)  # sampled
    with TestClient(create_app(settings)) as client:
        run = upload(client, service_db.keys["ops"], as_csv(batch(300, seed=2, shift=True)))
        run_id = run.json()["id"]
        assert run.json()["report"] == {"status": "pending", "error": None,
                                        "url": f"/v1/drift/runs/{run_id}/report"}
        pending = client.get(f"/v1/drift/runs/{run_id}/report", headers=ops)
        assert pending.status_code == 202 and pending.headers["retry-after"] == "5"
        started = time.perf_counter()
        assert client.get("/healthz").status_code == 200  # the API is not blocked meanwhile
        assert time.perf_counter() - started < 1.0
        done = _wait_for_report(client, run_id, ops)
        assert done.status_code == 200, done.text  # type: ignore[attr-defined]
        assert done.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
        assert "Drifted Columns" in done.text and "EXT_SOURCE_2" in done.text  # type: ignore[attr-defined]
        stored = client.get(f"/v1/drift/runs/{run_id}", headers=ops).json()
        assert stored["status"] == "done" and stored["report"]["status"] == "done"
        assert not list(settings.resolved_reports_dir.glob(".*parquet"))

        # A rendering that fails says why (here: the reference file is gone).
        monitor = client.app.state.models.current
        client.app.state.models.current = dataclasses.replace(
            monitor, reference_path=tmp_path / "missing.parquet")
        failed_id = upload(client, service_db.keys["ops"], as_csv(batch(300, seed=3))).json()["id"]
        failed = _wait_for_report(client, failed_id, ops)
        assert failed.status_code == 409  # type: ignore[attr-defined]
        assert "missing.parquet" in failed.json()["detail"]  # type: ignore[attr-defined]

        # A full queue refuses more work instead of holding more batches in memory.
        client.app.state.renderer._waiting = MAX_WAITING
        queued_id = upload(client, service_db.keys["ops"], as_csv(batch(300, seed=4))).json()["id"]
        refused = client.get(f"/v1/drift/runs/{queued_id}/report", headers=ops)
        assert refused.status_code == 409 and "already waiting" in refused.json()["detail"]

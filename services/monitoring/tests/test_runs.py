"""Drift runs over the API: the three sources, injected drift found, a fresh sample clean, the
history, options, and what a run's JSON holds."""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import (
    as_csv,
    as_parquet,
    batch,
    bearer,
    count_runs,
    insert_decisions,
    recent,
    upload,
)

SHIFTED = {"EXT_SOURCE_2", "AMT_CREDIT", "AMT_ANNUITY", "PAYMENT_RATE", "CODE_GENDER"}


def _by_column(run: dict) -> dict[str, dict]:
    return {column["column"]: column for column in run["columns"]}


def test_injected_shift_is_detected_and_a_fresh_sample_is_not(client, service_db) -> None:  # type: ignore[no-untyped-def]
    ops = service_db.keys["ops"]
    assert client.get("/v1/drift/runs/latest", headers=bearer(ops)).status_code == 404
    shifted = upload(client, ops, as_csv(batch(2000, seed=5, shift=True)))
    assert shifted.status_code == 201, shifted.text
    run = shifted.json()
    columns = _by_column(run)
    assert columns["EXT_SOURCE_2"]["drifted"] and columns["AMT_CREDIT"]["drifted"]
    assert columns["CODE_GENDER"]["drifted"] and columns["CODE_GENDER"]["test"] == "jensenshannon"
    assert not columns["EXT_SOURCE_1"]["drifted"] and not columns["DAYS_BIRTH"]["drifted"]
    drifted = {name for name, column in columns.items() if column["drifted"]}
    assert {"EXT_SOURCE_2", "AMT_CREDIT", "CODE_GENDER"} <= drifted <= SHIFTED
    assert run["dataset_drift"] is (run["drift_share"] >= 0.5)
    assert run["drift_share"] == pytest.approx(len(drifted) / 10)
    # Drift in what the model relies on comes first: drifted columns by importance.
    assert run["columns"][0]["column"] == "EXT_SOURCE_2"
    assert [c["drifted"] for c in run["columns"]] == sorted(
        (c["drifted"] for c in run["columns"]), reverse=True)
    assert run["importance_weighted_drift"] > 0.4
    assert run["current"]["source"] == "upload" and run["current"]["rows"] == 2000

    fresh = upload(client, ops, as_parquet(batch(2000, seed=6)), name="fresh.parquet").json()
    assert fresh["drifted_columns"] == 0 and fresh["dataset_drift"] is False
    assert {c["test"] for c in fresh["columns"]} == {"wasserstein", "jensenshannon"}
    assert all(c["threshold"] == 0.1 for c in fresh["columns"])
    assert fresh["prediction"]["drifted"] is False
    _history_latest_and_one_run(client, ops, run, fresh)


def _history_latest_and_one_run(client, key: str, first: dict, second: dict) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(key)
    assert client.get("/v1/drift/runs/latest", headers=headers).json()["id"] == second["id"]
    assert client.get("/v1/drift/runs/latest?source=application_test",
                      headers=headers).status_code == 404
    one = client.get(f"/v1/drift/runs/{first['id']}", headers=headers).json()
    assert one == first
    assert set(one["columns"][0]) >= {"column", "test", "score", "threshold", "drifted",
                                      "importance", "label", "type"}
    history = client.get("/v1/drift/runs?limit=10", headers=headers).json()["runs"]
    assert [run["id"] for run in history] == [second["id"], first["id"]]
    assert history[0]["source"] == "upload" and history[0]["rows"] == 2000
    assert client.get("/v1/drift/runs/999999", headers=headers).status_code == 404
    report = client.get(f"/v1/drift/runs/{first['id']}/report", headers=headers)
    assert report.status_code == 404 and "no report" in report.json()["detail"]


def test_application_test_and_decisions_sources(client, service_db) -> None:  # type: ignore[no-untyped-def]
    ops = bearer(service_db.keys["ops"])
    response = client.post("/v1/drift/runs", json={"source": "application_test"}, headers=ops)
    assert response.status_code == 201, response.text
    run = response.json()
    assert run["current"]["rows"] == 60 and run["model"] == {"name": "credit-default",
                                                             "version": "1"}
    assert response.headers["location"] == f"/v1/drift/runs/{run['id']}"

    empty = client.post("/v1/drift/runs", json={"source": "decisions"}, headers=ops)
    assert empty.status_code == 422 and "no decisions" in empty.json()["detail"]

    vectors = service_db.features.iloc[:120]
    times = [recent(hours=1 + i % 48) for i in range(120)]
    probabilities = np.linspace(0.01, 0.4, 120)
    insert_decisions(service_db.url, vectors, times, probabilities)
    insert_decisions(service_db.url, service_db.features.iloc[:5], [recent(hours=24 * 30)] * 5,
                     [0.5] * 5)  # outside the default window
    run = client.post("/v1/drift/runs", json={}, headers=ops).json()
    assert run["current"]["source"] == "decisions" and run["current"]["rows"] == 120
    approved = float(np.mean(probabilities < 0.12))
    assert run["prediction"]["approval_rate"]["current"] == pytest.approx(approved)
    assert run["prediction"]["current_mean"] == pytest.approx(probabilities.mean(), rel=1e-6)
    window = client.post("/v1/drift/runs", json={
        "window_start": recent(hours=12).isoformat(), "window_end": recent(hours=0).isoformat()},
        headers=ops).json()
    assert window["current"]["rows"] == sum(1 + i % 48 < 12 for i in range(120))


def test_options_are_applied_and_checked(client, service_db) -> None:  # type: ignore[no-untyped-def]
    ops = service_db.keys["ops"]
    options = {"num_method": "psi", "cat_method": "chisquare", "drift_share": 0.2,
               "per_column_threshold": {"EXT_SOURCE_1": 0.5}, "per_column_method": {
                   "DAYS_BIRTH": "ks"}}
    run = upload(client, ops, as_csv(batch(1500, seed=9, shift=True)), options=options).json()
    columns = _by_column(run)
    assert columns["EXT_SOURCE_2"]["test"] == "psi" and columns["CODE_GENDER"]["test"] == "chisquare"
    assert columns["DAYS_BIRTH"]["test"] == "ks" and columns["DAYS_BIRTH"]["threshold"] == 0.05
    assert columns["EXT_SOURCE_1"]["threshold"] == 0.5
    assert run["drift_share_threshold"] == 0.2 and run["dataset_drift"] is True
    assert run["options"]["num_method"] == "psi"

    headers = bearer(ops)
    before = count_runs(service_db.url)
    for bad, fragment in [
        ({"method": "wasserstein"}, "categorical column 'CODE_GENDER'"),
        ({"per_column_threshold": {"NOPE": 0.1}}, "NOPE"),
        ({"num_method": "magic"}, "num_method"),
        ({"drift_share": 0}, "drift_share"),
    ]:
        response = client.post("/v1/drift/runs", json={"source": "application_test",
                                                       "options": bad}, headers=headers)
        assert response.status_code == 422, (bad, response.text)
        assert fragment in response.text
    window = client.post("/v1/drift/runs", json={"window_start": "2026-01-02T00:00:00Z",
                                                 "window_end": "2026-01-01T00:00:00Z"},
                         headers=headers)
    assert window.status_code == 422 and "window_start" in window.text
    assert count_runs(service_db.url) == before

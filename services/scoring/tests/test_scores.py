"""POST /v1/scores and /v1/scores/batch: decisions, audit rows, validation."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import func, select

from credit_core.audit import unpack_vector
from credit_core.db import decisions, get_engine
from credit_core.schema.features import FEATURE_NAMES
from scoring_service.service import full_vectors_from_applications

from .conftest import bearer


def _audit_rows(url: str) -> list:
    with get_engine(url).connect() as connection:
        return connection.execute(select(decisions).order_by(decisions.c.id)).all()


def _count(url: str) -> int:
    with get_engine(url).connect() as connection:
        return connection.execute(select(func.count()).select_from(decisions)).scalar_one()


def test_score_by_id_is_the_model_on_the_stored_vector_and_is_audited(
        client, service_db, tiny_bundle) -> None:  # type: ignore[no-untyped-def]
    client_id = service_db.client_ids[3]
    response = client.post("/v1/scores", json={"client_id": client_id},
                           headers=bearer(service_db.keys["integrator"]) | {"X-Request-ID": "r-1"})
    assert response.status_code == 200, response.text
    body = response.json()
    stored = service_db.features.loc[client_id, tiny_bundle.features].to_numpy(dtype=float)
    expected = float(tiny_bundle.predict_proba(stored)[0])
    assert body["probability"] == pytest.approx(expected, rel=1e-12)
    assert body["threshold"] == tiny_bundle.threshold
    assert body["decision"] == ("refused" if expected >= tiny_bundle.threshold else "approved")
    assert body["model"] == {"name": "credit-default", "version": "1"}
    assert body["client_id"] == client_id
    (row,) = _audit_rows(service_db.url)
    assert row.decision_id == body["decision_id"] and row.request_id == "r-1"
    assert row.client_id == client_id and row.source == "client_id"
    assert row.api_key_name == "test-integrator" and row.model_version == "1"
    assert row.probability == body["probability"] and row.decision == body["decision"]
    vector = unpack_vector(row.feature_vector)
    np.testing.assert_array_equal(
        vector, service_db.features.loc[client_id, list(FEATURE_NAMES)].to_numpy(dtype=float))


def test_both_decisions_occur(client, service_db) -> None:  # type: ignore[no-untyped-def]
    outcomes = {client.post("/v1/scores", json={"client_id": i},
                            headers=bearer(service_db.keys["service"])).json()["decision"]
                for i in service_db.client_ids[:60]}
    assert outcomes == {"approved", "refused"}


def test_score_by_features_treats_absent_fields_as_missing(client, service_db, tiny_bundle) -> None:  # type: ignore[no-untyped-def]
    features = {"AMT_INCOME_TOTAL": 120000, "AMT_CREDIT": 400000, "AMT_ANNUITY": 20000,
                "DAYS_BIRTH": -12000, "EXT_SOURCE_2": 0.3, "CODE_GENDER": "M"}
    response = client.post("/v1/scores", json={"features": features},
                           headers=bearer(service_db.keys["integrator"]))
    assert response.status_code == 200, response.text
    vector = full_vectors_from_applications([features])[0]
    positions = [list(FEATURE_NAMES).index(n) for n in tiny_bundle.features]
    assert np.isnan(vector[list(FEATURE_NAMES).index("EXT_SOURCE_1")])
    assert vector[list(FEATURE_NAMES).index("PAYMENT_RATE")] == pytest.approx(0.05)
    expected = float(tiny_bundle.predict_proba(vector[positions])[0])
    assert response.json()["probability"] == pytest.approx(expected, rel=1e-12)
    (row,) = _audit_rows(service_db.url)
    assert row.source == "features" and row.client_id is None
    assert row.inputs["EXT_SOURCE_2"] == 0.3 and "EXT_SOURCE_1" not in row.inputs


@pytest.mark.parametrize("features, field", [
    ({"AMT_INCOME_TOTAL": 1, "AMT_CREDIT": 1, "DAYS_BIRTH": -9000, "FAVOURITE_COLOUR": "red"},
     "FAVOURITE_COLOUR"),
    ({"AMT_INCOME_TOTAL": "lots", "AMT_CREDIT": 1, "DAYS_BIRTH": -9000}, "AMT_INCOME_TOTAL"),
    ({"AMT_INCOME_TOTAL": -5, "AMT_CREDIT": 1, "DAYS_BIRTH": -9000}, "AMT_INCOME_TOTAL"),
    ({"AMT_INCOME_TOTAL": 1, "AMT_CREDIT": 1, "DAYS_BIRTH": -9000, "CODE_GENDER": "Q"},
     "CODE_GENDER"),
    ({"AMT_INCOME_TOTAL": 1, "AMT_CREDIT": 1, "DAYS_BIRTH": -9000, "EXT_SOURCE_1": 1.5},
     "EXT_SOURCE_1"),
    ({"AMT_INCOME_TOTAL": 1, "DAYS_BIRTH": -9000}, "AMT_CREDIT"),
])
def test_bad_features_are_422_naming_the_field(client, service_db, features, field) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/scores", json={"features": features},
                           headers=bearer(service_db.keys["integrator"]))
    assert response.status_code == 422, response.text
    assert any(field in error["loc"] for error in response.json()["detail"]), response.json()
    assert _count(service_db.url) == 0


@pytest.mark.parametrize("raw", [
    '{"features": {"AMT_INCOME_TOTAL": NaN, "AMT_CREDIT": 1, "DAYS_BIRTH": -9000}}',
    '{"features": {"AMT_INCOME_TOTAL": Infinity, "AMT_CREDIT": 1, "DAYS_BIRTH": -9000}}',
    '{"features": {"AMT_INCOME_TOTAL": 1e308, "AMT_CREDIT": 1, "DAYS_BIRTH": -9000}}',
    '{"client_id": 100001, "features": {"AMT_INCOME_TOTAL": 1, "AMT_CREDIT": 1, "DAYS_BIRTH": -9000}}',
    '{}',
    '{"client_id": "1 OR 1=1"}',
    '{"client_id": 0}',
    '[1, 2]',
    '{"client_id": 100001',
])
def test_hostile_bodies_are_4xx(client, service_db, raw: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/scores", content=raw, headers=bearer(
        service_db.keys["integrator"]) | {"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["detail"]
    assert _count(service_db.url) == 0


def test_unknown_client_is_404_and_nothing_is_written(client, service_db) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/scores", json={"client_id": 999_999_999},
                           headers=bearer(service_db.keys["integrator"]))
    assert response.status_code == 404
    assert "999999999" in response.json()["detail"]
    assert _count(service_db.url) == 0


def test_wrong_content_type_is_415(client, service_db) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/scores", content="client_id=100001",
                           headers=bearer(service_db.keys["integrator"])
                           | {"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415


def test_batch_by_ids_and_by_applications(client, service_db) -> None:  # type: ignore[no-untyped-def]
    ids = service_db.client_ids[:25]
    response = client.post("/v1/scores/batch", json={"client_ids": ids},
                           headers=bearer(service_db.keys["integrator"]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == 25 and [d["client_id"] for d in body["decisions"]] == ids
    rows = client.post("/v1/scores/batch", json={"applications": [
        {"AMT_INCOME_TOTAL": 1e5, "AMT_CREDIT": 2e5, "DAYS_BIRTH": -10000, "SK_ID_CURR": 7},
        {"AMT_INCOME_TOTAL": 2e5, "AMT_CREDIT": 9e5, "DAYS_BIRTH": -20000},
    ]}, headers=bearer(service_db.keys["integrator"]))
    assert rows.status_code == 200 and rows.json()["count"] == 2
    assert rows.json()["decisions"][0]["client_id"] == 7
    assert _count(service_db.url) == 27
    singles = [client.post("/v1/scores", json={"client_id": i},
                           headers=bearer(service_db.keys["integrator"])).json()["probability"]
               for i in ids[:3]]
    assert singles == [d["probability"] for d in body["decisions"][:3]]


def test_batch_with_an_unknown_id_writes_nothing(client, service_db) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/scores/batch", json={"client_ids": [*service_db.client_ids[:5], 42]},
                           headers=bearer(service_db.keys["integrator"]))
    assert response.status_code == 404 and "42" in response.json()["detail"]
    assert _count(service_db.url) == 0


def test_batch_above_the_maximum_is_413(make_settings, service_db) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from scoring_service.main import create_app

    with TestClient(create_app(make_settings(max_batch=10))) as small:
        response = small.post("/v1/scores/batch", json={"client_ids": service_db.client_ids[:11]},
                              headers=bearer(service_db.keys["integrator"]))
        assert response.status_code == 413 and "10" in response.json()["detail"]
        assert small.post("/v1/scores/batch", json={"client_ids": service_db.client_ids[:10]},
                          headers=bearer(service_db.keys["integrator"])).status_code == 200
    assert _count(service_db.url) == 10


def test_empty_batch_and_ambiguous_batch(client, service_db) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["integrator"])
    assert client.post("/v1/scores/batch", json={"client_ids": []},
                       headers=headers).json() == {"count": 0, "decisions": []}
    assert client.post("/v1/scores/batch", json={"client_ids": [1], "applications": []},
                       headers=headers).status_code == 422

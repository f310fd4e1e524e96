"""POST /v1/scores and /v1/scores/batch: decisions, audit rows, validation."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import func, select

from credit_core.audit import unpack_vector
from credit_core.db import decisions, get_engine
from credit_core.db.vectors import COPY_MIN_ROWS
from credit_core.feature_derivation import full_vectors_from_applications
from credit_core.schema.features import FEATURE_NAMES

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
    # The caller's X-Request-ID in its own column; ours is generated (issue 14, item 9).
    assert row.decision_id == body["decision_id"] and row.client_request_id == "r-1"
    assert len(row.request_id) == 32 and row.request_id != "r-1"
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


def test_large_batches_read_and_audit_exactly_what_single_requests_do(
        client, service_db, tiny_bundle) -> None:  # type: ignore[no-untyped-def]
    """Batches of COPY_MIN_ROWS and more take the COPY road on PostgreSQL: same vectors, same
    probabilities, same audit rows as one client at a time (ids out of order, one repeated)."""
    ids = [*reversed(service_db.client_ids[:COPY_MIN_ROWS + 8]), service_db.client_ids[3]]
    response = client.post("/v1/scores/batch", json={"client_ids": ids},
                           headers=bearer(service_db.keys["integrator"]) | {"X-Request-ID": "big"})
    assert response.status_code == 200, response.text
    made = response.json()["decisions"]
    assert [d["client_id"] for d in made] == ids
    stored = service_db.features.loc[ids, list(FEATURE_NAMES)].to_numpy(dtype=float)
    positions = [list(FEATURE_NAMES).index(n) for n in tiny_bundle.features]
    expected = tiny_bundle.predict_proba(stored[:, positions])
    assert [d["probability"] for d in made] == pytest.approx(expected.tolist(), rel=1e-12)
    rows = {row.decision_id: row for row in _audit_rows(service_db.url)}
    assert len(rows) == len(ids)
    for decision, vector in zip(made, stored, strict=True):
        row = rows[decision["decision_id"]]
        assert (row.client_id, row.client_request_id, row.source) == (decision["client_id"], "big",
                                                                      "client_id")
        assert row.probability == decision["probability"] and row.decision == decision["decision"]
        assert row.inputs is None and row.api_key_name == "test-integrator"
        np.testing.assert_array_equal(unpack_vector(row.feature_vector), vector)
    unknown = client.post("/v1/scores/batch", json={"client_ids": [*ids, 42]},
                          headers=bearer(service_db.keys["integrator"]))
    assert unknown.status_code == 404 and "42" in unknown.json()["detail"]
    assert _count(service_db.url) == len(ids)


def test_large_batches_of_applications_are_audited_with_their_inputs(client, service_db) -> None:  # type: ignore[no-untyped-def]
    applications = [{"AMT_INCOME_TOTAL": 1e5 + i, "AMT_CREDIT": 2e5, "DAYS_BIRTH": -10000 - i}
                    for i in range(COPY_MIN_ROWS + 1)]
    response = client.post("/v1/scores/batch", json={"applications": applications},
                           headers=bearer(service_db.keys["integrator"]))
    assert response.status_code == 200, response.text
    rows = _audit_rows(service_db.url)
    assert [row.inputs["AMT_INCOME_TOTAL"] for row in rows] == [a["AMT_INCOME_TOTAL"] for a in applications]
    assert {row.source for row in rows} == {"features"} and {row.client_id for row in rows} == {None}


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
    # An empty batch is refused like an empty /v1/outcomes (issue 14, item 9).
    assert client.post("/v1/scores/batch", json={"client_ids": []},
                       headers=headers).status_code == 422
    assert client.post("/v1/scores/batch", json={"client_ids": [1], "applications": []},
                       headers=headers).status_code == 422


def test_batch_body_is_what_the_response_model_path_gives(client, service_db) -> None:  # type: ignore[no-untyped-def]
    """The batch route writes its JSON itself (speed): the bytes must be those FastAPI's
    response_model path makes of the same decisions, and validate against BatchResponse."""
    import asyncio
    import concurrent.futures

    from fastapi.responses import JSONResponse
    from fastapi.routing import serialize_response
    from fastapi.utils import create_model_field

    from scoring_service.routes.scores import _batch_body, _response
    from scoring_service.schemas import BatchResponse

    ids = service_db.client_ids[:COPY_MIN_ROWS + 3]
    response = client.post("/v1/scores/batch", json={"client_ids": ids},
                           headers=bearer(service_db.keys["integrator"]))
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    parsed = BatchResponse.model_validate_json(response.content)
    assert parsed.count == len(ids) and [d.client_id for d in parsed.decisions] == ids

    scorer = client.app.state.models.current
    from credit_core.scoring import Decision
    made = [Decision(d.client_id, d.probability, d.threshold, d.decision, d.decision_id,
                     d.scored_at) for d in parsed.decisions]
    made.append(Decision(None, 1 / 3, 0.25, "refused", "x", made[0].scored_at))
    field = create_model_field(name="r", type_=BatchResponse, mode="serialization")
    content = {"count": len(made), "decisions": [_response(d, scorer) for d in made]}
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # no running loop in this thread
        expected = pool.submit(asyncio.run, serialize_response(
            field=field, response_content=content, is_coroutine=False)).result()
    assert _batch_body(made, scorer) == JSONResponse(expected).body
    assert response.content == _batch_body(made[:-1], scorer)

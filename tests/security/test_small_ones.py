"""Issue 14, item 9: empty batches, duplicate JSON keys, the caller's request id, authentication
before the content type, NaN in a query, validator internals in error answers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from credit_core.db import decisions, get_engine
from tests.security.conftest import SecurityDatabase, ServiceFactory, bearer


@pytest.fixture(scope="module")
def scoring(sqlite_db: SecurityDatabase, start_service: ServiceFactory) -> TestClient:
    return start_service("scoring", sqlite_db)


@pytest.fixture(scope="module")
def monitoring(sqlite_db: SecurityDatabase, start_service: ServiceFactory) -> TestClient:
    return start_service("monitoring", sqlite_db)


@pytest.mark.parametrize("body", [{"client_ids": []}, {"applications": []}])
def test_an_empty_batch_is_422(scoring: TestClient, sqlite_db: SecurityDatabase,
                               body: dict[str, list[int]]) -> None:
    answer = scoring.post("/v1/scores/batch", json=body, headers=bearer(sqlite_db.keys["admin"]))
    assert answer.status_code == 422, answer.text
    assert next(iter(body)) in str(answer.json()["detail"])


def test_duplicate_json_keys_are_refused_naming_the_key(scoring: TestClient,
                                                        sqlite_db: SecurityDatabase) -> None:
    headers = {**bearer(sqlite_db.keys["admin"]), "Content-Type": "application/json"}
    answer = scoring.post("/v1/scores", content=b'{"client_id": 100001, "client_id": 100002}',
                          headers=headers)
    assert answer.status_code in (400, 422), answer.text
    assert "duplicate" in answer.text and "client_id" in answer.text
    nested = scoring.post("/v1/scores", headers=headers,
                          content=b'{"features": {"AMT_CREDIT": 1, "AMT_CREDIT": 2}}')
    assert nested.status_code in (400, 422) and "AMT_CREDIT" in nested.text


@pytest.mark.parametrize("rows", [1, 3_000])  # a small body, and one parsed off the loop
def test_duplicate_json_keys_are_refused_by_invocations(scoring: TestClient,
                                                       sqlite_db: SecurityDatabase,
                                                       rows: int) -> None:
    headers = {**bearer(sqlite_db.keys["admin"]), "Content-Type": "application/json"}
    record = '{"EXT_SOURCE_2": 0.5, "EXT_SOURCE_2": 0.7}'
    body = '{"dataframe_records": [' + ", ".join([record] * rows) + "]}"
    assert rows == 1 or len(body) > 32 * 1024
    answer = scoring.post("/invocations", content=body.encode(), headers=headers)
    assert answer.status_code == 422, answer.text
    assert "duplicate" in answer.text and "EXT_SOURCE_2" in answer.text


def test_duplicate_json_keys_are_refused_by_a_drift_run(monitoring: TestClient,
                                                       sqlite_db: SecurityDatabase) -> None:
    headers = {**bearer(sqlite_db.keys["admin"]), "Content-Type": "application/json"}
    answer = monitoring.post("/v1/drift/runs", headers=headers,
                             content=b'{"source": "decisions", "source": "application_test"}')
    assert answer.status_code == 422, answer.text
    assert "duplicate" in answer.text and "source" in answer.text


def test_every_route_of_every_service_refuses_duplicate_keys(
        scoring: TestClient, monitoring: TestClient, sqlite_db: SecurityDatabase,
        start_service: ServiceFactory) -> None:
    from fastapi.routing import APIRoute, iter_route_contexts

    from credit_core.web.json_keys import StrictJSONRoute

    apps = [scoring.app, monitoring.app, start_service("explain", sqlite_db).app]
    routes = [context.original_route for app in apps for context in iter_route_contexts(app.routes)
              if isinstance(context.original_route, APIRoute)]
    assert len(routes) > 30
    assert [route.path for route in routes if not isinstance(route, StrictJSONRoute)] == []


def test_the_callers_request_id_is_kept_apart_from_ours(scoring: TestClient,
                                                        sqlite_db: SecurityDatabase) -> None:
    headers = {**bearer(sqlite_db.keys["admin"]), "X-Request-ID": "caller-chosen-id"}
    ids = [scoring.post("/v1/scores", json={"client_id": 100001}, headers=headers).json()[
        "decision_id"] for _ in range(2)]
    with get_engine(sqlite_db.url).connect() as connection:
        rows = connection.execute(select(decisions.c.request_id, decisions.c.client_request_id)
                                  .where(decisions.c.decision_id.in_(ids))).all()
    assert [row.client_request_id for row in rows] == ["caller-chosen-id"] * 2
    assert len({row.request_id for row in rows}) == 2
    assert "caller-chosen-id" not in {row.request_id for row in rows}


def test_authentication_comes_before_the_content_type(scoring: TestClient) -> None:
    for path in ("/invocations", "/v1/scores"):
        answer = scoring.post(path, content=b"x")
        assert answer.status_code == 401, (path, answer.status_code)


def test_nan_in_a_query_says_it_is_not_a_number(scoring: TestClient,
                                                sqlite_db: SecurityDatabase) -> None:
    headers = bearer(sqlite_db.keys["service"])
    for path in ("/v1/population/percentile?probability=NaN",
                 "/v1/population/distribution?feature=AMT_CREDIT&similar=true"
                 "&AMT_INCOME_TOTAL=NaN"):
        answer = scoring.get(path, headers=headers)
        assert answer.status_code == 422, answer.text
        assert "finite" in answer.text and "less than" not in answer.text, answer.text


def test_outcome_errors_name_fields_not_validators(monitoring: TestClient,
                                                   sqlite_db: SecurityDatabase) -> None:
    answer = monitoring.post("/v1/outcomes", headers=bearer(sqlite_db.keys["ops"]), json={
        "outcomes": [{"client_id": 100001, "observed_default": 1,
                      "observed_at": "2999-01-01T00:00:00Z"}]})
    assert answer.status_code == 422, answer.text
    assert "function-after" not in answer.text and "OutcomeIn" not in answer.text
    assert "future" in answer.text

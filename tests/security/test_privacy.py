"""No answer pairs a client's identity with a training outcome for a role that does not need
it (issue 14, item 1): an integrator scores and nothing else; the population the dashboard
sees is points without identifiers, jittered and sampled per request, and histograms whose
small cells are suppressed. The explain service reads back to an integrator only what it sent:
its own decisions on submitted fields, or the fields of the request itself."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from credit_core.db import client_features, get_engine
from tests.security.conftest import SecurityDatabase, ServiceFactory, bearer

MIN_CELL = 10


APPLICANT = {"AMT_INCOME_TOTAL": 150_000.0, "AMT_CREDIT": 450_000.0, "DAYS_BIRTH": -12_000,
             "AMT_ANNUITY": 22_000.0, "AMT_GOODS_PRICE": 400_000.0, "CODE_GENDER": "F"}


@pytest.fixture(scope="module")
def explain(sqlite_db: SecurityDatabase, start_service: ServiceFactory) -> TestClient:
    return start_service("explain", sqlite_db)


@pytest.fixture(scope="module")
def scoring(sqlite_db: SecurityDatabase, start_service: ServiceFactory) -> TestClient:
    return start_service("scoring", sqlite_db)


@pytest.mark.parametrize("path", [
    "/v1/clients?split=train", "/v1/clients/100001",
    "/v1/population/scatter?x=AMT_CREDIT&y=AMT_ANNUITY&n=50",
    "/v1/population/distribution?feature=AMT_CREDIT",
    "/v1/population/percentile?probability=0.5"])
def test_an_integrator_key_reads_no_client_and_no_population(
        scoring: TestClient, sqlite_db: SecurityDatabase, path: str) -> None:
    answer = scoring.get(path, headers=bearer(sqlite_db.keys["integrator"]))
    assert answer.status_code == 403, answer.text
    assert scoring.get(path, headers=bearer(sqlite_db.keys["service"])).status_code == 200


def test_scatter_points_are_sampled_per_request_and_jittered(
        scoring: TestClient, sqlite_db: SecurityDatabase) -> None:
    path = "/v1/population/scatter?x=AMT_CREDIT&y=AMT_ANNUITY&n=50"
    first, second = (scoring.get(path, headers=bearer(sqlite_db.keys["service"])).json()["points"]
                     for _ in range(2))
    assert all(set(point) <= {"x", "y", "target", "probability"} for point in first)
    assert [p["x"] for p in first] != [p["x"] for p in second]
    with get_engine(sqlite_db.url).connect() as connection:
        known = {(row.AMT_CREDIT, row.AMT_ANNUITY) for row in connection.execute(
            select(client_features.c.AMT_CREDIT, client_features.c.AMT_ANNUITY))}
    exact = [p for p in first if (p["x"], p["y"]) in known]
    assert not exact, f"points with a client's exact values: {exact[:3]}"


def test_histogram_cells_below_the_minimum_are_suppressed(
        scoring: TestClient, sqlite_db: SecurityDatabase) -> None:
    answer = scoring.get("/v1/population/distribution?feature=AMT_CREDIT&bins=60",
                         headers=bearer(sqlite_db.keys["service"])).json()
    cells = np.asarray(answer["repaid"] + answer["defaulted"])
    assert not ((cells > 0) & (cells < MIN_CELL)).any(), cells
    assert answer["min_cell"] == MIN_CELL


def _decision(scoring: TestClient, key: str, body: dict[str, object]) -> str:
    answer = scoring.post("/v1/scores", json=body, headers=bearer(key))
    assert answer.status_code == 200, answer.text
    return str(answer.json()["decision_id"])


@pytest.mark.parametrize("path", ["/v1/explanations", "/v1/counterfactuals"])
def test_an_integrator_explains_only_what_it_sent(
        scoring: TestClient, explain: TestClient, sqlite_db: SecurityDatabase, path: str) -> None:
    integrator, service = bearer(sqlite_db.keys["integrator"]), bearer(sqlite_db.keys["service"])
    # A stored client's application: the dashboard may read it, an integrator may not.
    by_id = explain.post(path, json={"client_id": 100001}, headers=integrator)
    assert by_id.status_code == 403, by_id.text
    assert by_id.json()["detail"][0]["loc"] == ["body", "client_id"]
    assert explain.post(path, json={"client_id": 100001}, headers=service).status_code == 200
    # Its own decision on the fields it submitted, and those fields themselves: yes.
    own = _decision(scoring, sqlite_db.keys["integrator"], {"features": APPLICANT})
    answer = explain.post(path, json={"decision_id": own}, headers=integrator)
    assert answer.status_code == 200, answer.text
    assert explain.post(path, json={"features": APPLICANT}, headers=integrator).status_code == 200
    # Its own decision on a stored client would read that client back: no.
    on_stored = _decision(scoring, sqlite_db.keys["integrator"], {"client_id": 100002})
    refused = explain.post(path, json={"decision_id": on_stored}, headers=integrator)
    assert refused.status_code == 403, refused.text
    assert "100002" in refused.json()["detail"][0]["msg"]
    # Another key's decision is, to an integrator, no decision at all (not even its existence).
    other = _decision(scoring, sqlite_db.keys["service"], {"features": APPLICANT})
    hidden = explain.post(path, json={"decision_id": other}, headers=integrator)
    assert hidden.status_code == 404, hidden.text
    assert explain.post(path, json={"decision_id": other}, headers=service).status_code == 200

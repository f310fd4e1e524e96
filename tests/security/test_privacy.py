"""No answer pairs a client's identity with a training outcome for a role that does not need
it (issue 14, item 1): an integrator scores and nothing else; the population the dashboard
sees is points without identifiers, jittered and sampled per request, and histograms whose
small cells are suppressed."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from credit_core.db import client_features, get_engine
from tests.security.conftest import SecurityDatabase, ServiceFactory, bearer

MIN_CELL = 10


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

"""/invocations, /v1/clients, metrics, database outage."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import create_engine

from .conftest import bearer


def _rows(service_db, tiny_bundle, n: int = 3) -> np.ndarray:  # type: ignore[no-untyped-def]
    return service_db.features.iloc[:n][tiny_bundle.features].to_numpy(dtype=float)


def test_invocations_accepts_every_mlflow_format(client, service_db, tiny_bundle) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(service_db, tiny_bundle)
    expected = tiny_bundle.predict_proba(rows).tolist()
    names = tiny_bundle.features
    as_lists = [[None if np.isnan(v) else v for v in row] for row in rows]
    records = [dict(zip(names, row, strict=True)) for row in as_lists]
    bodies = [
        {"dataframe_split": {"columns": names, "data": as_lists}},
        {"dataframe_records": records},
        {"instances": records},
        {"inputs": records},
        {"inputs": {name: [r[name] for r in records] for name in names}},
        {"instances": as_lists},
    ]
    for body in bodies:
        response = client.post("/invocations", json=body,
                               headers=bearer(service_db.keys["integrator"]))
        assert response.status_code == 200, (body.keys(), response.text)
        assert response.json()["predictions"] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("body, fragment", [
    ({"dataframe_records": [{"NOPE": 1}]}, "NOPE"),
    ({"instances": [{"EXT_SOURCE_1": "high"}]}, "EXT_SOURCE_1"),
    ({"instances": [[1, 2]]}, "expected"),
    ({"something": []}, "something"),
    ({"dataframe_split": {"columns": ["EXT_SOURCE_1"], "data": [[1, 2]]}}, "dataframe_split"),
])
def test_invocations_errors_name_the_problem(client, service_db, body, fragment) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/invocations", json=body, headers=bearer(service_db.keys["integrator"]))
    assert response.status_code == 422 and fragment in response.json()["detail"]


def test_invocations_rejects_invalid_json_and_other_content_types(client, service_db) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["integrator"])
    bad = client.post("/invocations", content=b"{not json",
                      headers=headers | {"Content-Type": "application/json"})
    assert bad.status_code == 400
    utf = client.post("/invocations", content=b'{"inputs": ["\xff"]}',
                      headers=headers | {"Content-Type": "application/json"})
    assert utf.status_code == 400
    csv = client.post("/invocations", content=b"a,b\n1,2", headers=headers | {"Content-Type": "text/csv"})
    assert csv.status_code == 415


def test_get_client(client, service_db) -> None:  # type: ignore[no-untyped-def]
    client_id = service_db.client_ids[1]
    body = client.get(f"/v1/clients/{client_id}", headers=bearer(service_db.keys["service"])).json()
    assert body["client_id"] == client_id and body["split"] == "train"
    assert body["application"]["AMT_CREDIT"] == service_db.features.loc[client_id, "AMT_CREDIT"]
    assert body["application"]["OCCUPATION_TYPE"] is None
    assert client.get("/v1/clients/1", headers=bearer(service_db.keys["service"])).status_code == 404
    assert client.get("/v1/clients/abc", headers=bearer(service_db.keys["service"])).status_code == 422


def test_metrics_count_requests_by_route_and_decisions(client, service_db) -> None:  # type: ignore[no-untyped-def]
    client.post("/v1/scores", json={"client_id": service_db.client_ids[0]},
                headers=bearer(service_db.keys["integrator"]))
    client.get(f"/v1/clients/{service_db.client_ids[0]}", headers=bearer(service_db.keys["integrator"]))
    text = client.get("/metrics").text
    assert 'route="/v1/scores"' in text and 'route="/v1/clients/{client_id}"' in text
    assert "decisions_total{decision=" in text
    assert 'model_version_info{model="credit-default",service="scoring",version="1"} 1.0' in text


def test_database_down_is_503_with_retry_after_and_recovers(client, service_db) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["integrator"])
    body = {"client_id": service_db.client_ids[0]}
    assert client.post("/v1/scores", json=body, headers=headers).status_code == 200  # key cached
    real = client.app.state.engine
    dead = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none",
                         connect_args={"connect_timeout": 1})
    client.app.state.engine = lambda: dead
    try:
        down = client.post("/v1/scores", json=body, headers=headers)
        assert down.status_code == 503 and int(down.headers["retry-after"]) >= 1
        assert client.get("/readyz").status_code == 503
    finally:
        client.app.state.engine = real
    assert client.post("/v1/scores", json=body, headers=headers).status_code == 200
    assert client.get("/readyz").status_code == 200

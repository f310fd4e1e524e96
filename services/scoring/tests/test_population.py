"""The applicant among the others, and finding applicants."""

from __future__ import annotations

import numpy as np
import pytest

from .conftest import bearer


def test_find_clients_defaults_to_test_applicants(client, service_db) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["service"])
    body = client.get("/v1/clients", headers=headers).json()
    assert body["total"] == 60 and all(c["split"] == "test" for c in body["clients"])
    prefix = str(service_db.client_ids[5])[:5]
    found = client.get(f"/v1/clients?split=train&q={prefix}&limit=5", headers=headers).json()
    assert found["clients"] and all(str(c["client_id"]).startswith(prefix) for c in found["clients"])
    assert len(found["clients"]) <= 5
    bad = client.get("/v1/clients?q=1%27%20OR%201=1", headers=headers)
    assert bad.status_code == 422


def test_distribution_counts_repaid_and_defaulted(client, service_db) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["service"])
    client_id = service_db.client_ids[1]
    body = client.get(f"/v1/population/distribution?feature=EXT_SOURCE_2&bins=10&client_id={client_id}",
                      headers=headers).json()
    assert len(body["edges"]) == 11 and len(body["repaid"]) == len(body["defaulted"]) == 10
    assert sum(body["repaid"]) + sum(body["defaulted"]) == 240  # the training clients
    assert body["applicant_value"] == pytest.approx(service_db.features.loc[client_id, "EXT_SOURCE_2"])
    assert body["label"] and body["population"] == "all"
    categorical = client.get("/v1/population/distribution?feature=CODE_GENDER", headers=headers).json()
    assert categorical["levels"][:2] == ["F", "M"] and len(categorical["repaid"]) == 3


def test_similar_clients_are_closer_to_the_applicant(client, service_db) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["service"])
    client_id = service_db.client_ids[2]
    similar = client.get(f"/v1/population/distribution?feature=AMT_CREDIT&client_id={client_id}"
                         "&similar=true", headers=headers).json()
    assert similar["population"] == "similar" and "closest" in similar["description"]
    no_id = client.get("/v1/population/distribution?feature=AMT_CREDIT&similar=true", headers=headers)
    assert no_id.status_code == 422


def test_scatter_and_percentile(client, service_db, tiny_bundle) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["service"])
    body = client.get("/v1/population/scatter?x=EXT_SOURCE_2&y=AMT_CREDIT&n=50", headers=headers).json()
    assert len(body["points"]) == 50 and {p["target"] for p in body["points"]} <= {0, 1}
    assert all(0 <= p["probability"] <= 1 for p in body["points"])
    low = client.get("/v1/population/percentile?probability=0", headers=headers).json()
    high = client.get("/v1/population/percentile?probability=1", headers=headers).json()
    assert low["percentile"] == 0 and high["percentile"] == pytest.approx(100, abs=1)
    middle = client.get("/v1/population/percentile?probability=0.1", headers=headers).json()
    train = service_db.features.iloc[np.arange(300) % 5 != 0][tiny_bundle.features].to_numpy(float)
    expected = 100 * np.mean(tiny_bundle.predict_proba(train) < 0.1)
    assert middle["percentile"] == pytest.approx(expected, abs=0.5)


@pytest.mark.parametrize("query", [
    "distribution?feature=NOT_A_FEATURE", "distribution?feature=x;drop", "scatter?x=EXT_SOURCE_2",
    "percentile?probability=1.5", "distribution?feature=EXT_SOURCE_2&bins=1000",
])
def test_bad_queries_are_422(client, service_db, query: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/v1/population/{query}", headers=bearer(service_db.keys["service"]))
    assert response.status_code == 422, response.text


def test_unknown_applicant_is_404(client, service_db) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/v1/population/distribution?feature=AMT_CREDIT&client_id=5",
                          headers=bearer(service_db.keys["service"]))
    assert response.status_code == 404

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
    # Counting on a 300-client base: the cell minimum (10) has its own test
    # (tests/security/test_privacy.py).
    client.app.state.population.min_cell = 1
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


def test_a_new_applicant_is_compared_with_clients_like_them(
        client, service_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """No client id yet: the similarity traits in the query pick the nearest clients."""
    client.app.state.population.min_cell = 1  # 40 similar clients: small cells by design
    import scoring_service.population as population

    monkeypatch.setattr(population, "SIMILAR_CLIENTS", 40)
    headers = bearer(service_db.keys["service"])
    base = "/v1/population/distribution?feature=AMT_CREDIT&bins=10"
    train = service_db.features.iloc[np.arange(300) % 5 != 0]
    low, high = np.nanpercentile(train["AMT_CREDIT"], [5, 95])

    def mean_of(body: dict) -> float:  # type: ignore[type-arg]
        centres = (np.array(body["edges"][:-1]) + np.array(body["edges"][1:])) / 2
        counts = np.array(body["repaid"]) + np.array(body["defaulted"])
        return float((centres * counts).sum() / counts.sum())

    small = client.get(f"{base}&similar=true&AMT_CREDIT={low}", headers=headers).json()
    large = client.get(f"{base}&similar=true&AMT_CREDIT={high}", headers=headers).json()
    assert small["population"] == large["population"] == "similar"
    assert sum(small["repaid"]) + sum(small["defaulted"]) <= 40
    assert small["applicant_value"] == pytest.approx(low)
    assert mean_of(small) < mean_of(large)
    # A known client's own traits give the same neighbours as its id.
    client_id = service_db.client_ids[2]
    row = service_db.features.loc[client_id]
    traits = "&".join(f"{name}={row[name]}" for name in population.SIMILARITY_FEATURES
                      if np.isfinite(row[name]))
    by_traits = client.get(f"{base}&similar=true&{traits}", headers=headers).json()
    by_id = client.get(f"{base}&similar=true&client_id={client_id}", headers=headers).json()
    assert (by_traits["repaid"], by_traits["defaulted"]) == (by_id["repaid"], by_id["defaulted"])
    both = client.get(f"{base}&client_id={client_id}&AMT_CREDIT=1000", headers=headers)
    assert both.status_code == 422 and "not both" in both.text
    bad = client.get(f"{base}&similar=true&EXT_SOURCES_MEAN=3", headers=headers)
    assert bad.status_code == 422 and "EXT_SOURCES_MEAN" in bad.text


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

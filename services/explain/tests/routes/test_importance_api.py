"""GET /v1/importance: stored with the version, or computed once when a version has none."""

from __future__ import annotations

import json

import pytest

from ..conftest import bearer


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """The database engine does not matter to these tests: SQLite only keeps the run short."""
    return sqlite_url


def test_importance_stored_or_computed_once(client, service_db, rich_staged,
                                           tiny_bundle) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/v1/importance", headers=bearer(service_db.keys["service"]))
    assert response.status_code == 200, response.text
    body = response.json()
    stored = json.loads((rich_staged / "bundle" / "importance.json").read_text())
    assert body["source"] == "stored" and body["stored"] and body["model"]["version"] == "2"
    assert {f["feature"]: f["importance"] for f in body["features"]} == pytest.approx(stored)
    ranked = [f["importance"] for f in body["features"]]
    assert ranked == sorted(ranked, reverse=True) and body["features"][0]["rank"] == 1
    assert all(f["label"] and f["label_fr"] for f in body["features"])
    families = {f["family"]: f for f in body["families"]}
    assert families["installments"]["features"] == 3
    assert families["installments"]["label_fr"] == "Historique de remboursement"
    top = client.get("/v1/importance?top=3", headers=bearer(service_db.keys["service"])).json()
    assert [f["feature"] for f in top["features"]] == [f["feature"] for f in body["features"][:3]]
    # a version that stores none (v1) gets one computed once, and says so
    headers = bearer(service_db.keys["service"])
    first = client.get("/v1/importance?model_version=1", headers=headers)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["source"] == "computed" and not body["stored"]
    assert "stores no importance" in body["description"]["en"]
    assert {f["feature"] for f in body["features"]} == set(tiny_bundle.features)
    assert body["features"][0]["importance"] > 0
    explainer = client.app.state.models.version("1")
    cached = explainer.fallback_importance
    assert cached is not None and explainer.fallback_rows > 0
    again = client.get("/v1/importance?model_version=1", headers=headers).json()
    assert again == body and explainer.fallback_importance is cached  # not recomputed
    assert client.get("/v1/importance?model_version=x",
                      headers=headers).status_code == 422

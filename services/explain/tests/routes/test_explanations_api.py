"""POST /v1/explanations by client id, features and decision id; version pinning; bad input."""

from __future__ import annotations

import math

import pytest

from credit_core.db import get_engine
from credit_core.feature_derivation import full_vectors_from_applications
from credit_core.model_source import ModelSource
from credit_core.schema.features import FEATURE_NAMES
from credit_core.scoring import Scorer, score_clients

from ..conftest import bearer, profile, profile_vector


def _post(client, body, key):  # type: ignore[no-untyped-def]
    return client.post("/v1/explanations", json=body, headers=bearer(key))


def _probability(bundle, vector) -> float:  # type: ignore[no-untyped-def]
    positions = [FEATURE_NAMES.index(n) for n in bundle.features]
    return float(bundle.predict_proba(vector[positions])[0])


def test_explain_by_client_id(client, service_db, constructed, rich_model) -> None:  # type: ignore[no-untyped-def]
    response = _post(client, {"client_id": constructed["late"]}, service_db.keys["service"])
    assert response.status_code == 200, response.text
    body = response.json()
    bundle = rich_model[0]
    assert body["model"] == {"name": "credit-default", "version": "2"}
    assert body["subject"] == {"kind": "client_id", "client_id": constructed["late"],
                               "decision_id": None, "changed_fields": []}
    assert body["probability"] == pytest.approx(_probability(bundle, profile_vector("late")),
                                                rel=1e-12)
    assert body["threshold"] == bundle.threshold
    assert body["decision"] == ("refused" if body["probability"] >= bundle.threshold
                                else "approved")
    total = body["base_value"] + math.fsum(c["contribution"] for c in body["contributions"])
    assert total == pytest.approx(body["raw_score"], abs=1e-9)
    assert body["reasons"]["toward_refusal"][0]["key"] == "family:installments"
    assert body["reference"]["available"] and body["reference"]["approved_clients"] > 100
    values = {c["feature"]: c["value"] for c in body["contributions"]}
    assert values["INSTAL_DPD_MEAN"] == 25.0 and values["CODE_GENDER"] == 0.0
    assert body["waterfall"]["raw_threshold"] == body["scale"]["raw_threshold"]


def test_explain_by_features_matches_scoring(client, service_db, rich_model) -> None:  # type: ignore[no-untyped-def]
    features = {**profile("heavy")[0], "EXT_SOURCE_1": None}
    response = _post(client, {"features": features}, service_db.keys["service"])
    assert response.status_code == 200, response.text
    body = response.json()
    vector = full_vectors_from_applications([features])[0]
    assert body["probability"] == pytest.approx(_probability(rich_model[0], vector), rel=1e-12)
    values = {c["feature"]: c["value"] for c in body["contributions"]}
    assert values["INSTAL_DPD_MEAN"] is None  # a new applicant has no history
    assert values["CREDIT_INCOME_RATIO"] == pytest.approx(6.0)
    assert body["subject"]["kind"] == "features"


def test_a_decision_or_a_named_version_pins_the_model(
        client, service_db, explain_registry, tiny_bundle, model_cache, constructed) -> None:  # type: ignore[no-untyped-def]
    source = ModelSource(explain_registry.uri, "credit-default", "champion", model_cache)
    scorer = Scorer(source.load_version("1"))  # the scoring code, on the old version
    client_id = service_db.client_ids[4]
    (decision,) = score_clients(get_engine(service_db.url), scorer, [client_id], "test", "req-1")
    response = _post(client, {"decision_id": decision.decision_id},
                     service_db.keys["service"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["model"]["version"] == "1"  # not the champion (2)
    assert {c["feature"] for c in body["contributions"]} == set(tiny_bundle.features)
    assert body["probability"] == pytest.approx(decision.probability, rel=1e-12)
    assert body["decision"] == decision.decision
    assert body["recorded_decision"]["model"] == {"name": "credit-default", "version": "1"}
    assert body["subject"] == {"kind": "decision_id", "client_id": client_id,
                               "decision_id": decision.decision_id, "changed_fields": []}
    assert body["reference"]["available"] is False  # version 1 stores no reference
    model = client.get("/v1/model", headers=bearer(service_db.keys["service"])).json()
    assert model["version"] == "2" and model["pinned_versions"] == ["1"]
    # an explicit version, as for a decision
    key = service_db.keys["service"]
    pinned = _post(client, {"client_id": constructed["late"], "model_version": "1"}, key).json()
    assert pinned["model"]["version"] == "1"
    assert pinned["probability"] == pytest.approx(
        _probability(tiny_bundle, profile_vector("late")), rel=1e-12)
    current = _post(client, {"client_id": constructed["late"], "model_version": "2"}, key)
    assert current.json()["model"]["version"] == "2"
    unknown = _post(client, {"client_id": constructed["late"], "model_version": "99"}, key)
    assert unknown.status_code == 404 and "99" in unknown.json()["detail"]


BAD_INPUT = [
    ({"client_id": 999_999_999}, 404, "999999999"),
    ({"decision_id": "00000000-0000-0000-0000-000000000000"}, 404, "unknown decision"),
    ({"features": {"AMT_INCOME_TOTAL": 1, "AMT_CREDIT": 1, "DAYS_BIRTH": -9000,
                   "CODE_GENDER": "Q"}}, 422, "CODE_GENDER"),
    ({"features": {"AMT_INCOME_TOTAL": 1, "AMT_CREDIT": 1, "DAYS_BIRTH": -9000,
                   "FAVOURITE_COLOUR": "red"}}, 422, "FAVOURITE_COLOUR"),
    ({"features": {"AMT_INCOME_TOTAL": 1, "DAYS_BIRTH": -9000}}, 422, "AMT_CREDIT"),
    ({"features": {"AMT_INCOME_TOTAL": 1, "AMT_CREDIT": 1, "DAYS_BIRTH": -9000,
                   "EXT_SOURCE_2": 2.0}}, 422, "EXT_SOURCE_2"),
    ({"client_id": 100001, "features": {"AMT_INCOME_TOTAL": 1, "AMT_CREDIT": 1,
                                        "DAYS_BIRTH": -9000}}, 422, "exactly one"),
    ({}, 422, "exactly one"),
    ({"decision_id": "00000000-0000-0000-0000-000000000000", "model_version": "1"}, 422,
     "model_version"),
    ({"client_id": 100001, "model_version": "latest"}, 422, "model_version"),
    ({"client_id": 100001, "top": 0}, 422, "top"),
]


def test_bad_input(client, service_db) -> None:  # type: ignore[no-untyped-def]
    for body, status, fragment in BAD_INPUT:
        response = _post(client, body, service_db.keys["service"])
        assert response.status_code == status, (body, response.text)
        assert fragment in str(response.json()["detail"]), (body, response.text)
    form = client.post("/v1/explanations", content="client_id=100001",
                       headers=bearer(service_db.keys["service"])
                       | {"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 415


def test_what_if_on_a_known_client_recomputes_the_application_and_keeps_the_history(
        client, service_db, constructed, rich_model) -> None:  # type: ignore[no-untyped-def]
    """'heavy' is 'typical' with a bigger loan: changing its loan back to the typical one gives
    exactly the typical vector, and the late payer keeps their late payments when the loan moves."""
    typical_loan = {name: profile("typical")[0][name] for name in
                    ("AMT_INCOME_TOTAL", "AMT_CREDIT", "AMT_GOODS_PRICE", "AMT_ANNUITY")}
    key = service_db.keys["service"]
    back = _post(client, {"client_id": constructed["heavy"], "changes": typical_loan}, key)
    assert back.status_code == 200, back.text
    body = back.json()
    assert body["probability"] == pytest.approx(_probability(rich_model[0], profile_vector("typical")),
                                                rel=1e-12)
    assert body["subject"] == {"kind": "client_id+changes", "client_id": constructed["heavy"],
                               "decision_id": None, "changed_fields": sorted(typical_loan)}
    late = _post(client, {"client_id": constructed["late"],
                          "changes": {"AMT_CREDIT": 900_000.0, "AMT_ANNUITY": 37_500.0}}, key).json()
    values = {c["feature"]: c["value"] for c in late["contributions"]}
    assert values["INSTAL_DPD_MEAN"] == 25.0  # the history is kept
    assert values["AMT_CREDIT"] == 900_000.0
    unchanged = _post(client, {"client_id": constructed["late"]}, key).json()
    assert late["probability"] != unchanged["probability"]
    same = _post(client, {"client_id": constructed["late"], "changes": {}}, key).json()
    assert same["probability"] == pytest.approx(unchanged["probability"], rel=1e-12)


def test_what_if_null_removes_a_field_and_bad_changes_are_named(
        client, service_db, constructed, rich_model) -> None:  # type: ignore[no-untyped-def]
    key = service_db.keys["service"]
    removed = _post(client, {"client_id": constructed["typical"], "changes": {"EXT_SOURCE_2": None}},
                    key)
    assert removed.status_code == 200, removed.text
    values = {c["feature"]: c["value"] for c in removed.json()["contributions"]}
    assert values["EXT_SOURCE_2"] is None
    for changes, field in (({"AMT_CREDIT": -5}, "AMT_CREDIT"), ({"NOPE": 1}, "NOPE"),
                           ({"CODE_GENDER": "X"}, "CODE_GENDER")):
        response = _post(client, {"client_id": constructed["typical"], "changes": changes}, key)
        assert response.status_code == 422 and field in response.text
    both = _post(client, {"features": profile("typical")[0], "changes": {"AMT_CREDIT": 1e5}}, key)
    assert both.status_code == 422 and "changes" in both.text
    unknown = _post(client, {"client_id": 42, "changes": {"AMT_CREDIT": 1e5}}, key)
    assert unknown.status_code == 404


def test_counterfactual_of_a_what_if_starts_from_the_changed_loan(
        client, service_db, constructed) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/v1/counterfactuals", json={
        "client_id": constructed["hopeless"], "changes": {"AMT_CREDIT": 800_000.0}},
        headers=bearer(service_db.keys["service"]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["subject"]["changed_fields"] == ["AMT_CREDIT"]

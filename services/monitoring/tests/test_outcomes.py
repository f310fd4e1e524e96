"""Outcomes and realised performance on a constructed case whose figures are known."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from credit_core.cost import business_cost
from monitoring_service.outcomes import training_figures

from .conftest import bearer, insert_decisions


def _at(week: int, day: int = 2) -> datetime:
    return datetime.fromisocalendar(2026, week, day).replace(hour=10, tzinfo=UTC)


def _decide(service_db, ids, week, probabilities, threshold) -> None:  # type: ignore[no-untyped-def]
    vectors = service_db.features.iloc[:len(ids)]
    insert_decisions(service_db.url, vectors, [_at(week)] * len(ids), probabilities, threshold,
                     client_ids=ids, model_version=f"w{week}-{threshold}")


def test_realised_metrics_by_week_on_a_constructed_case(client, service_db) -> None:  # type: ignore[no-untyped-def]
    week41 = dict(ids=[1, 2, 3, 4, 5, 6], p=[0.1, 0.2, 0.35, 0.5, 0.05, 0.4], y=[0, 1, 0, 1, 0, 1])
    _decide(service_db, [2], 40, [0.9], 0.3)  # an earlier decision: superseded by week 41's
    _decide(service_db, week41["ids"], 41, week41["p"], 0.3)
    _decide(service_db, [7, 8], 42, [0.15, 0.25], 0.2)  # each decision has its own threshold
    _decide(service_db, [9, 10], 42, [0.3, 0.1], 0.4)
    _decide(service_db, [1, 12], 47, [0.9, 0.9], 0.3)  # after the outcomes: not theirs
    outcomes = [{"client_id": i, "observed_default": y, "observed_at": _at(45).isoformat()}
                for i, y in zip(week41["ids"] + [7, 8, 9, 10, 11, 12],
                                week41["y"] + [1, 0, 1, 0, 1, 0], strict=True)]
    posted = client.post("/v1/outcomes", json={"outcomes": outcomes},
                         headers=bearer(service_db.keys["service"]))
    assert posted.status_code == 201, posted.text
    assert posted.json() == {"recorded": 12, "matched": 10, "unmatched_client_ids": [11, 12]}

    report = client.get("/v1/performance", headers=bearer(service_db.keys["ops"])).json()
    first, second = report["weeks"]
    assert first["week"] == "2026-W41" and first["week_start"] == "2026-10-05"
    assert first["outcomes"] == 6 and first["defaults"] == 3 and first["default_rate"] == 0.5
    assert first["roc_auc"] == pytest.approx(8 / 9)
    expected = business_cost(week41["y"], week41["p"], 0.3)
    assert (first["false_negatives"], first["false_positives"]) == (1, 1)
    assert first["business_cost"] == expected.total == 11
    assert first["business_cost_per_client"] == pytest.approx(11 / 6)
    assert first["approval_rate"] == 0.5
    assert second["week"] == "2026-W42" and second["roc_auc"] == pytest.approx(3 / 4)
    assert (second["false_negatives"], second["false_positives"]) == (2, 1)
    assert second["business_cost"] == 21 and second["default_rate"] == 0.5
    assert report["overall"]["outcomes"] == 10 and report["overall"]["business_cost"] == 32
    assert report["unmatched_outcomes"] == 2
    assert report["training"]["roc_auc"] == 0.7  # the tiny model's only metric


def test_outcome_validation_and_roles(client, service_db) -> None:  # type: ignore[no-untyped-def]
    service = bearer(service_db.keys["service"])
    one = client.post("/v1/outcomes", json={"client_id": 100001, "observed_default": 1},
                      headers=service)
    assert one.status_code == 201 and one.json()["unmatched_client_ids"] == [100001]
    for body, fragment in [
        ({"client_id": 100001, "observed_default": 2}, "observed_default"),
        ({"client_id": 0, "observed_default": 1}, "client_id"),
        ({"client_id": 100001, "observed_default": 1, "observed_at": "2099-01-01T00:00:00Z"},
         "future"),
        ({"client_id": 100001, "observed_default": 1, "observed_at": "2026-01-01T00:00:00"},
         "timezone"),
        ({"outcomes": []}, "outcomes"),
    ]:
        response = client.post("/v1/outcomes", json=body, headers=service)
        assert response.status_code == 422, (body, response.text)
        assert fragment in response.text, (fragment, response.text)
    many = {"outcomes": [{"client_id": 1, "observed_default": 0}] * 10_001}
    assert client.post("/v1/outcomes", json=many, headers=service).status_code == 413
    integrator = bearer(service_db.keys["integrator"])
    assert client.post("/v1/outcomes", json={"client_id": 1, "observed_default": 0},
                       headers=integrator).status_code == 403
    assert client.get("/v1/performance", headers=service).status_code == 403
    for role in ("ops", "admin"):
        assert client.post("/v1/outcomes", json={"client_id": 1, "observed_default": 0},
                           headers=bearer(service_db.keys[role])).status_code == 201


def test_training_figures_read_the_holdout_metrics_defensively() -> None:
    # Keys as the training pipeline writes them (credit_pipeline.train.modelling.evaluate, phases/p6_publish).
    metrics = {"holdout_roc_auc": 0.76, "holdout_business_cost": 3000.0,
               "holdout_business_cost_per_client": 0.5, "holdout_recall": 0.6,
               "holdout_false_negatives": 200.0, "holdout_refusal_rate": 0.3,
               "oof_roc_auc": 0.75}
    figures = training_figures(metrics)
    assert figures["source"] == "holdout" and figures["roc_auc"] == 0.76
    assert figures["business_cost_per_client"] == 0.5
    assert figures["approval_rate"] == pytest.approx(0.7)
    # 200 FN at 60 % recall: 500 defaulters among 3000 / 0.5 = 6000 clients.
    assert figures["default_rate"] == pytest.approx(500 / 6000)
    assert training_figures({"oof_roc_auc": 0.7})["roc_auc"] == 0.7
    assert training_figures({})["roc_auc"] is None

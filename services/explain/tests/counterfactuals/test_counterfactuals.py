"""Counterfactuals that really flip the decision when rescored by the scoring code; bounds."""

from __future__ import annotations

import numpy as np
import pytest

from credit_core.db import get_engine
from credit_core.feature_derivation import full_vectors_from_applications
from credit_core.model_source import ModelSource
from credit_core.schema.features import FEATURE_NAMES, FEATURES
from credit_core.scoring import Scorer, score_applications
from explain_service.counterfactuals.search import Bounds, search

from ..conftest import bearer, profile, profile_vector

DEFAULT_BOUNDS = Bounds(max_credit_reduction=0.5, min_credit_amount=0.0, min_term_months=6,
                        max_term_months=60, max_down_payment_share=0.3)


def _scored_by_scoring(bundle, application, history_vector=None) -> float:  # type: ignore[no-untyped-def]
    """The probability scoring gives the application (with the client's stored history)."""
    vector = full_vectors_from_applications([application])[0]
    if history_vector is not None:
        aggregates = [i for i, f in enumerate(FEATURES) if f.source == "aggregate"]
        vector[aggregates] = history_vector[aggregates]
    positions = [FEATURE_NAMES.index(name) for name in bundle.features]
    return float(bundle.predict_proba(vector[positions])[0])


def _check_found(result, bundle, application, bounds, history=None) -> dict:  # type: ignore[no-untyped-def]
    assert result["status"] == "found", result["message"]
    found = result["counterfactual"]
    suggested = found["application"]
    probability = _scored_by_scoring(bundle, suggested, history)
    assert probability == pytest.approx(found["probability"], rel=1e-12)
    assert probability < bundle.threshold and found["decision"] == "approved"
    changed = {k for k in suggested if suggested[k] != application.get(k)} - {"SK_ID_CURR"}
    assert changed <= {"AMT_CREDIT", "AMT_ANNUITY", "AMT_GOODS_PRICE"}, changed
    assert set(application) - set(suggested) <= {"AMT_ANNUITY", "AMT_GOODS_PRICE"}
    credit = application["AMT_CREDIT"]
    assert suggested["AMT_CREDIT"] >= credit * (1 - bounds.max_credit_reduction) - 1
    term = found["change"]["term_months"]
    original_term = credit / application["AMT_ANNUITY"]
    assert term == pytest.approx(original_term) or (
        bounds.min_term_months - 1e-6 <= term <= bounds.max_term_months + 1e-6)
    if found["change"]["down_payment"]:
        assert found["change"]["down_payment"] <= (bounds.max_down_payment_share
                                                   * application["AMT_GOODS_PRICE"] + 1e-6)
    return found  # type: ignore[no-any-return]


def test_a_heavy_loan_gets_the_smallest_change_that_scoring_approves(rich_explainer) -> None:  # type: ignore[no-untyped-def]
    application = profile("heavy")[0]
    bundle = rich_explainer.bundle
    result = search(rich_explainer, profile_vector("heavy"), application, DEFAULT_BOUNDS)
    assert result["current"]["decision"] == "refused"
    history = profile_vector("heavy")
    found = _check_found(result, bundle, application, DEFAULT_BOUNDS, history)
    credit, annuity = application["AMT_CREDIT"], application["AMT_ANNUITY"]
    new_annuity = found["change"]["annuity"]
    size = max(found["financed_reduction_share"], abs(new_annuity - annuity) / annuity)
    assert found["change_size"] == pytest.approx(size) and 0 < size < 1
    # smallest: every grid candidate of one lever with a smaller change is refused by scoring
    term = credit / annuity
    for months in [*range(6, 61, 2), 60]:
        if abs(credit / months - annuity) / annuity < size - 1e-9:
            shorter = {**application, "AMT_ANNUITY": round(credit / months, 2)}
            assert _scored_by_scoring(bundle, shorter, history) >= bundle.threshold, months
    for reduction in np.linspace(0, 0.5, 26):
        if 0 < reduction < size - 1e-9:
            less = {**application, "AMT_CREDIT": np.floor(credit * (1 - reduction)),
                    "AMT_GOODS_PRICE": np.round(application["AMT_GOODS_PRICE"] * (1 - reduction))}
            less["AMT_ANNUITY"] = round(less["AMT_CREDIT"] / term, 2)
            assert _scored_by_scoring(bundle, less, history) >= bundle.threshold, reduction
    assert {tuple(a["levers"]) for a in result["alternatives"]} | {tuple(found["levers"])} \
        >= {("amount",), ("term",)}
    for alternative in result["alternatives"]:
        assert alternative["change_size"] >= found["change_size"]
        assert _scored_by_scoring(bundle, alternative["application"], history) < bundle.threshold
    assert "approved" in result["message"]["en"] and "accepté" in result["message"]["fr"]
    assert result["search"]["elapsed_ms"] < 300


def test_with_the_term_fixed_the_amount_is_reduced_and_refined(rich_explainer) -> None:  # type: ignore[no-untyped-def]
    application = profile("heavy")[0]
    term = application["AMT_CREDIT"] / application["AMT_ANNUITY"]
    bounds = Bounds(0.5, 0.0, int(term), int(term), 0.0)  # the term cannot move (24 months)
    result = search(rich_explainer, profile_vector("heavy"), application, bounds)
    history = profile_vector("heavy")
    found = _check_found(result, rich_explainer.bundle, application, bounds, history)
    assert found["levers"] == ["amount"] and 0 < found["financed_reduction_share"] <= 0.5
    # refined below the coarse grid (2% steps): a slightly smaller reduction is refused
    less = found["financed_reduction_share"] - 0.005
    smaller = {**application, "AMT_CREDIT": np.floor(application["AMT_CREDIT"] * (1 - less)),
               "AMT_GOODS_PRICE": np.round(application["AMT_GOODS_PRICE"] * (1 - less))}
    smaller["AMT_ANNUITY"] = round(smaller["AMT_CREDIT"] / term, 2)
    assert _scored_by_scoring(rich_explainer.bundle, smaller, history) \
        >= rich_explainer.bundle.threshold


def test_no_feasible_change_and_already_approved(rich_explainer) -> None:  # type: ignore[no-untyped-def]
    hopeless = search(rich_explainer, profile_vector("hopeless"), profile("hopeless")[0],
                      Bounds(0.1, 0.0, 12, 36, 0.1))
    assert hopeless["status"] == "no_feasible_change" and hopeless["counterfactual"] is None
    assert "No feasible change within the bounds" in hopeless["message"]["en"]
    assert "Aucun changement possible" in hopeless["message"]["fr"]
    typical = search(rich_explainer, profile_vector("typical"), profile("typical")[0],
                     DEFAULT_BOUNDS)
    assert typical["status"] == "already_approved" and typical["current"]["decision"] == "approved"


def test_counterfactual_over_http_by_client_features_and_decision(
        client, service_db, constructed, rich_model, explain_registry, model_cache) -> None:  # type: ignore[no-untyped-def]
    bundle = rich_model[0]
    body = {"client_id": constructed["heavy"], "bounds": {"max_term_months": 24}}
    response = client.post("/v1/counterfactuals", json=body,
                           headers=bearer(service_db.keys["service"]))
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["model"] == {"name": "credit-default", "version": "2"}
    assert result["bounds"]["max_term_months"] == 24 and result["bounds"]["min_term_months"] == 6
    application = profile("heavy")[0]
    found = _check_found(result, bundle, application, Bounds(**result["bounds"]),
                         history=profile_vector("heavy"))
    assert found["change"]["term_months"] <= 24 + 1e-6
    by_features = client.post("/v1/counterfactuals", json={"features": application},
                              headers=bearer(service_db.keys["service"])).json()
    _check_found(by_features, bundle, application, DEFAULT_BOUNDS)
    assert by_features["subject"]["kind"] == "features"
    # a decision made from submitted fields: its inputs are what the counterfactual changes
    source = ModelSource(explain_registry.uri, "credit-default", "champion", model_cache)
    (decision,) = score_applications(get_engine(service_db.url), Scorer(source.load_version("2")),
                                     [application], "test", "req-cf")
    assert decision.decision == "refused"
    by_decision = client.post("/v1/counterfactuals", json={"decision_id": decision.decision_id},
                              headers=bearer(service_db.keys["service"])).json()
    assert by_decision["subject"]["decision_id"] == decision.decision_id
    assert by_decision["current"]["probability"] == pytest.approx(decision.probability)
    assert by_decision["counterfactual"] == by_features["counterfactual"]


NONSENSE_BOUNDS = [
    ({"min_term_months": 48, "max_term_months": 12}, "max_term_months"),
    ({"min_term_months": 100}, "max_term_months"),  # above the default maximum of 60
    ({"max_credit_reduction": 1.5}, "max_credit_reduction"),
    ({"max_down_payment_share": -0.1}, "max_down_payment_share"),
    ({"min_term_months": 0}, "min_term_months"),
    ({"longest_term": 3}, "longest_term"),
]


def test_bounds_that_make_no_sense_are_422_and_unknown_clients_404(client, service_db,
                                                                    constructed) -> None:  # type: ignore[no-untyped-def]
    headers = bearer(service_db.keys["service"])
    for bounds, field in NONSENSE_BOUNDS:
        response = client.post("/v1/counterfactuals",
                               json={"client_id": constructed["heavy"], "bounds": bounds},
                               headers=headers)
        assert response.status_code == 422, (bounds, response.text)
        assert any(field in error["loc"] and "bounds" in error["loc"]
                   for error in response.json()["detail"]), response.json()
    unknown = client.post("/v1/counterfactuals", json={"client_id": 999_999_999},
                          headers=headers)
    assert unknown.status_code == 404 and "999999999" in unknown.json()["detail"]

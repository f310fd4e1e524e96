"""The dashboard's logic over fake peers (httpx.MockTransport): what the advisor sees for each
answer, in both languages, including when a peer is down."""

from __future__ import annotations

from typing import Any

import pytest

from services.ui.tests.fakes import TEST_IDS, Peers, application
from ui_service.api import decisions, explore
from ui_service.api.flows import Flows
from ui_service.views.decision import decision_html, gauge_maximum, gauge_svg
from ui_service.views.panels import counterfactual_html, review_html, whatif_html
from ui_service.views.population import distribution_view, scatter_view
from ui_service.views.reasons import reason_rows, reasons_view

REFUSED, APPROVED = 100001, 100008


def test_a_client_is_scored_explained_and_placed(flows: Flows, peers: Peers) -> None:
    context = flows.open_client(str(REFUSED))
    assert context["problems"] == {}
    assert context["score"]["decision"] == "refused"
    assert context["application"]["AMT_CREDIT"] == application(REFUSED)["AMT_CREDIT"]
    assert context["percentile"]["percentile"] > 0
    html = decision_html(context, "en")
    assert "⛔" in html and "Refused" in html and "version 3" in html
    assert "Riskier than" in html and 'role="img"' in html
    french = decision_html(context, "fr")
    assert "Refusée" in french and "seuil" in french


def test_reasons_table_has_the_chart_numbers(flows: Flows) -> None:
    context = flows.open_client(str(REFUSED))
    plot, html = reasons_view(context["explanation"], {}, "en")
    rows = reason_rows(context["explanation"])
    assert plot is not None and plot.type == "plotly"
    assert '"displayModeBar": false' in plot.plot
    for row in rows:
        assert row["label"] in html
        assert f"{abs(row['contribution']):.2f}" in html
    assert "raises the estimated risk" in html and "<caption>" in html


def test_explanations_down_the_score_still_shows(flows: Flows, peers: Peers) -> None:
    peers.down.add("explain")
    context = flows.open_client(str(APPROVED))
    assert context["score"]["decision"] == "approved"
    assert context["problems"] == {"explain": "down"}
    assert "reasons are unavailable" in decision_html(context, "en")
    plot, html = reasons_view(context.get("explanation"), context["problems"], "fr")
    assert plot is None and "indisponibles" in html


def test_scoring_down_is_a_message_not_a_trace(flows: Flows, peers: Peers) -> None:
    peers.down.add("scoring")
    context = flows.open_client(str(APPROVED))
    html = decision_html(context, "en")
    assert "scoring service is unavailable" in html and 'role="alert"' in html
    assert "Traceback" not in html
    found = explore.search(flows, "test", "", 10)
    assert found["problem"] == "down" and found["clients"] == []


def test_unknown_and_malformed_ids(flows: Flows) -> None:
    assert "No client with id 999" in decision_html(flows.open_client("999"), "en")
    assert "digits only" in decision_html(flows.open_client("12a"), "en")
    assert "Choose an applicant" in decision_html(flows.open_client(""), "en")


def test_monitoring_down_or_refused(flows: Flows, peers: Peers) -> None:
    assert explore.monitoring_status(flows) == {"when": "2025-11-24T06:00:00+00:00",
                                                "drifted": 3, "total": 120, "alert": False}
    peers.down.add("monitoring")
    assert explore.monitoring_status(flows) == {"problem": "down"}


def test_search_lists_matching_applicants(flows: Flows) -> None:
    found = explore.search(flows, "test", "1000", 5)
    assert found["total"] == len([i for i in TEST_IDS if str(i).startswith("1000")])
    assert len(found["clients"]) == 5


def test_feature_choices_follow_importance_and_fall_back(flows: Flows, peers: Peers) -> None:
    names = [name for name, _ in explore.FeatureChoices(flows).get()]
    assert names[0] == "EXT_SOURCES_MEAN" and "AGE_YEARS" not in names  # protected left out
    peers.down.add("explain")
    fallback = [name for name, _ in explore.FeatureChoices(flows).get()]
    assert fallback and fallback[0] == "EXT_SOURCES_MEAN"


def test_distributions_and_scatter(flows: Flows) -> None:
    context = flows.open_client(str(REFUSED))
    data = explore.distributions(flows, context, "EXT_SOURCES_MEAN")
    assert data["all"]["population"] == "all" and data["similar"]["population"] == "similar"
    plot, html = distribution_view(data["all"], "All clients", "en")
    assert plot is not None and "applicant&#x27;s value is" in html and "<table" in html
    cloud = explore.scatter(flows, "EXT_SOURCES_MEAN", "CREDIT_TERM", 300)
    values = context["values"]
    plot, html = scatter_view(cloud, (values["EXT_SOURCES_MEAN"], values["CREDIT_TERM"]), True,
                              "fr")
    assert "Nuage de 300 clients" in html and "étoile" in html


def test_what_if_uses_explanations_without_recording(flows: Flows, peers: Peers) -> None:
    context = flows.open_client(str(REFUSED))
    base = context["application"]
    result = decisions.what_if(flows, base, {**base, "AMT_CREDIT": 100_000.0}, True, REFUSED)
    assert result["score"]["decision"] == "approved" and result["scored_by"] == "explain"
    assert result["history_kept"] is True
    # "before" is the client's own score, history included, the same as the decision shown.
    assert result["before"] == pytest.approx(context["score"]["probability"])
    assert result["before"] > result["score"]["probability"]
    assert "is kept: only what you changed" in whatif_html(result, "en")
    sent = [body for call, body in peers.bodies if call == "POST /v1/explanations"][-2:]
    assert {"client_id": REFUSED, "changes": {"AMT_CREDIT": 100_000.0}} in sent
    calls = len(peers.decisions)
    peers.down.add("explain")
    fallback = decisions.what_if(flows, base, {**base, "AMT_CREDIT": 100_000.0}, True, REFUSED)
    assert fallback["scored_by"] == "scoring" and len(peers.decisions) > calls
    assert fallback["history_kept"] is False
    html = whatif_html(fallback, "en")
    assert "recorded by the scoring service" in html and "application alone" in html


def test_counterfactual_for_a_refusal(flows: Flows, peers: Peers) -> None:
    context = flows.open_client(str(REFUSED))
    result = decisions.counterfactual(flows, context)
    assert result["status"] == "found"
    assert "instead of" in counterfactual_html(result, "en")
    approved = flows.open_client(str(APPROVED))
    assert "no change is needed" in counterfactual_html(decisions.counterfactual(flows, approved),
                                                        "en")
    peers.down.add("explain")
    assert "unavailable" in counterfactual_html(decisions.counterfactual(flows, context), "en")


def test_review_records_an_override_with_its_justification(flows: Flows) -> None:
    context: dict[str, Any] = flows.open_client(str(REFUSED))
    refused = decisions.review(flows, context, "approved", "  ", "ada")
    assert refused["problem"] == "invalid"
    done = decisions.review(flows, context, "approved", "Payslips checked.", "ada")
    assert done["answer"]["override"] is True
    html = review_html(done, "refused", "en")
    assert "Recorded" in html and "override" in html
    assert decisions.review(flows, context, "approved", "again", "ada") == {"problem": "conflict"}
    assert "already recorded" in review_html({"problem": "conflict"}, "refused", "en")


def test_gauge() -> None:
    assert gauge_maximum(0.05, 0.1) == 0.2 and gauge_maximum(0.9, 0.1) == 1.0
    svg = gauge_svg(0.23, 0.1, "refused", "fr")
    assert "23,0\u202f%" in svg and "<title" in svg and "Refusée" in svg


def test_a_new_applicant_is_compared_with_similar_clients_by_its_traits(
        flows: Flows, peers: Peers) -> None:
    context = flows.open_application(application(TEST_IDS[0]))
    data = explore.distributions(flows, context, "AMT_CREDIT")
    assert data["similar"] is not None and data["similar"]["population"] == "similar"
    assert data["similar"]["applicant_value"] == context["values"]["AMT_CREDIT"]
    similar = [query for call, query in peers.queries
               if call == "GET /v1/population/distribution" and query.get("similar") == "true"]
    assert similar and "client_id" not in similar[-1]
    assert float(similar[-1]["AMT_CREDIT"]) == context["values"]["AMT_CREDIT"]
    assert float(similar[-1]["AGE_YEARS"]) == pytest.approx(context["values"]["AGE_YEARS"])

"""Reasons for constructed applicants whose top factor is known; grouping; waterfall data."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from credit_core.model_source import LoadedModel
from explain_service.explanations.assemble import explain
from explain_service.shap.explainer import VersionExplainer
from explain_service.subjects import Subject

from ..conftest import profile, profile_vector


def _explain(explainer: VersionExplainer, name: str, grouped: bool = True, top: int = 4,
             steps: int = 5) -> dict:  # type: ignore[type-arg]
    return explain(explainer, Subject("features", profile_vector(name),
                                      application=profile(name)[0]), top, steps, grouped)


def test_late_repayments_are_the_top_reason_grouped_as_repayment_history(rich_explainer) -> None:  # type: ignore[no-untyped-def]
    result = _explain(rich_explainer, "late")
    top = result["reasons"]["toward_refusal"][0]
    assert top["key"] == "family:installments" and top["grouped"]
    assert top["label"] == "Repayment history" and top["label_fr"] == "Historique de remboursement"
    assert set(top["features"]) == {"INSTAL_DPD_MEAN", "INSTAL_DPD_MAX", "INSTAL_PAYMENT_PERC_MEAN"}
    contributions = {c["feature"]: c["contribution"] for c in result["contributions"]}
    assert top["contribution"] == pytest.approx(sum(contributions[f] for f in top["features"]))
    main = top["main"]
    assert main["feature"] in ("INSTAL_DPD_MEAN", "INSTAL_DPD_MAX")
    assert main["percentile_among_approved"] > 99
    assert "Repayment history" in top["text"]["en"] and "higher than" in top["text"]["en"]
    assert "Historique de remboursement" in top["text"]["fr"]
    assert "clients acceptés" in top["text"]["fr"]
    assert not top["protected"] and top["suggestion"] is None  # history cannot be changed
    ungrouped = _explain(rich_explainer, "late", grouped=False)
    assert ungrouped["reasons"]["toward_refusal"][0]["key"] in ("INSTAL_DPD_MEAN", "INSTAL_DPD_MAX")
    assert not ungrouped["reasons"]["toward_refusal"][0]["grouped"]


def test_a_protected_attribute_is_shown_flagged_and_never_suggested(rich_explainer) -> None:  # type: ignore[no-untyped-def]
    result = _explain(rich_explainer, "young")
    top = result["reasons"]["toward_refusal"][0]
    assert top["key"] == "DAYS_BIRTH" and top["protected"]
    assert top["suggestion"] is None and not top["actionable"]
    assert top["main"]["display"] == {"en": "19.2 years", "fr": "19,2 ans"}
    assert "protected attribute" in top["text"]["en"] and "attribut protégé" in top["text"]["fr"]
    assert "lower than" in top["text"]["en"]  # younger than the approved clients
    every = result["reasons"]["toward_refusal"] + result["reasons"]["toward_approval"]
    assert all(r["suggestion"] is None for r in every if r["protected"])


def test_a_heavy_loan_is_an_actionable_reason_with_a_suggestion(rich_explainer) -> None:  # type: ignore[no-untyped-def]
    result = _explain(rich_explainer, "heavy")
    assert result["decision"] == "refused"
    top = result["reasons"]["toward_refusal"][0]
    assert top["key"] in ("CREDIT_INCOME_RATIO", "ANNUITY_INCOME_RATIO")
    assert top["actionable"] and top["suggestion"]["en"].startswith("The loan itself")
    assert result["reasons"]["toward_approval"]  # good external scores
    assert result["reasons"]["toward_approval"][0]["direction"] == "toward_approval"


def test_explanation_adds_up_and_says_its_scale(rich_explainer) -> None:  # type: ignore[no-untyped-def]
    result = _explain(rich_explainer, "heavy")
    contributions = [c["contribution"] for c in result["contributions"]]
    assert len(contributions) == len(rich_explainer.bundle.features)
    assert result["base_value"] + math.fsum(contributions) == pytest.approx(result["raw_score"],
                                                                          abs=1e-9)
    assert abs(contributions[0]) >= abs(contributions[-1])  # largest first
    bundle = rich_explainer.bundle
    row = rich_explainer.model_rows(profile_vector("heavy"))
    assert result["probability"] == pytest.approx(float(bundle.predict_proba(row)[0]), rel=1e-12)
    scale = result["scale"]
    assert scale["contributions"] == "raw_log_odds" and scale["calibration"] == "platt"
    assert scale["monotonic"] and "platt calibration" in scale["text"]
    assert "ordering of reasons holds" in scale["text"]
    waterfall = result["waterfall"]
    steps = waterfall["steps"]
    assert len(steps) == 6 and steps[-1]["key"] == "other"
    assert steps[0]["start"] == waterfall["base_value"] == result["base_value"]
    assert all(a["end"] == b["start"] for a, b in itertools.pairwise(steps))
    assert steps[-1]["end"] == waterfall["total"]
    assert waterfall["total"] == pytest.approx(result["raw_score"], abs=1e-9)
    assert math.fsum(s["contribution"] for s in steps) == pytest.approx(
        waterfall["total"] - waterfall["base_value"], abs=1e-12)


def test_reasons_leave_out_negligible_factors(rich_explainer) -> None:  # type: ignore[no-untyped-def]
    result = _explain(rich_explainer, "typical")
    totals = [abs(c["contribution"]) for c in result["contributions"]]
    floor = 0.01 * sum(totals)
    for reason in result["reasons"]["toward_refusal"] + result["reasons"]["toward_approval"]:
        assert abs(reason["contribution"]) > floor


def test_without_a_reference_percentiles_are_omitted_with_a_flag(tiny_bundle, tmp_path) -> None:  # type: ignore[no-untyped-def]
    explainer = VersionExplainer(LoadedModel("credit-default", "1", tiny_bundle, tmp_path,
                                             "registry"))
    assert explainer.reference is None and explainer.stored_importance is None
    vector = np.full(len(profile_vector("late")), np.nan)
    positions = explainer.positions
    vector[positions] = np.linspace(0.1, 0.9, len(positions))
    result = explain(explainer, Subject("features", vector), 3, 4)
    assert result["reference"]["available"] is False
    assert "no reference sample" in result["reference"]["note"]["en"]
    reasons = result["reasons"]["toward_refusal"] + result["reasons"]["toward_approval"]
    assert reasons
    for reason in reasons:
        assert reason["main"]["percentile_among_approved"] is None
        assert "approved clients" not in reason["text"]["en"]

"""The explanation of one applicant, assembled with no web framework.

Contributions are exact TreeSHAP values on the booster's raw log-odds scale: the base value
plus the contributions equals the raw score. The probability is the version's calibration of
that raw score, a non-decreasing map, so a factor that raises the raw score never lowers the
probability and the ranking of reasons holds on both scales.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from explain_service.explanations.reasons import reasons
from explain_service.rendering.waterfall import waterfall
from explain_service.shap.explainer import VersionExplainer
from explain_service.subjects import Subject

__all__ = ["explain", "scale"]

_NO_REFERENCE = {
    "en": "This model version stores no reference sample: comparisons with approved clients "
          "are omitted.",
    "fr": "Cette version du modèle ne contient pas d'échantillon de référence : les "
          "comparaisons avec les clients acceptés sont omises.",
}


def scale(explainer: VersionExplainer) -> dict[str, Any]:
    """On which scale the contributions add up, and how the probability relates to it."""
    method = explainer.bundle.calibration.method
    mapping = ("the sigmoid of the raw score" if method == "none"
               else f"{method} calibration of the raw score")
    order = ("a monotonic map, so the ordering of reasons holds" if explainer.monotonic
             else "NOT monotonic for this version: the ordering of reasons holds on the raw "
                  "scale only")
    return {
        "contributions": "raw_log_odds", "calibration": method,
        "raw_threshold": explainer.raw_threshold, "monotonic": explainer.monotonic,
        "text": f"Contributions are exact TreeSHAP values on the raw log-odds of the booster: "
                f"base_value + sum(contributions) = raw_score. The probability shown is "
                f"{mapping}, {order}. raw_threshold is the raw score at which the probability "
                f"reaches the decision threshold.",
    }


def _feature_list(explainer: VersionExplainer, contributions: np.ndarray,
                  values: np.ndarray) -> list[dict[str, Any]]:
    order = np.argsort(-np.abs(contributions), kind="stable").tolist()
    templates = explainer.feature_templates
    listed, contributed = values.tolist(), contributions.tolist()
    return [{**templates[i], "value": None if listed[i] != listed[i] else listed[i],  # NaN
             "contribution": contributed[i]} for i in order]


def explain(explainer: VersionExplainer, subject: Subject, top: int, steps: int,
            grouped: bool = True) -> dict[str, Any]:
    """The explanation of one subject by one version."""
    rows = explainer.model_rows(subject.vector)
    contributions = explainer.contributions(rows)[0]
    raw_score = float(explainer.bundle.raw_score(rows)[0])
    probability = float(explainer.bundle.calibration.apply(np.array([raw_score]))[0])
    threshold = explainer.bundle.threshold
    grouping = explainer.groupings[grouped]
    unit_totals = grouping.contributions(contributions)
    reference = explainer.reference
    return {
        "model": explainer.model_ref(), "subject": subject.describe(),
        "probability": probability, "threshold": threshold,
        "decision": "refused" if probability >= threshold else "approved",
        "base_value": explainer.base_value, "raw_score": raw_score, "scale": scale(explainer),
        "contributions": _feature_list(explainer, contributions, rows[0]),
        "reasons": reasons(explainer, grouping, unit_totals, contributions, rows[0], top),
        "waterfall": {**waterfall(grouping, unit_totals, explainer.base_value, steps),
                      "raw_threshold": explainer.raw_threshold},
        "reference": {"available": reference is not None,
                      "approved_clients": reference.rows if reference else None,
                      "note": None if reference else dict(_NO_REFERENCE)},
        "recorded_decision": subject.recorded,
    }


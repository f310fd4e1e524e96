"""Reasons in plain words: the factors pushing toward refusal and toward approval.

A reason is a unit (a feature or a grouped family, see ``shap.grouping``) with its exact
contribution, the applicant's value of its main feature (the member pushing hardest in the
reason's direction), how that value compares with approved clients, and a sentence in English
and in French. Protected attributes are shown when they matter, flagged, and never come with a
suggestion to change them; only the loan itself (actionable features) does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from explain_service.shap.explainer import VersionExplainer
from explain_service.shap.grouping import Grouping, ReasonUnit
from explain_service.shap.reference import Comparison
from explain_service.wording.formatting import display, percent

__all__ = ["MIN_SHARE", "reasons", "sentences"]

#: A reason must carry at least this share of the total absolute contribution.
MIN_SHARE = 0.01

_EFFECT = {
    ("toward_refusal", "en"): "raises the estimated risk of default",
    ("toward_approval", "en"): "lowers the estimated risk of default",
    ("toward_refusal", "fr"): "augmente le risque estimé de défaut",
    ("toward_approval", "fr"): "diminue le risque estimé de défaut",
}
_PROTECTED = {
    "en": " This is a protected attribute: it is shown for transparency, not as something "
          "to change.",
    "fr": " C'est un attribut protégé : il est indiqué par transparence, ce n'est pas un "
          "levier de changement.",
}
_SUGGESTION = {
    "en": "The loan itself (amount, term, goods price, down payment) can be changed: see the "
          "counterfactual.",
    "fr": "Le prêt lui-même (montant, durée, prix du bien, apport) peut être modifié : voir la "
          "simulation de changement.",
}


def _comparison(comparison: Comparison | None, categorical: bool, language: str) -> str | None:
    if comparison is None:
        return None
    clients = "approved clients" if language == "en" else "des clients acceptés"
    like = "like" if language == "en" else "comme"
    if categorical or comparison.equal >= 20.0:
        share = percent(comparison.equal / 100, language)
        return f"{like} {share} {'of ' if language == 'en' else ''}{clients}"
    if comparison.percentile >= 50:
        share = percent(comparison.below / 100, language)
        return (f"higher than {share} of {clients}" if language == "en"
                else f"plus élevé que {share} {clients}")
    share = percent(comparison.above / 100, language)
    return (f"lower than {share} of {clients}" if language == "en"
            else f"plus bas que {share} {clients}")


def sentences(unit: ReasonUnit, direction: str, main: dict[str, Any],
              comparisons: dict[str, str | None]) -> dict[str, str]:
    """The reason in English and French."""
    out = {}
    for language in ("en", "fr"):
        value = main["display"][language]
        detail = f"{value}, {comparisons[language]}" if comparisons[language] else value
        effect = _EFFECT[direction, language]
        if unit.grouped:
            main_label = main["label"] if language == "en" else main["label_fr"]
            label = unit.label if language == "en" else unit.label_fr
            quoted = f"“{main_label}”" if language == "en" else f"«\u00a0{main_label}\u00a0»"
            through = "mostly through" if language == "en" else "surtout par"
            colon = ":" if language == "en" else " :"
            text = f"{label}{colon} {effect}, {through} {quoted} ({detail})."
        else:
            label = unit.label if language == "en" else unit.label_fr
            text = f"{label} ({detail}) {effect}."
        out[language] = text + (_PROTECTED[language] if unit.protected else "")
    return out


def _main_member(unit: ReasonUnit, contributions: np.ndarray, sign: float) -> int:
    members = np.asarray(unit.members)
    return int(members[np.argmax(sign * contributions[members])])


def _reason(explainer: VersionExplainer, unit: ReasonUnit, total: float,
            contributions: np.ndarray, values: np.ndarray) -> dict[str, Any]:
    direction = "toward_refusal" if total > 0 else "toward_approval"
    position = _main_member(unit, contributions, 1.0 if total > 0 else -1.0)
    info = explainer.features[position]
    value = float(values[position])
    comparison = explainer.reference.compare(position, value) if explainer.reference else None
    if comparison is not None and info.unit == "days_ago":  # written as a magnitude
        comparison = Comparison(comparison.above, comparison.equal)
    categorical = info.unit in ("category", "flag")
    main = {
        "feature": info.name, "label": info.label, "label_fr": info.label_fr,
        "value": None if np.isnan(value) else value,
        "display": display(value, info.unit, info.levels),
        "contribution": float(contributions[position]),
        "percentile_among_approved": None if comparison is None else comparison.percentile,
        "share_of_approved_with_same_value": None if comparison is None else comparison.equal,
    }
    comparisons = {language: _comparison(comparison, categorical, language)
                   for language in ("en", "fr")}
    actionable = not unit.grouped and info.actionable and not unit.protected
    return {
        "key": unit.key, "label": unit.label, "label_fr": unit.label_fr,
        "grouped": unit.grouped, "features": [explainer.features[m].name for m in unit.members],
        "contribution": total, "direction": direction, "protected": unit.protected,
        "actionable": actionable, "main": main,
        "text": sentences(unit, direction, main, comparisons),
        "suggestion": dict(_SUGGESTION) if actionable and total > 0 else None,
    }


def reasons(explainer: VersionExplainer, grouping: Grouping, unit_totals: np.ndarray,
            contributions: np.ndarray, values: np.ndarray, top: int) -> dict[str, list]:
    """The ``top`` reasons each way, strongest first; negligible ones (under 1% of all the
    contributions in absolute value) are left out."""
    floor = MIN_SHARE * float(np.abs(unit_totals).sum())
    refusal = [i for i in np.argsort(-unit_totals, kind="stable")[:top]
               if unit_totals[i] > floor]
    approval = [i for i in np.argsort(unit_totals, kind="stable")[:top]
                if unit_totals[i] < -floor]
    return {
        "toward_refusal": [_reason(explainer, grouping.units[i], float(unit_totals[i]),
                                   contributions, values) for i in refusal],
        "toward_approval": [_reason(explainer, grouping.units[i], float(unit_totals[i]),
                                    contributions, values) for i in approval],
    }

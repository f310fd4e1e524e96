"""The waterfall of one explanation: from the base value to the applicant's raw score.

The largest reason units (by absolute contribution) are steps of their own; the rest are one
"other features" step, computed as the remainder so that the steps end exactly at the total.
Each step says where its bar starts and ends on the raw log-odds scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from explain_service.shap.grouping import Grouping
from explain_service.wording.formatting import number

__all__ = ["alt_text", "waterfall"]


def waterfall(grouping: Grouping, unit_totals: np.ndarray, base_value: float,
              steps: int) -> dict[str, Any]:
    """Steps from ``base_value`` to base + all contributions (``total``)."""
    total = base_value + float(np.sum(unit_totals))
    order = np.argsort(-np.abs(unit_totals), kind="stable")
    shown = [int(i) for i in order[:steps] if unit_totals[i] != 0]
    shown_set = set(shown)
    rest = [int(i) for i in order if int(i) not in shown_set]
    running = base_value
    bars = []
    for index in shown:
        unit = grouping.units[index]
        contribution = float(unit_totals[index])
        bars.append({"key": unit.key, "label": unit.label, "label_fr": unit.label_fr,
                     "contribution": contribution, "start": running,
                     "end": running + contribution, "features": len(unit.members),
                     "protected": unit.protected})
        running += contribution
    if rest:
        remainder = total - running
        count = sum(len(grouping.units[i].members) for i in rest)
        bars.append({"key": "other", "label": f"Other features ({count})",
                     "label_fr": f"Autres caractéristiques ({count})",
                     "contribution": remainder, "start": running, "end": total,
                     "features": count, "protected": False})
    return {"base_value": base_value, "total": total, "steps": bars}


def alt_text(data: dict[str, Any], probability: float, threshold: float, decision: str,
             language: str = "en", listed: int = 5) -> str:
    """A text alternative of the waterfall chart."""
    steps = [s for s in data["steps"] if s["key"] != "other"][:listed]
    fr = language == "fr"

    def signed(value: float) -> str:
        return ("+" if value >= 0 else "−") + number(abs(value), 2, language)

    parts = [f"{s['label_fr' if fr else 'label']} {signed(s['contribution'])}" for s in steps]
    outcome = {"approved": "accepté", "refused": "refusé"}[decision] if fr else decision
    if fr:
        return (f"Graphique en cascade des contributions (log-odds brutes) : départ à "
                f"{signed(data['base_value'])}, arrivée à {signed(data['total'])}, soit une "
                f"probabilité de défaut de {number(100 * probability, 1, 'fr')} % pour un seuil "
                f"de {number(100 * threshold, 1, 'fr')} % ({outcome}). Principaux facteurs "
                f"(+ vers le refus, − vers l'acceptation) : {' ; '.join(parts)}.")
    return (f"Waterfall chart of the contributions (raw log-odds): starts at "
            f"{signed(data['base_value'])}, ends at {signed(data['total'])}, a probability of "
            f"default of {100 * probability:.1f}% against a threshold of {100 * threshold:.1f}% "
            f"({outcome}). Largest factors (+ toward refusal, − toward approval): "
            f"{'; '.join(parts)}.")

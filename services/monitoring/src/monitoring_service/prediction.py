"""Prediction drift: the score distribution and the approval rate, current against reference.

The reference scores are the out-of-fold probabilities stored with the model version. The score
distribution is tested like a numerical column (Evidently's automatic choice: the normalised
Wasserstein distance for large data), and summarised in 20 equal bins for the dashboard.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from monitoring_service.drift.engine import column_verdict
from monitoring_service.drift.options import DriftOptions
from monitoring_service.drift.profile import ReferenceColumn, clean_sorted

__all__ = ["BINS", "prediction_drift"]

BINS = 20


def _shares(sorted_scores: np.ndarray, edges: np.ndarray) -> list[float]:
    cumulative = np.r_[np.searchsorted(sorted_scores, edges[:-1], side="left"),
                       sorted_scores.size]
    counts = np.diff(cumulative)
    return (counts / max(sorted_scores.size, 1)).tolist()


def prediction_drift(reference: ReferenceColumn | None, probabilities: np.ndarray,
                     approved: np.ndarray, threshold: float) -> dict[str, Any]:
    """The drift of the scores and the approval rates (reference: below ``threshold``)."""
    current = clean_sorted(probabilities)
    result: dict[str, Any] = {
        "threshold": threshold,
        "current_mean": float(current.astype(np.float64).mean()) if current.size else None,
        "approval_rate": {"current": float(np.mean(approved)) if approved.size else None,
                          "reference": None},
    }
    if reference is None or reference.count == 0 or current.size == 0:
        return result | {"test": None, "score": None, "drifted": None, "histogram": None}
    verdict = column_verdict(reference, current, DriftOptions())
    edges = np.linspace(0.0, 1.0, BINS + 1)
    result["approval_rate"]["reference"] = float(
        np.searchsorted(reference.values, threshold, side="left") / reference.count)
    return result | {
        "test": verdict.method, "test_name": verdict.method_name, "score": verdict.score,
        "drift_threshold": verdict.threshold, "drifted": verdict.drifted,
        "reference_mean": float(reference.values.astype(np.float64).mean()),
        "histogram": {"edges": edges.tolist(), "reference": _shares(reference.values, edges),
                      "current": _shares(current, edges)},
    }

"""Metrics of a set of predictions: AUC, Brier score, and the business cost at a threshold.

The cost comes from ``credit_core.cost`` (the one definition). Without an explicit threshold the
cost-optimal one on the same predictions is used, which is only legitimate on out-of-fold
predictions; the holdout check always passes the threshold chosen beforehand. When the data
generator's true default probability is known, ``OracleComparison`` sets the model beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import brier_score_loss, roc_auc_score

from credit_core.cost import (
    FALSE_NEGATIVE_COST,
    FALSE_POSITIVE_COST,
    CostBreakdown,
    business_cost,
    optimal_threshold,
)

__all__ = ["Evaluation", "OracleComparison", "bayes_threshold", "evaluate"]


def bayes_threshold() -> float:
    """The cost-optimal threshold for a true probability: refuse when 10 x p > 1 x (1 - p)."""
    return FALSE_POSITIVE_COST / (FALSE_POSITIVE_COST + FALSE_NEGATIVE_COST)


@dataclass(frozen=True)
class Evaluation:
    """How a set of probabilities does against the truth at a decision threshold."""

    roc_auc: float
    brier: float
    cost: CostBreakdown

    @property
    def threshold(self) -> float:
        return self.cost.threshold

    def metrics(self, prefix: str = "") -> dict[str, float]:
        """Flat metric names for MLflow, e.g. ``roc_auc``, ``business_cost_per_client``."""
        values = {
            "roc_auc": self.roc_auc,
            "brier": self.brier,
            "threshold": self.threshold,
            "business_cost": self.cost.total,
            "business_cost_per_client": self.cost.per_client,
            "recall": self.cost.recall,
            "precision": self.cost.precision,
            "refusal_rate": self.cost.refusal_rate,
            "false_negatives": float(self.cost.false_negatives),
            "false_positives": float(self.cost.false_positives),
        }
        return {f"{prefix}{name}": float(value) for name, value in values.items()}


def evaluate(
    y_true: np.ndarray, probability: np.ndarray, threshold: float | None = None
) -> Evaluation:
    """AUC, Brier and cost; the cost at ``threshold`` or, if None, at the optimal one."""
    y_true = np.asarray(y_true)
    probability = np.clip(np.asarray(probability, dtype=np.float64), 0.0, 1.0)
    if threshold is None:
        threshold = optimal_threshold(y_true, probability)
    auc = float(roc_auc_score(y_true, probability)) if len(np.unique(y_true)) == 2 else 0.5
    return Evaluation(
        roc_auc=auc,
        brier=float(brier_score_loss(y_true, probability)),
        cost=business_cost(y_true, probability, threshold),
    )


@dataclass(frozen=True)
class OracleComparison:
    """The model beside the best achievable ranking on the same holdout rows."""

    oracle: Evaluation
    model_auc: float

    @property
    def lift_share(self) -> float:
        """(model AUC - 0.5) / (oracle AUC - 0.5): how much of the possible lift is reached."""
        possible = self.oracle.roc_auc - 0.5
        return (self.model_auc - 0.5) / possible if possible > 0 else float("nan")

    def metrics(self) -> dict[str, float]:
        return {
            "oracle_roc_auc": self.oracle.roc_auc,
            "oracle_business_cost": self.oracle.cost.total,
            "oracle_business_cost_per_client": self.oracle.cost.per_client,
            "oracle_threshold": self.oracle.threshold,
            "oracle_lift_share": self.lift_share,
        }

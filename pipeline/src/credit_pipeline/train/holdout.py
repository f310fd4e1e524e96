"""Phase 4b: the one look at the untouched holdout, and the comparison with the oracle.

The retained model, with the threshold already chosen out of fold, scores the holdout once. When
the data generator's true default probability is known, the oracle is scored on the same rows:
its AUC, its cost at the Bayes threshold for a true probability (1/11, so nothing is fitted on
the holdout), and the share of its lift over a coin (AUC - 0.5) that the model reaches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from credit_core.bundle import ModelBundle
from credit_pipeline.train.data import TrainingData
from credit_pipeline.train.evaluate import Evaluation, bayes_threshold, evaluate

__all__ = ["HoldoutCheck", "OracleComparison", "check_holdout"]


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


@dataclass(frozen=True)
class HoldoutCheck:
    """The model's holdout evaluation at the chosen threshold (and the oracle's, if known)."""

    evaluation: Evaluation
    probability: np.ndarray
    oracle: OracleComparison | None


def check_holdout(bundle: ModelBundle, holdout: TrainingData) -> HoldoutCheck:
    """Score the holdout with the bundle at its threshold."""
    matrix = holdout.features[bundle.features].to_numpy(dtype=np.float64)
    probability = bundle.predict_proba(matrix)
    evaluation = evaluate(holdout.target, probability, bundle.threshold)
    oracle = None
    if holdout.oracle_probability is not None:
        oracle_evaluation = evaluate(holdout.target, holdout.oracle_probability, bayes_threshold())
        oracle = OracleComparison(oracle_evaluation, evaluation.roc_auc)
    return HoldoutCheck(evaluation, probability, oracle)

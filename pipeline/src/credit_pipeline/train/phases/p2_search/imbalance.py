"""Class imbalance (about 8 % defaulters): class weights against none, resampling if it wins.

The retained family's best parameters are cross-validated three ways on the same rows and
folds: no correction, positive-class weights (negatives / positives), and undersampling of the
majority class in the fitting rows. Undersampling throws data away, so it is kept only when it
beats both others on the business cost; otherwise the cheaper of weights and none is kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np

import mlflow
from credit_pipeline.train.mlflow_io.tracking import (
    log_data_used,
    log_evaluation,
    log_figures,
    log_params,
    phase_run,
)
from credit_pipeline.train.modelling.cv import cross_validate
from credit_pipeline.train.modelling.evaluate import Evaluation, evaluate
from credit_pipeline.train.phases.context import PhaseContext

__all__ = ["IMBALANCE_STRATEGIES", "ImbalanceChoice", "apply_class_weights", "compare_imbalance"]

logger = logging.getLogger(__name__)

IMBALANCE_STRATEGIES = ("none", "class_weights", "undersampling")
#: Negatives kept per positive when undersampling (a 20 % positive rate).
NEGATIVES_PER_POSITIVE = 4.0


@dataclass(frozen=True)
class ImbalanceChoice:
    """The retained strategy and what each strategy cost out of fold."""

    strategy: str
    cost_per_client: dict[str, float]
    roc_auc: dict[str, float]

    @property
    def negatives_per_positive(self) -> float | None:
        return NEGATIVES_PER_POSITIVE if self.strategy == "undersampling" else None


def apply_class_weights(family: str, params: dict[str, Any], target: np.ndarray) -> dict[str, Any]:
    """The parameters with the positive class weighted by negatives / positives."""
    if family in ("lightgbm", "xgboost"):
        return {**params, "scale_pos_weight": float((target == 0).sum() / (target == 1).sum())}
    return {**params, "class_weight": "balanced"}


def _evaluate_strategy(
    context: PhaseContext, family: str, params: dict[str, Any], strategy: str, rows: np.ndarray
) -> Evaluation:
    target = context.target[rows]
    if strategy == "class_weights":
        params = apply_class_weights(family, params, target)
    ratio = NEGATIVES_PER_POSITIVE if strategy == "undersampling" else None
    with phase_run(f"imbalance/{strategy}", "imbalance", family, {"strategy": strategy}):
        log_params({**params, "strategy": strategy, "negatives_per_positive": ratio})
        log_data_used(context.record, len(rows))
        result = cross_validate(
            family, params, context.matrix[rows], target,
            context.folds(rows, context.profile.deep_folds), context.family,
            early_stopping=True, negatives_per_positive=ratio,
        )
        evaluation = evaluate(target, result.oof_probability)
        log_evaluation(evaluation)
        mlflow.log_metrics({"fit_seconds": result.fit_seconds,
                            "predict_seconds": result.predict_seconds})
        log_figures(target, result.oof_probability, evaluation.threshold, f"{family} {strategy}")
    return evaluation


def compare_imbalance(context: PhaseContext, family: str, params: dict[str, Any]) -> ImbalanceChoice:
    """Cross-validate each strategy (nested runs) and apply the retention rule."""
    rows = context.subsample(context.profile.deep_rows)
    evaluations = {
        strategy: _evaluate_strategy(context, family, params, strategy, rows)
        for strategy in IMBALANCE_STRATEGIES
    }
    costs = {name: e.cost.per_client for name, e in evaluations.items()}
    strategy = min(("none", "class_weights"), key=costs.__getitem__)
    if costs["undersampling"] < costs[strategy]:
        strategy = "undersampling"
    logger.info("imbalance: %s retained (cost/client %s)", strategy,
                {k: round(v, 4) for k, v in costs.items()})
    return ImbalanceChoice(strategy, costs, {n: e.roc_auc for n, e in evaluations.items()})

"""Phase 1: the baselines, each cross-validated and logged as its own nested run.

A dummy (the prior), a logistic regression (imputed, scaled, one-hot), a random forest, XGBoost
and LightGBM with textbook settings, all on one seeded stratified subsample of the training
split; the slow families (logistic regression, random forest) on a smaller one when the data is
large, which the run's tags say.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from tqdm import tqdm

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
from credit_pipeline.train.modelling.families import SLOW_FAMILIES
from credit_pipeline.train.modelling.importance import estimator_importance
from credit_pipeline.train.phases.context import PhaseContext

__all__ = ["BaselineResult", "baseline_params", "run_baselines"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BaselineResult:
    """A baseline's out-of-fold evaluation and timings."""

    family: str
    evaluation: Evaluation
    fit_seconds: float
    predict_seconds: float
    rows: int
    run_id: str


def baseline_params(family: str, trees: int) -> dict[str, Any]:
    """Textbook settings for each family (the starting point the search must beat)."""
    settings: dict[str, dict[str, Any]] = {
        "dummy": {},
        "logistic_regression": {"C": 0.1},
        "random_forest": {"n_estimators": max(10, trees // 4), "min_samples_leaf": 20,
                          "max_features": "sqrt", "max_samples": 0.5},
        "xgboost": {"n_estimators": trees, "learning_rate": 0.1, "max_depth": 6},
        "lightgbm": {"n_estimators": trees, "learning_rate": 0.1, "num_leaves": 31},
    }
    return settings[family]


def _run_one(context: PhaseContext, family: str) -> BaselineResult:
    profile = context.profile
    limit = profile.baseline_slow_rows if family in SLOW_FAMILIES else profile.baseline_rows
    rows = context.subsample(limit)
    subsampled = len(rows) < len(context.target)
    tags = {"subsample": f"{len(rows)} of {len(context.target)} training rows"
            if subsampled else "none"}
    with phase_run(f"baseline/{family}", "baselines", family, tags) as run:
        params = baseline_params(family, profile.baseline_trees)
        log_params(params)
        log_params({"folds": profile.baseline_folds, "seed": profile.seed})
        log_data_used(context.record, len(rows))
        target = context.target[rows]
        result = cross_validate(
            family, params, context.matrix[rows], target,
            context.folds(rows, profile.baseline_folds), context.family,
        )
        evaluation = evaluate(target, result.oof_probability)
        log_evaluation(evaluation)
        mlflow.log_metrics({"fit_seconds": result.fit_seconds,
                            "predict_seconds": result.predict_seconds})
        importance = estimator_importance(
            family, result.last_estimator, context.feature_names, context.categorical_positions
        )
        log_figures(target, result.oof_probability, evaluation.threshold, family, importance)
    return BaselineResult(family, evaluation, result.fit_seconds, result.predict_seconds,
                          len(rows), run.info.run_id)


def run_baselines(context: PhaseContext) -> list[BaselineResult]:
    """Cross-validate every family with its textbook settings; one nested run each."""
    results = []
    for family in tqdm(context.profile.baseline_families, desc="baselines", unit="model"):
        result = _run_one(context, family)
        logger.info(
            "baseline %-20s AUC %.4f  cost/client %.4f  fit %.1fs",
            family, result.evaluation.roc_auc, result.evaluation.cost.per_client,
            result.fit_seconds,
        )
        results.append(result)
    return results

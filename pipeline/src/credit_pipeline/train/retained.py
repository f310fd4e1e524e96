"""Phases 3 and 4a as runs: the retained model on the whole training split, then its threshold.

``final/lightgbm`` logs the parameters, the number of trees, the calibration decision (Brier
before and after, every candidate's score), the out-of-fold metrics and the global importance
(mean |SHAP| on a seeded sample of training rows). ``threshold`` logs the cost-optimal
threshold chosen on the calibrated out-of-fold probabilities and the cost curve.
"""

from __future__ import annotations

from dataclasses import dataclass

import mlflow
from credit_pipeline.train.context import PhaseContext
from credit_pipeline.train.evaluate import Evaluation, evaluate
from credit_pipeline.train.final import FinalModel, fit_final_model
from credit_pipeline.train.importance import shap_importance
from credit_pipeline.train.selection import SERVED_FAMILY, Selection
from credit_pipeline.train.threshold import choose_threshold
from credit_pipeline.train.tracking import (
    log_data_used,
    log_evaluation,
    log_figures,
    log_params,
    phase_run,
)

__all__ = ["Retained", "train_retained"]


@dataclass
class Retained:
    """The retained model, its threshold, out-of-fold evaluation and global importance."""

    final: FinalModel
    threshold: float
    oof: Evaluation
    importance: dict[str, float]


def _log_calibration(final: FinalModel) -> None:
    choice = final.calibration
    mlflow.log_metrics({f"brier_{name}": value for name, value in choice.brier.items()})
    mlflow.log_metrics({"brier_before_calibration": choice.brier_before,
                        "brier_after_calibration": choice.brier_after})
    mlflow.set_tag("calibration.method", choice.method)
    mlflow.log_dict(choice.calibration.to_dict(), "calibration.json")


def _importance(context: PhaseContext, final: FinalModel) -> dict[str, float]:
    rows = context.subsample(context.profile.importance_rows)
    return shap_importance(final.booster, context.matrix[rows], context.feature_names,
                           context.profile.num_threads)


def _final_run(context: PhaseContext, selection: Selection) -> tuple[FinalModel, dict]:
    params = selection.final_params(context)
    with phase_run(f"final/{SERVED_FAMILY}", "final", SERVED_FAMILY,
                   {"imbalance": selection.imbalance.strategy}):
        log_data_used(context.record, len(context.target))
        final = fit_final_model(context, params, selection.imbalance.negatives_per_positive)
        log_params(final.params)
        log_params({"trees": final.trees, "folds": context.profile.final_folds,
                    "fold_best_iterations": final.fold_best_iterations})
        _log_calibration(final)
        importance = _importance(context, final)
        mlflow.log_dict(importance, "importance.json")
        evaluation = evaluate(context.target, final.oof_probability)
        log_evaluation(evaluation)
        mlflow.log_metrics({"fit_seconds": final.fit_seconds, "cv_seconds": final.cv_seconds})
        log_figures(context.target, final.oof_probability, evaluation.threshold,
                    "retained model (out of fold)", importance)
    return final, importance


def train_retained(context: PhaseContext, selection: Selection) -> Retained:
    """Fit the retained model and choose its threshold, each phase in its nested run."""
    final, importance = _final_run(context, selection)
    probability = final.oof_probability
    with phase_run("threshold", "threshold", SERVED_FAMILY):
        log_data_used(context.record, len(context.target))
        threshold = choose_threshold(context.target, probability)
        oof = evaluate(context.target, probability, threshold)
        log_evaluation(oof)
        mlflow.log_param("chosen_on", "out-of-fold predictions of the training split")
        log_figures(context.target, probability, threshold, "threshold (out of fold)", importance)
    return Retained(final, threshold, oof, importance)

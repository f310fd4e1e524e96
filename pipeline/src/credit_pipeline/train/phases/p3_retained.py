"""Phase 3: the retained model (LightGBM) on the whole training split, as the ``final`` run.

Stratified K-fold on the training split gives honest out-of-fold raw scores (each fold stops
early on an inner slice of its own fitting rows) and the number of trees; the calibration is
chosen on those scores; then one booster is refitted on every training row with that number of
trees. The data are binned once and every fold reuses the bins (``Dataset.subset``).

``final/lightgbm`` logs the parameters, the number of trees, the calibration decision (Brier
before and after, every candidate's score), the out-of-fold metrics and the global importance
(mean |SHAP| on a seeded sample of training rows).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import Any

import lightgbm
import numpy as np
from sklearn.model_selection import train_test_split
from tqdm import tqdm

import mlflow
from credit_pipeline.train.mlflow_io.tracking import (
    log_data_used,
    log_evaluation,
    log_figures,
    log_params,
    phase_run,
)
from credit_pipeline.train.modelling.calibration import CalibrationChoice, choose_calibration
from credit_pipeline.train.modelling.cv import EARLY_STOPPING_SHARE, undersample
from credit_pipeline.train.modelling.evaluate import evaluate
from credit_pipeline.train.modelling.families import SERVED_FAMILY
from credit_pipeline.train.modelling.importance import shap_importance
from credit_pipeline.train.phases.context import PhaseContext
from credit_pipeline.train.phases.p2_search.selection import Selection

__all__ = ["FinalModel", "Retained", "fit_final_model", "native_params", "train_retained"]

logger = logging.getLogger(__name__)

#: The refit sees every training row, more than any fold did, so it gets a few more trees.
REFIT_TREE_FACTOR = 1.1
_BIN_PARAMS = {"max_bin": 255, "feature_pre_filter": False, "verbose": -1}


@dataclass
class FinalModel:
    """The refitted booster, its out-of-fold scores, calibration and timings."""

    booster: Any
    params: dict[str, Any]
    oof_raw_score: np.ndarray
    calibration: CalibrationChoice
    trees: int
    fold_best_iterations: list[int]
    cv_seconds: float
    fit_seconds: float

    @property
    def oof_probability(self) -> np.ndarray:
        return self.calibration.calibration.apply(self.oof_raw_score)


def native_params(sklearn_params: dict[str, Any], context: PhaseContext) -> dict[str, Any]:
    """LightGBM training parameters from the search's (scikit-learn named) parameters."""
    params = {k: v for k, v in sklearn_params.items() if k not in ("n_estimators", "n_jobs")}
    params.update(_BIN_PARAMS)
    params.update(
        objective="binary", metric="auc", learning_rate=context.profile.final_learning_rate,
        num_threads=context.profile.num_threads, seed=context.profile.seed,
    )
    return params


def _lightgbm_name(name: str) -> str:
    # LightGBM refuses JSON punctuation in feature names; the bundle keeps the real names.
    return re.sub(r'[\[\]{}",:]', "_", name)


def _binned(context: PhaseContext) -> lightgbm.Dataset:
    names = [_lightgbm_name(n) for n in context.feature_names]
    return lightgbm.Dataset(
        context.matrix, label=context.target, feature_name=names,
        categorical_feature=[names[i] for i in context.categorical_positions],
        free_raw_data=False, params=dict(_BIN_PARAMS),
    ).construct()


def _fit_rows(context: PhaseContext, rows: np.ndarray, ratio: float | None) -> np.ndarray:
    if ratio is None:
        return rows
    return rows[undersample(context.target[rows], ratio, context.profile.seed)]


def _cross_fit(context: PhaseContext, dataset: lightgbm.Dataset, params: dict[str, Any],
               ratio: float | None) -> tuple[np.ndarray, list[int]]:
    profile = context.profile
    oof = np.full(len(context.target), np.nan)
    best_iterations = []
    all_rows = np.arange(len(context.target))
    folds = context.folds(all_rows, profile.final_folds)
    for fit_rows, score_rows in tqdm(folds, desc="final model folds", unit="fold"):
        fit_rows, stop_rows = train_test_split(
            fit_rows, test_size=EARLY_STOPPING_SHARE, stratify=context.target[fit_rows],
            random_state=profile.seed,
        )
        fit_rows = np.sort(_fit_rows(context, fit_rows, ratio))
        booster = lightgbm.train(
            params, dataset.subset(fit_rows.tolist()), num_boost_round=profile.final_max_trees,
            valid_sets=[dataset.subset(np.sort(stop_rows).tolist())],
            callbacks=[lightgbm.early_stopping(profile.early_stopping_rounds, verbose=False)],
        )
        best = booster.best_iteration or profile.final_max_trees
        best_iterations.append(best)
        oof[score_rows] = booster.predict(
            context.matrix[score_rows], raw_score=True, num_iteration=best
        )
    return oof, best_iterations


def fit_final_model(
    context: PhaseContext, sklearn_params: dict[str, Any], negatives_per_positive: float | None
) -> FinalModel:
    """Cross-fit for out-of-fold scores and tree count, choose the calibration, refit on all."""
    params = native_params(sklearn_params, context)
    started = time.perf_counter()
    dataset = _binned(context)
    oof, best_iterations = _cross_fit(context, dataset, params, negatives_per_positive)
    cv_seconds = time.perf_counter() - started
    calibration = choose_calibration(oof, context.target, context.profile.seed)
    trees = max(1, round(float(np.mean(best_iterations)) * REFIT_TREE_FACTOR))
    started = time.perf_counter()
    refit_rows = _fit_rows(context, np.arange(len(context.target)), negatives_per_positive)
    booster = lightgbm.train(params, dataset.subset(np.sort(refit_rows).tolist()),
                             num_boost_round=trees)
    fit_seconds = time.perf_counter() - started
    logger.info("final model: %d trees (folds stopped at %s), calibration %s, %.0fs + %.0fs",
                trees, best_iterations, calibration.method, cv_seconds, fit_seconds)
    return FinalModel(booster, params, oof, calibration, trees, best_iterations,
                      cv_seconds, fit_seconds)


@dataclass
class Retained:
    """The retained model and its global importance (mean |SHAP|, largest first)."""

    final: FinalModel
    importance: dict[str, float]
    #: ``lightgbm`` (a booster) or, for ``--data`` files, ``logistic_regression`` (a linear
    #: scorer, ``credit_core.linear``).
    family: str = SERVED_FAMILY


def _log_calibration(final: FinalModel) -> None:
    choice = final.calibration
    mlflow.log_metrics({f"brier_{name}": value for name, value in choice.brier.items()})
    mlflow.log_metrics({"brier_before_calibration": choice.brier_before,
                        "brier_after_calibration": choice.brier_after})
    mlflow.set_tag("calibration.method", choice.method)
    mlflow.log_dict(choice.calibration.to_dict(), "calibration.json")


def log_retained(context: PhaseContext, final: FinalModel, importance: dict[str, float],
                 title: str) -> None:
    """What the ``final`` run records of a retained model, whichever family: calibration,
    importance, out-of-fold evaluation, timings and figures."""
    _log_calibration(final)
    mlflow.log_dict(importance, "importance.json")
    evaluation = evaluate(context.target, final.oof_probability)
    log_evaluation(evaluation)
    mlflow.log_metrics({"fit_seconds": final.fit_seconds, "cv_seconds": final.cv_seconds})
    log_figures(context.target, final.oof_probability, evaluation.threshold, title, importance)


def _importance(context: PhaseContext, final: FinalModel) -> dict[str, float]:
    rows = context.subsample(context.profile.importance_rows)
    return shap_importance(final.booster, context.matrix[rows], context.feature_names,
                           context.profile.num_threads)


def train_retained(context: PhaseContext, selection: Selection) -> Retained:
    """Fit the retained model with the search's parameters, in its nested ``final`` run."""
    params = selection.final_params(context)
    with phase_run(f"final/{SERVED_FAMILY}", "final", SERVED_FAMILY,
                   {"imbalance": selection.imbalance.strategy}):
        log_data_used(context.record, len(context.target))
        final = fit_final_model(context, params, selection.imbalance.negatives_per_positive)
        log_params(final.params)
        log_params({"trees": final.trees, "folds": context.profile.final_folds,
                    "fold_best_iterations": final.fold_best_iterations})
        importance = _importance(context, final)
        log_retained(context, final, importance, "retained model (out of fold)")
    return Retained(final, importance)

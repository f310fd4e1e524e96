"""Stratified cross-validation of one estimator family: out-of-fold probabilities and times.

Early stopping, when asked for, watches an inner slice of each fold's fitting rows, never the
fold being predicted, so the out-of-fold probabilities stay honest. Undersampling, when asked
for, thins the majority class of the fitting rows only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.model_selection import train_test_split

from credit_pipeline.train.modelling.families import FamilyContext, fit_estimator, make_estimator

__all__ = ["CrossValidation", "cross_validate", "undersample"]

#: Share of each fold's fitting rows kept aside to decide when boosting stops.
EARLY_STOPPING_SHARE = 0.1

FoldCallback = Callable[[int, np.ndarray, np.ndarray], None]


@dataclass
class CrossValidation:
    """Out-of-fold probabilities (aligned with the input rows) and what they cost to get."""

    oof_probability: np.ndarray
    fit_seconds: float = 0.0
    predict_seconds: float = 0.0
    best_iterations: list[int] = field(default_factory=list)
    #: The model of the last fold, for its feature importance.
    last_estimator: Any = None


def undersample(target: np.ndarray, negatives_per_positive: float, seed: int) -> np.ndarray:
    """Positions keeping every positive and a random share of negatives (sorted)."""
    rng = np.random.default_rng(seed)
    positives = np.flatnonzero(target == 1)
    negatives = np.flatnonzero(target == 0)
    keep = min(len(negatives), round(negatives_per_positive * len(positives)))
    return np.sort(np.concatenate([positives, rng.choice(negatives, keep, replace=False)]))


def _best_iteration(estimator: Any) -> int | None:
    for attribute in ("best_iteration_", "best_iteration"):
        value = getattr(estimator, attribute, None)
        if isinstance(value, (int, np.integer)) and value > 0:
            return int(value)
    return None


def _fit_fold(
    family: str, params: dict[str, Any], matrix: np.ndarray, target: np.ndarray,
    context: FamilyContext, early_stopping: bool, negatives_per_positive: float | None,
) -> Any:
    rows = np.arange(len(target))
    if negatives_per_positive is not None:
        rows = undersample(target, negatives_per_positive, context.seed)
    validation = None
    if early_stopping:
        rows, stop_rows = train_test_split(
            rows, test_size=EARLY_STOPPING_SHARE, stratify=target[rows], random_state=context.seed
        )
        validation = (matrix[stop_rows], target[stop_rows])
    estimator = make_estimator(family, params, context)
    return fit_estimator(family, estimator, matrix[rows], target[rows], validation, context)


def cross_validate(
    family: str,
    params: dict[str, Any],
    matrix: np.ndarray,
    target: np.ndarray,
    folds: list[tuple[np.ndarray, np.ndarray]],
    context: FamilyContext,
    early_stopping: bool = False,
    negatives_per_positive: float | None = None,
    on_fold: FoldCallback | None = None,
) -> CrossValidation:
    """Fit on each fold's rows, predict the held-out fold; ``on_fold`` may stop it (pruning)."""
    result = CrossValidation(oof_probability=np.full(len(target), np.nan))
    for step, (fit_rows, validation_rows) in enumerate(folds):
        started = time.perf_counter()
        estimator = _fit_fold(
            family, params, matrix[fit_rows], target[fit_rows], context,
            early_stopping, negatives_per_positive,
        )
        fitted = time.perf_counter()
        probability = estimator.predict_proba(matrix[validation_rows])[:, 1]
        result.predict_seconds += time.perf_counter() - fitted
        result.fit_seconds += fitted - started
        result.oof_probability[validation_rows] = probability
        result.last_estimator = estimator
        if (best := _best_iteration(estimator)) is not None:
            result.best_iterations.append(best)
        if on_fold is not None:
            on_fold(step, target[validation_rows], probability)
    return result

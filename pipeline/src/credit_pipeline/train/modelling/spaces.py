"""Hyper-parameter search spaces, one per candidate family, as Optuna suggestions.

Boosted families use a fixed, fast learning rate during the search and stop early on an inner
slice; the final model relearns the number of trees at its own learning rate.
"""

from __future__ import annotations

from typing import Any

import optuna

__all__ = ["SEARCHABLE_FAMILIES", "suggest_params"]

SEARCH_LEARNING_RATE = 0.1


def _lightgbm(trial: optuna.Trial, trees: int) -> dict[str, Any]:
    return {
        "n_estimators": trees,
        "learning_rate": SEARCH_LEARNING_RATE,
        "num_leaves": trial.suggest_int("num_leaves", 8, 128, log=True),
        "min_child_samples": trial.suggest_int("min_child_samples", 10, 400, log=True),
        "colsample_bytree": trial.suggest_float("colsample_bytree", 0.2, 1.0),
        "subsample": trial.suggest_float("subsample", 0.5, 1.0),
        "subsample_freq": 1,
        "reg_lambda": trial.suggest_float("reg_lambda", 1e-3, 30.0, log=True),
    }


def _xgboost(trial: optuna.Trial, trees: int) -> dict[str, Any]:
    return {
        "n_estimators": trees,
        "learning_rate": SEARCH_LEARNING_RATE,
        "max_depth": trial.suggest_int("max_depth", 3, 9),
        "min_child_weight": trial.suggest_float("min_child_weight", 1.0, 50.0, log=True),
        "subsample": trial.suggest_float("subsample", 0.5, 1.0),
        "colsample_bytree": trial.suggest_float("colsample_bytree", 0.2, 1.0),
        "reg_lambda": trial.suggest_float("reg_lambda", 1e-3, 30.0, log=True),
    }


def _logistic_regression(trial: optuna.Trial, trees: int) -> dict[str, Any]:
    return {"C": trial.suggest_float("C", 1e-3, 10.0, log=True)}


def _random_forest(trial: optuna.Trial, trees: int) -> dict[str, Any]:
    return {
        "n_estimators": max(10, trees // 2),
        "min_samples_leaf": trial.suggest_int("min_samples_leaf", 5, 200, log=True),
        "max_features": trial.suggest_float("max_features", 0.05, 0.5),
    }


_SPACES = {
    "lightgbm": _lightgbm,
    "xgboost": _xgboost,
    "logistic_regression": _logistic_regression,
    "random_forest": _random_forest,
}
SEARCHABLE_FAMILIES = tuple(_SPACES)


def suggest_params(family: str, trial: optuna.Trial, trees: int) -> dict[str, Any]:
    """The estimator parameters of one trial (fixed ones included)."""
    try:
        return _SPACES[family](trial, trees)
    except KeyError:
        raise ValueError(f"no search space for {family!r}; one of {SEARCHABLE_FAMILIES}") from None

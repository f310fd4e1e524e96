"""The model families compared by the baselines and the search, as scikit-learn estimators.

Each family is built from a flat parameter dict so that the search can propose parameters and
the runs can log them. Inputs are NumPy matrices in feature order; the categorical columns are
given by position (integer codes, NaN when missing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from lightgbm import LGBMClassifier
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from xgboost import XGBClassifier

__all__ = ["FAMILIES", "SERVED_FAMILY", "SLOW_FAMILIES", "FamilyContext", "fit_estimator",
           "make_estimator"]

FAMILIES = ("dummy", "logistic_regression", "random_forest", "xgboost", "lightgbm")
#: Families too slow for the full data: fitted on a smaller subsample (said in the run's tags).
SLOW_FAMILIES = ("logistic_regression", "random_forest")
#: The family the scoring and explain services can load (fast single-row scoring, exact
#: TreeSHAP): the retained model is always one, whichever family wins the search.
SERVED_FAMILY = "lightgbm"


@dataclass(frozen=True)
class FamilyContext:
    """What every estimator needs beside its parameters."""

    categorical_positions: list[int]
    n_features: int
    seed: int
    threads: int


def _logistic_regression(params: dict[str, Any], context: FamilyContext) -> Pipeline:
    categorical = context.categorical_positions
    numeric = [i for i in range(context.n_features) if i not in set(categorical)]
    numeric_steps = make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
        StandardScaler(),
    )
    categorical_steps = make_pipeline(
        SimpleImputer(strategy="constant", fill_value=-1.0, keep_empty_features=True),
        OneHotEncoder(handle_unknown="ignore", min_frequency=20, sparse_output=False),
    )
    prepare = ColumnTransformer([("numeric", numeric_steps, numeric),
                                 ("categorical", categorical_steps, categorical)])
    # tol 1e-3: the default 1e-4 needs three times the iterations on ~600 one-hot and scaled
    # columns for no change in AUC.
    model = LogisticRegression(
        C=params.get("C", 1.0), class_weight=params.get("class_weight"), max_iter=500, tol=1e-3
    )
    return Pipeline([("prepare", prepare), ("model", model)])


def make_estimator(family: str, params: dict[str, Any], context: FamilyContext) -> Any:
    """A fresh, unfitted estimator of ``family`` with ``params``."""
    params = dict(params)
    if family == "dummy":
        return DummyClassifier(strategy="prior")
    if family == "logistic_regression":
        return _logistic_regression(params, context)
    if family == "random_forest":
        forest = RandomForestClassifier(
            random_state=context.seed, n_jobs=context.threads, **params
        )
        return make_pipeline(SimpleImputer(strategy="median", keep_empty_features=True), forest)
    if family == "xgboost":
        return XGBClassifier(
            tree_method="hist", n_jobs=context.threads, random_state=context.seed,
            eval_metric="auc", **params
        )
    if family == "lightgbm":
        return LGBMClassifier(
            n_jobs=context.threads, random_state=context.seed, verbose=-1, metric="auc", **params
        )
    raise ValueError(f"unknown model family {family!r}; choose one of {FAMILIES}")


def fit_estimator(
    family: str,
    estimator: Any,
    fit_matrix: np.ndarray,
    fit_target: np.ndarray,
    validation: tuple[np.ndarray, np.ndarray] | None,
    context: FamilyContext,
) -> Any:
    """Fit with the family's own options: categorical columns, early stopping on ``validation``.

    ``validation`` is a slice of the training split (never the holdout); the boosted families
    stop adding trees when its AUC stops improving. AUC rather than log-loss: with class weights
    the log-loss of unweighted rows worsens from the first trees and would stop them at once.
    """
    if family == "lightgbm":
        extra: dict[str, Any] = {"categorical_feature": context.categorical_positions or "auto"}
        if validation is not None:
            import lightgbm

            extra["eval_X"], extra["eval_y"] = (validation[0],), (validation[1],)
            extra["callbacks"] = [lightgbm.early_stopping(30, verbose=False)]
        return estimator.fit(fit_matrix, fit_target, **extra)
    if family == "xgboost" and validation is not None:
        estimator.set_params(early_stopping_rounds=30)
        return estimator.fit(fit_matrix, fit_target, eval_set=[validation], verbose=False)
    return estimator.fit(fit_matrix, fit_target)

"""Feature importance: per family for the comparison runs, mean |SHAP| for the retained model.

The retained model's global importance is the mean absolute SHAP contribution of each feature
(LightGBM's exact TreeSHAP, ``pred_contrib=True``) over a seeded reference sample of training
rows; it is what the explain service shows as global importance.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["estimator_importance", "shap_importance"]


def _linear_importance(
    pipeline: Any, feature_names: list[str], categorical_positions: list[int]
) -> dict[str, float]:
    """|coefficient| on standardised inputs; a categorical sums its one-hot block."""
    coefficients = np.abs(pipeline.named_steps["model"].coef_[0])
    categorical = set(categorical_positions)
    numeric = [i for i in range(len(feature_names)) if i not in categorical]
    importance = {feature_names[i]: float(coefficients[k]) for k, i in enumerate(numeric)}
    prepare = pipeline.named_steps["prepare"]
    numeric_width = prepare.named_transformers_["numeric"].transform(
        np.zeros((1, len(numeric)))
    ).shape[1]
    encoder = prepare.named_transformers_["categorical"].steps[-1][1]
    names_out = encoder.get_feature_names_out([f"c{j}" for j in range(len(categorical_positions))])
    block = coefficients[numeric_width : numeric_width + len(names_out)]
    for j, position in enumerate(categorical_positions):
        mask = np.char.startswith(names_out.astype(str), f"c{j}_")
        importance[feature_names[position]] = float(block[mask].sum())
    return importance


def estimator_importance(
    family: str, estimator: Any, feature_names: list[str], categorical_positions: list[int]
) -> dict[str, float] | None:
    """Importance of each feature for a fitted comparison model; None for the dummy."""
    if family == "dummy":
        return None
    if family == "logistic_regression":
        return _linear_importance(estimator, feature_names, categorical_positions)
    if family == "lightgbm":
        values = estimator.booster_.feature_importance(importance_type="gain")
    else:
        model = estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator
        values = model.feature_importances_
    return {name: float(value) for name, value in zip(feature_names, values, strict=True)}


def shap_importance(
    booster: Any, matrix: np.ndarray, feature_names: list[str], threads: int = 0
) -> dict[str, float]:
    """Mean |SHAP value| (log-odds) of each feature over the rows of ``matrix``."""
    contributions = booster.predict(matrix, pred_contrib=True, num_threads=threads)
    # The last column is the expected value (bias), not a feature.
    mean_absolute = np.abs(np.asarray(contributions)[:, :-1]).mean(axis=0)
    ranked = sorted(zip(feature_names, mean_absolute, strict=True), key=lambda p: -p[1])
    return {name: float(value) for name, value in ranked}

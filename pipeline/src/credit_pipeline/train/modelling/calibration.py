"""Probability calibration, kept only when it improves the Brier score out of fold.

The candidates map the booster's raw score (log-odds) to a probability: none (the sigmoid),
Platt scaling (a logistic curve on the raw score) and isotonic regression. Each is judged by the
Brier score of cross-fitted predictions on the out-of-fold raw scores (a calibrator never scores
the rows it was fitted on); the best is then refitted on all of them. Class weights distort the
raw probabilities, which is why this step exists: the probability an advisor sees must mean
what it says.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss

from credit_core.bundle import Calibration
from credit_pipeline.train.modelling.split import stratified_folds

__all__ = ["CalibrationChoice", "choose_calibration", "fit_calibration"]

CALIBRATION_FOLDS = 5


@dataclass(frozen=True)
class CalibrationChoice:
    """The retained calibration and the cross-fitted Brier score of every candidate."""

    calibration: Calibration
    brier: dict[str, float]

    @property
    def method(self) -> str:
        return self.calibration.method

    @property
    def brier_before(self) -> float:
        return self.brier["none"]

    @property
    def brier_after(self) -> float:
        return self.brier[self.method]


def fit_calibration(method: str, raw_score: np.ndarray, target: np.ndarray) -> Calibration:
    """Fit one calibration method on raw scores and outcomes."""
    if method == "platt":
        model = LogisticRegression(C=1e6, max_iter=1000).fit(raw_score.reshape(-1, 1), target)
        return Calibration("platt", platt_a=float(model.coef_[0, 0]),
                           platt_b=float(model.intercept_[0]))
    if method == "isotonic":
        model = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
        model.fit(raw_score, target)
        return Calibration("isotonic", isotonic_x=tuple(model.X_thresholds_.tolist()),
                           isotonic_y=tuple(model.y_thresholds_.tolist()))
    return Calibration()


def _cross_fitted_brier(method: str, raw_score: np.ndarray, target: np.ndarray,
                        seed: int) -> float:
    predicted = np.empty(len(target))
    for fit_rows, score_rows in stratified_folds(target, CALIBRATION_FOLDS, seed):
        calibration = fit_calibration(method, raw_score[fit_rows], target[fit_rows])
        predicted[score_rows] = calibration.apply(raw_score[score_rows])
    return float(brier_score_loss(target, predicted))


def choose_calibration(raw_score: np.ndarray, target: np.ndarray, seed: int,
                       methods: tuple[str, ...] = ("platt", "isotonic")) -> CalibrationChoice:
    """Compare none and ``methods`` (Platt, isotonic) out of fold; refit the best on all."""
    brier = {"none": float(brier_score_loss(target, Calibration().apply(raw_score)))}
    for method in methods:
        brier[method] = _cross_fitted_brier(method, raw_score, target, seed)
    method = min(brier, key=brier.__getitem__)
    return CalibrationChoice(fit_calibration(method, raw_score, target), brier)

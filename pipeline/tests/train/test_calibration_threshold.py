"""Calibration kept only when it lowers the Brier score; the threshold from the one cost."""

from __future__ import annotations

import numpy as np
import pytest

from credit_core.cost import business_cost, cost_curve
from credit_pipeline.train.modelling.calibration import choose_calibration
from credit_pipeline.train.modelling.evaluate import bayes_threshold, evaluate
from credit_pipeline.train.phases.p4_threshold import choose_threshold


def scores(rows: int = 20_000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    true_logit = rng.normal(-2.5, 1.0, rows)
    target = (rng.random(rows) < 1 / (1 + np.exp(-true_logit))).astype(int)
    return true_logit, target


def test_distorted_scores_get_calibrated() -> None:
    true_logit, target = scores()
    # What class weights do to a booster's raw score: shifted and stretched log-odds.
    choice = choose_calibration(2.0 * true_logit + 2.3, target, seed=0)
    assert choice.method in ("platt", "isotonic")
    assert choice.brier_after < choice.brier_before * 0.9


def test_calibrated_scores_stay_uncalibrated() -> None:
    true_logit, target = scores(seed=1)
    choice = choose_calibration(true_logit, target, seed=0)
    # Already the true log-odds: a calibration cannot win by more than noise.
    assert choice.brier_after == pytest.approx(choice.brier_before, rel=0.01)


def test_threshold_minimises_the_business_cost() -> None:
    true_logit, target = scores(seed=2)
    probability = 1 / (1 + np.exp(-true_logit))
    threshold = choose_threshold(target, probability)
    best = business_cost(target, probability, threshold).total
    _, costs = cost_curve(target, probability)
    assert best == costs.min()
    for other in (threshold * 0.8, threshold * 1.2, 0.5, bayes_threshold()):
        assert business_cost(target, probability, other).total >= best
    # On true probabilities, the optimum sits near the Bayes threshold 1/11.
    assert threshold == pytest.approx(1 / 11, abs=0.03)
    assert evaluate(target, probability, threshold).cost.total == best


def test_threshold_refuses_incomplete_out_of_fold_predictions() -> None:
    with pytest.raises(ValueError, match="incomplete"):
        choose_threshold(np.array([0, 1]), np.array([0.2, np.nan]))
    with pytest.raises(ValueError, match="one out-of-fold"):
        choose_threshold(np.array([0, 1, 0]), np.array([0.2, 0.3]))

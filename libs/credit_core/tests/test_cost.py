import numpy as np
import pytest

from credit_core.cost import business_cost, cost_curve, decide, optimal_threshold


def test_business_cost_counts_and_weights() -> None:
    y = np.array([1, 1, 0, 0, 0, 1])
    p = np.array([0.9, 0.2, 0.8, 0.1, 0.05, 0.5])
    cost = business_cost(y, p, 0.5)
    assert (cost.true_positives, cost.false_negatives) == (2, 1)
    assert (cost.false_positives, cost.true_negatives) == (1, 2)
    assert cost.total == 10 * 1 + 1 * 1
    assert cost.per_client == pytest.approx(11 / 6)
    assert cost.recall == pytest.approx(2 / 3)
    assert cost.precision == pytest.approx(2 / 3)


def test_decision_refuses_at_the_threshold() -> None:
    assert decide([0.29, 0.3, 0.31], 0.3).tolist() == [False, True, True]


def test_optimal_threshold_matches_brute_force() -> None:
    rng = np.random.default_rng(1)
    y = rng.random(3000) < 0.08
    p = np.clip(0.08 + 0.15 * y + rng.normal(0, 0.08, y.size), 0, 1).round(3)  # with ties
    thresholds, costs = cost_curve(y, p)
    brute = {t: business_cost(y, p, t).total for t in np.r_[np.unique(p), 1.5]}
    best = min(brute.values())
    assert costs.min() == best
    assert business_cost(y, p, optimal_threshold(y, p)).total == best
    for t, c in zip(thresholds[:-1], costs[:-1], strict=True):
        assert brute[t] == c


def test_ten_to_one_pushes_the_threshold_below_one_half() -> None:
    rng = np.random.default_rng(2)
    p = rng.random(20000)
    y = rng.random(p.size) < p  # perfectly calibrated scores
    # With FN ten times FP, refusing pays off once p > 1/11.
    assert optimal_threshold(y, p) == pytest.approx(1 / 11, abs=0.03)


def test_refusing_nobody_is_a_candidate() -> None:
    y = np.zeros(10)
    p = np.linspace(0, 0.9, 10)
    assert business_cost(y, p, optimal_threshold(y, p)).total == 0

"""The business cost of credit decisions: the one definition used by training, scoring and monitoring.

A defaulter who is accepted (false negative) costs the lender about ten times what a good client
who is refused (false positive) costs, so ``cost = 10 x FN + 1 x FP``. The decision threshold is
the probability of default above which an application is refused; it is chosen to minimise this
cost on out-of-fold predictions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "FALSE_NEGATIVE_COST",
    "FALSE_POSITIVE_COST",
    "CostBreakdown",
    "business_cost",
    "cost_curve",
    "decide",
    "optimal_threshold",
]

FALSE_NEGATIVE_COST = 10.0
FALSE_POSITIVE_COST = 1.0


@dataclass(frozen=True)
class CostBreakdown:
    """The confusion counts at a threshold and what they cost."""

    threshold: float
    true_positives: int
    false_positives: int
    true_negatives: int
    false_negatives: int

    @property
    def total(self) -> float:
        return FALSE_NEGATIVE_COST * self.false_negatives + FALSE_POSITIVE_COST * self.false_positives

    @property
    def clients(self) -> int:
        return self.true_positives + self.false_positives + self.true_negatives + self.false_negatives

    @property
    def per_client(self) -> float:
        return self.total / self.clients if self.clients else 0.0

    @property
    def recall(self) -> float:
        positives = self.true_positives + self.false_negatives
        return self.true_positives / positives if positives else 0.0

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 0.0

    @property
    def refusal_rate(self) -> float:
        return (self.true_positives + self.false_positives) / self.clients if self.clients else 0.0


def decide(probability_of_default: npt.ArrayLike, decision_threshold: float) -> np.ndarray:
    """True where the application is refused: the probability of default reaches the threshold."""
    return np.asarray(probability_of_default, dtype=float) >= decision_threshold


def business_cost(
    y_true: npt.ArrayLike, probability_of_default: npt.ArrayLike, decision_threshold: float
) -> CostBreakdown:
    """Confusion counts and cost of refusing every application at or above the threshold."""
    truth = np.asarray(y_true).astype(bool)
    refused = decide(probability_of_default, decision_threshold)
    return CostBreakdown(
        threshold=float(decision_threshold),
        true_positives=int(np.sum(refused & truth)),
        false_positives=int(np.sum(refused & ~truth)),
        true_negatives=int(np.sum(~refused & ~truth)),
        false_negatives=int(np.sum(~refused & truth)),
    )


def cost_curve(
    y_true: npt.ArrayLike, probability_of_default: npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """The cost at every distinct threshold, in one sort: (thresholds ascending, total costs).

    Refusing at threshold t refuses every score >= t. Sorting once and counting cumulatively
    gives all thresholds in O(n log n) instead of one confusion matrix per candidate.
    """
    truth = np.asarray(y_true).astype(bool)
    scores = np.asarray(probability_of_default, dtype=float)
    order = np.argsort(-scores, kind="mergesort")
    sorted_scores = scores[order]
    sorted_truth = truth[order]
    # Cumulative counts of positives/negatives among the k highest scores.
    true_positives = np.cumsum(sorted_truth)
    false_positives = np.cumsum(~sorted_truth)
    # Only the last index of each run of equal scores is a reachable cut.
    last_of_run = np.r_[sorted_scores[1:] != sorted_scores[:-1], True]
    thresholds = sorted_scores[last_of_run]
    total_positives = int(truth.sum())
    false_negatives = total_positives - true_positives[last_of_run]
    costs = FALSE_NEGATIVE_COST * false_negatives + FALSE_POSITIVE_COST * false_positives[last_of_run]
    # Add the "refuse nobody" cut: a threshold above every score.
    thresholds = np.r_[thresholds, np.nextafter(sorted_scores[0], np.inf) if scores.size else 1.0]
    costs = np.r_[costs, FALSE_NEGATIVE_COST * total_positives]
    ascending = np.argsort(thresholds)
    return thresholds[ascending], costs[ascending]


def optimal_threshold(y_true: npt.ArrayLike, probability_of_default: npt.ArrayLike) -> float:
    """The threshold that minimises ``10 x FN + 1 x FP`` (the lowest one among ties)."""
    thresholds, costs = cost_curve(y_true, probability_of_default)
    return float(thresholds[int(np.argmin(costs))])

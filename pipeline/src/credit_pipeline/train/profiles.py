"""Training budgets: how many rows, folds, trials and trees each phase may spend.

``quick`` trains on the full-size data (307,511 x ~250) in about five minutes on two cores,
``full`` in under 45, and ``test`` is a toy budget that makes the test suite fast. Row limits
are stratified subsamples of the training split; the final model and the threshold always use
the whole training split.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

__all__ = ["PROFILES", "Profile", "ProfileName", "get_profile"]

ProfileName = Literal["quick", "full", "test"]


@dataclass(frozen=True)
class Profile:
    """A budget for every phase of ``run_training``."""

    name: str
    seed: int = 42
    holdout_share: float = 0.15
    # Phase 1: baselines (all families on one stratified subsample; the slow ones smaller).
    baseline_families: tuple[str, ...] = (
        "dummy", "logistic_regression", "random_forest", "xgboost", "lightgbm"
    )
    baseline_rows: int = 15_000
    baseline_slow_rows: int = 10_000
    baseline_folds: int = 3
    baseline_trees: int = 100
    # Phase 2: a budgeted search per family, then a deeper one on the retained family.
    search_families: tuple[str, ...] = ("lightgbm", "xgboost")
    search_rows: int = 30_000
    search_folds: int = 2
    search_trials: int = 4
    search_timeout_s: float = 20.0
    deep_rows: int = 40_000
    deep_folds: int = 3
    deep_trials: int = 6
    deep_timeout_s: float = 30.0
    search_trees: int = 300
    # Phase 3: the retained model on the whole training split.
    final_folds: int = 3
    final_max_trees: int = 400
    final_learning_rate: float = 0.1
    early_stopping_rounds: int = 20
    # Registry extras.
    importance_rows: int = 5_000
    # The drift reference: every labelled row (None), or a seeded sample of this many.
    reference_rows: int | None = None
    num_threads: int = 2

    def with_overrides(self, **changes: object) -> Profile:
        """A copy with some budgets changed (benchmarks and tests)."""
        return replace(self, **changes)  # type: ignore[arg-type]


PROFILES: dict[str, Profile] = {
    "quick": Profile(name="quick"),
    "full": Profile(
        name="full",
        baseline_rows=100_000,
        baseline_slow_rows=50_000,
        baseline_folds=5,
        baseline_trees=400,
        search_families=("lightgbm", "xgboost", "logistic_regression"),
        search_rows=80_000,
        search_folds=3,
        search_trials=15,
        search_timeout_s=240.0,
        deep_rows=150_000,
        deep_folds=3,
        deep_trials=40,
        deep_timeout_s=720.0,
        search_trees=800,
        final_folds=5,
        final_max_trees=3000,
        final_learning_rate=0.03,
        early_stopping_rounds=100,
        importance_rows=20_000,
    ),
    "test": Profile(
        name="test",
        baseline_rows=1_500,
        baseline_slow_rows=800,
        baseline_folds=2,
        baseline_trees=20,
        search_rows=1_500,
        search_folds=2,
        search_trials=2,
        search_timeout_s=20.0,
        deep_rows=2_000,
        deep_folds=2,
        deep_trials=3,
        deep_timeout_s=20.0,
        search_trees=40,
        final_folds=2,
        final_max_trees=60,
        final_learning_rate=0.1,
        early_stopping_rounds=10,
        importance_rows=500,
        reference_rows=2_000,
        # On a few thousand rows a second thread costs more than it brings.
        num_threads=1,
    ),
}


def get_profile(name: str) -> Profile:
    """The named budget; a clear error for an unknown name."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; choose one of {sorted(PROFILES)}") from None

"""Model families chosen by the data (``credit train --data``): candidates and repeated CV.

On a file of a few hundred to a few tens of thousands of rows the Home Credit search (LightGBM
with early stopping on a 10 % slice) is the wrong tool: on 850 rows it stopped at 5-13 trees and
lost to a plain logistic regression. Here every candidate is judged on the same repeated
stratified folds by the business cost (``10 x FN + 1 x FP`` at its out-of-fold optimal
threshold, averaged over the repeats), and candidates within noise of the cheapest (one standard
error of the repeats, at least ``TIE_SHARE`` of the cost) are tied: the highest AUC among them
wins. The candidates:

- regularised logistic regression (median-imputed and scaled numbers with missing indicators,
  one-hot categories) over a grid of C; C = 1 is the plain textbook model;
- LightGBM with small-data settings: few leaves, a minimum leaf size that grows with the rows,
  L2 regularisation, smoothed categorical splits, row and column subsampling, a learning rate
  matched to the size and a number of trees chosen by the same CV (one fit per fold is scored
  at several tree counts); and LightGBM with its defaults.

Scores are log-odds; the averaged out-of-fold log-odds of the winner feed the calibration and
threshold choices.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.model_selection import RepeatedStratifiedKFold

from credit_pipeline.train.modelling.evaluate import evaluate
from credit_pipeline.train.modelling.families import FamilyContext, fit_estimator, make_estimator

__all__ = ["TIE_SHARE", "CandidateScore", "FamilyChoice", "ModelCandidate", "candidates",
           "choose_by_data", "cv_plan", "learning_rate_for", "score_candidates"]

#: Costs within this share of the cheapest (or one standard error) are ties, decided by AUC.
TIE_SHARE = 0.01
FOLDS = 5


@dataclass(frozen=True)
class ModelCandidate:
    """One configuration; LightGBM ones are scored at every count in ``tree_counts``."""

    name: str
    family: str
    params: dict[str, Any]
    tree_counts: tuple[int, ...] = ()


@dataclass
class CandidateScore:
    """A configuration's out-of-fold figures (at one tree count for LightGBM)."""

    name: str
    family: str
    params: dict[str, Any]
    oof_raw: np.ndarray
    repeat_costs: list[float]
    repeat_aucs: list[float]
    seconds: float = 0.0

    @property
    def cost_per_client(self) -> float:
        return float(np.mean(self.repeat_costs))

    @property
    def roc_auc(self) -> float:
        return float(np.mean(self.repeat_aucs))

    @property
    def cost_error(self) -> float:
        """Standard error of the cost over the repeats (0 with one repeat)."""
        if len(self.repeat_costs) < 2:
            return 0.0
        return float(np.std(self.repeat_costs, ddof=1) / np.sqrt(len(self.repeat_costs)))


@dataclass
class FamilyChoice:
    """Every candidate's score and the retained one."""

    scores: list[CandidateScore]
    best: CandidateScore
    repeats: int
    folds: int = FOLDS
    tied: list[str] = field(default_factory=list)


def cv_plan(rows: int) -> int:
    """Repeats of 5-fold CV: more on small data, where one split is noisy."""
    return 3 if rows <= 5_000 else 2 if rows <= 20_000 else 1


def learning_rate_for(rows: int) -> float:
    """Slower learning on fewer rows: many small steps average out the noise of tiny leaves."""
    return 0.02 if rows < 2_000 else 0.05 if rows < 20_000 else 0.1


def candidates(rows: int) -> list[ModelCandidate]:
    """The candidate configurations for a training split of ``rows`` rows."""
    rate = learning_rate_for(rows)
    steps = tuple(round(k / rate) for k in (2, 4, 8, 16))
    shared = {"learning_rate": rate, "n_estimators": steps[-1], "subsample": 0.8,
              "subsample_freq": 1, "colsample_bytree": 0.7, "min_data_per_group": 20,
              "cat_smooth": 20.0, "cat_l2": 10.0, "max_cat_to_onehot": 8}
    found: list[ModelCandidate] = [
        ModelCandidate(f"logistic_regression C={c:g}", "logistic_regression", {"C": c})
        for c in (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
    ]
    found += [
        ModelCandidate("lightgbm small-data 4 leaves", "lightgbm",
                       {**shared, "num_leaves": 4, "min_child_samples": max(10, rows // 100),
                        "reg_lambda": 5.0}, steps),
        ModelCandidate("lightgbm small-data 15 leaves", "lightgbm",
                       {**shared, "num_leaves": 15, "min_child_samples": max(20, rows // 50),
                        "reg_lambda": 10.0}, steps),
        ModelCandidate("lightgbm defaults", "lightgbm", {}, (100,)),
    ]
    return found


def _raw_scores(candidate: ModelCandidate, estimator: Any, matrix: np.ndarray
                ) -> list[np.ndarray]:
    """Log-odds of ``matrix``, once per tree count (one fit serves them all)."""
    if candidate.family == "lightgbm":
        return [np.asarray(estimator.predict(matrix, raw_score=True, num_iteration=trees))
                for trees in candidate.tree_counts]
    return [np.asarray(estimator.decision_function(matrix), dtype=np.float64)]


def _variants(candidate: ModelCandidate) -> list[tuple[str, dict[str, Any]]]:
    if candidate.family != "lightgbm":
        return [(candidate.name, dict(candidate.params))]
    return [(f"{candidate.name}, {trees} trees", {**candidate.params, "n_estimators": trees})
            for trees in candidate.tree_counts]


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


def score_candidates(matrix: np.ndarray, target: np.ndarray, context: FamilyContext,
                     pool: list[ModelCandidate], repeats: int) -> list[CandidateScore]:
    """Every candidate (and tree count) on the same repeated stratified folds."""
    splitter = RepeatedStratifiedKFold(n_splits=FOLDS, n_repeats=repeats,
                                       random_state=context.seed)
    splits = list(splitter.split(np.zeros(len(target)), target))
    scores = []
    for candidate in pool:
        started = time.perf_counter()
        variants = _variants(candidate)
        oof = np.zeros((len(variants), repeats, len(target)))
        for index, (fit_rows, score_rows) in enumerate(splits):
            estimator = make_estimator(candidate.family, candidate.params, context)
            fit_estimator(candidate.family, estimator, matrix[fit_rows], target[fit_rows], None,
                          context)
            for variant, raw in enumerate(_raw_scores(candidate, estimator, matrix[score_rows])):
                oof[variant, index // FOLDS, score_rows] = raw
        seconds = (time.perf_counter() - started) / len(variants)
        for variant, (name, params) in enumerate(variants):
            evaluations = [evaluate(target, _sigmoid(oof[variant, r])) for r in range(repeats)]
            scores.append(CandidateScore(
                name, candidate.family, params, oof[variant].mean(axis=0),
                [e.cost.per_client for e in evaluations], [e.roc_auc for e in evaluations],
                seconds,
            ))
    return scores


def choose_by_data(matrix: np.ndarray, target: np.ndarray, context: FamilyContext,
                   pool: list[ModelCandidate] | None = None) -> FamilyChoice:
    """Score every candidate; the cheapest, or among ties (see the module) the best AUC."""
    repeats = cv_plan(len(target))
    scores = score_candidates(matrix, target, context, pool or candidates(len(target)), repeats)
    cheapest = min(scores, key=lambda s: (s.cost_per_client, -s.roc_auc))
    band = max(cheapest.cost_error, TIE_SHARE * cheapest.cost_per_client)
    tied = [s for s in scores if s.cost_per_client <= cheapest.cost_per_client + band]
    best = max(tied, key=lambda s: (s.roc_auc, -s.cost_per_client))
    return FamilyChoice(scores, best, repeats, tied=[s.name for s in tied])

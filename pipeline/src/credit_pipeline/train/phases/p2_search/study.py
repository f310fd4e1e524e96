"""One budgeted Optuna study of a family, as a nested run (phase 2 runs one per candidate family,
then a deeper one on the retained family).

Each search is a nested run; each trial a run nested under it (parameters, AUC, business cost,
state). The objective is the business cost per client of the out-of-fold probabilities at their
cost-optimal threshold; a trial whose first folds are worse than the median is pruned.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import optuna

import mlflow
from credit_pipeline.train.mlflow_io.tracking import log_data_used, log_evaluation, log_params, phase_run
from credit_pipeline.train.modelling.cv import cross_validate
from credit_pipeline.train.modelling.evaluate import evaluate
from credit_pipeline.train.modelling.spaces import suggest_params
from credit_pipeline.train.phases.context import PhaseContext

__all__ = ["SearchBudget", "SearchResult", "run_search"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchBudget:
    """How much one search may spend."""

    rows: int
    folds: int
    trials: int
    timeout_s: float
    trees: int


@dataclass
class SearchResult:
    """The best trial of a search."""

    family: str
    params: dict[str, Any]
    cost_per_client: float
    roc_auc: float
    trials: int
    pruned: int
    seconds: float
    run_id: str
    best_iterations: list[int] = field(default_factory=list)
    #: The best trial's suggested values (what ``start_from`` takes).
    suggested: dict[str, Any] = field(default_factory=dict)


class _Objective:
    """One trial: suggest, cross-validate with pruning on each fold, log a nested run."""

    def __init__(self, context: PhaseContext, family: str, rows: np.ndarray, budget: SearchBudget):
        self.context, self.family, self.rows, self.budget = context, family, rows, budget
        self.folds = context.folds(rows, budget.folds)

    def _pruning_callback(self, trial: optuna.Trial) -> Any:
        fold_costs: list[float] = []

        def on_fold(step: int, target: np.ndarray, probability: np.ndarray) -> None:
            fold_costs.append(evaluate(target, probability).cost.per_client)
            trial.report(float(np.mean(fold_costs)), step)
            if step < len(self.folds) - 1 and trial.should_prune():
                mlflow.set_tag("state", "pruned")
                raise optuna.TrialPruned(f"pruned after fold {step + 1}")

        return on_fold

    def __call__(self, trial: optuna.Trial) -> float:
        params = suggest_params(self.family, trial, self.budget.trees)
        target = self.context.target[self.rows]
        with phase_run(f"trial-{trial.number:03d}", "search-trial", self.family):
            log_params(params)
            result = cross_validate(
                self.family, params, self.context.matrix[self.rows], target, self.folds,
                self.context.family, early_stopping=True,
                on_fold=self._pruning_callback(trial),
            )
            evaluation = evaluate(target, result.oof_probability)
            log_evaluation(evaluation)
            mlflow.log_metrics({"fit_seconds": result.fit_seconds,
                                "predict_seconds": result.predict_seconds})
            mlflow.set_tag("state", "complete")
        trial.set_user_attr("roc_auc", evaluation.roc_auc)
        trial.set_user_attr("best_iterations", result.best_iterations)
        trial.set_user_attr("params", params)
        return evaluation.cost.per_client


def run_search(
    context: PhaseContext,
    family: str,
    budget: SearchBudget,
    run_name: str,
    start_from: dict[str, Any] | None = None,
) -> SearchResult:
    """Search ``family``'s space within ``budget``; ``start_from`` seeds the first trial."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    rows = context.subsample(budget.rows)
    sampler = optuna.samplers.TPESampler(
        seed=context.profile.seed, n_startup_trials=max(2, budget.trials // 3)
    )
    study = optuna.create_study(
        direction="minimize", sampler=sampler,
        pruner=optuna.pruners.MedianPruner(n_startup_trials=2),
    )
    if start_from:
        study.enqueue_trial(start_from, skip_if_exists=True)
    started = time.perf_counter()
    with phase_run(run_name, "search", family) as run:
        log_params({"trials": budget.trials, "timeout_s": budget.timeout_s,
                    "folds": budget.folds, "objective": "business_cost_per_client"})
        log_data_used(context.record, len(rows))
        study.optimize(_Objective(context, family, rows, budget), n_trials=budget.trials,
                       timeout=budget.timeout_s, show_progress_bar=True)
        result = _summarise(study, family, time.perf_counter() - started, run.info.run_id)
        _log_summary(study, result)
    logger.info("search %s: best cost/client %.4f (AUC %.4f) after %d trials, %d pruned",
                run_name, result.cost_per_client, result.roc_auc, result.trials, result.pruned)
    return result


def _summarise(study: optuna.Study, family: str, seconds: float, run_id: str) -> SearchResult:
    states = [t.state for t in study.trials]
    best = study.best_trial
    return SearchResult(
        family=family,
        params=dict(best.user_attrs["params"]),
        cost_per_client=float(study.best_value),
        roc_auc=float(best.user_attrs["roc_auc"]),
        trials=len(states),
        pruned=states.count(optuna.trial.TrialState.PRUNED),
        seconds=seconds,
        run_id=run_id,
        best_iterations=list(best.user_attrs["best_iterations"]),
        suggested=dict(best.params),
    )


def _log_summary(study: optuna.Study, result: SearchResult) -> None:
    log_params(result.params, prefix="best.")
    mlflow.log_metrics({
        "business_cost_per_client": result.cost_per_client,
        "roc_auc": result.roc_auc,
        "trials": result.trials,
        "pruned_trials": result.pruned,
        "search_seconds": result.seconds,
    })
    trials = study.trials_dataframe(attrs=("number", "value", "state", "duration", "params"))
    mlflow.log_text(trials.to_csv(index=False), "optuna_trials.csv")

"""Phase 4b as a run: the one look at the untouched holdout.

Scores the holdout once at the threshold chosen out of fold, with the oracle beside it when the
true probability is known, and logs the holdout fingerprint, the metrics, the figures and the
outcomes by group.
"""

from __future__ import annotations

import time

import pandas as pd

import mlflow
from credit_core.bundle import ModelBundle
from credit_pipeline.train.data import TrainingData
from credit_pipeline.train.fairness import fairness_table
from credit_pipeline.train.holdout import HoldoutCheck, check_holdout
from credit_pipeline.train.split import HoldoutSplit
from credit_pipeline.train.tracking import (
    DataRecord,
    log_data_used,
    log_evaluation,
    log_figures,
    phase_run,
)

__all__ = ["holdout_run"]


def holdout_run(
    bundle: ModelBundle, holdout: TrainingData, split: HoldoutSplit, record: DataRecord,
    importance: dict[str, float],
) -> tuple[HoldoutCheck, pd.DataFrame]:
    """Score the holdout once; log its metrics, figures, oracle comparison and fairness table."""
    with phase_run("holdout", "holdout", "lightgbm"):
        log_data_used(record, holdout.rows, context="holdout")
        mlflow.log_param("holdout.fingerprint", split.fingerprint)
        started = time.perf_counter()
        check = check_holdout(bundle, holdout)
        mlflow.log_metric("predict_seconds", time.perf_counter() - started)
        log_evaluation(check.evaluation)
        if check.oracle is not None:
            mlflow.log_metrics(check.oracle.metrics())
        fairness = fairness_table(holdout.segments, holdout.target, check.probability,
                                  bundle.threshold)
        mlflow.log_text(fairness.to_csv(index=False), "fairness.csv")
        log_figures(holdout.target, check.probability, bundle.threshold, "holdout", importance)
    return check, fairness

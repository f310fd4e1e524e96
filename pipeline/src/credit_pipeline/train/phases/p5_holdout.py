"""Phase 5: the one look at the untouched holdout, as the ``holdout`` run.

The scoring bundle, with the threshold already chosen out of fold, scores the holdout once. When
the data generator's true default probability is known, the oracle is scored on the same rows:
its AUC, its cost at the Bayes threshold for a true probability (1/11, so nothing is fitted on
the holdout), and the share of its lift over a coin (AUC - 0.5) that the model reaches. The run
logs the holdout fingerprint, the metrics, the figures and the outcomes by group.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

import mlflow
from credit_core.bundle import ModelBundle
from credit_pipeline.train.datasets.training_data import TrainingData
from credit_pipeline.train.mlflow_io.tracking import (
    DataRecord,
    log_data_used,
    log_evaluation,
    log_figures,
    phase_run,
)
from credit_pipeline.train.modelling.evaluate import (
    Evaluation,
    OracleComparison,
    bayes_threshold,
    evaluate,
)
from credit_pipeline.train.modelling.fairness import fairness_table
from credit_pipeline.train.modelling.families import SERVED_FAMILY
from credit_pipeline.train.modelling.split import HoldoutSplit

__all__ = ["HoldoutCheck", "check_holdout", "run_holdout"]


@dataclass(frozen=True)
class HoldoutCheck:
    """The model's holdout evaluation at the chosen threshold (and the oracle's, if known)."""

    evaluation: Evaluation
    probability: np.ndarray
    oracle: OracleComparison | None


def check_holdout(bundle: ModelBundle, holdout: TrainingData) -> HoldoutCheck:
    """Score the holdout with the bundle at its threshold."""
    matrix = holdout.features[bundle.features].to_numpy(dtype=np.float64)
    probability = bundle.predict_proba(matrix)
    evaluation = evaluate(holdout.target, probability, bundle.threshold)
    oracle = None
    if holdout.oracle_probability is not None:
        oracle_evaluation = evaluate(holdout.target, holdout.oracle_probability, bayes_threshold())
        oracle = OracleComparison(oracle_evaluation, evaluation.roc_auc)
    return HoldoutCheck(evaluation, probability, oracle)


def run_holdout(
    bundle: ModelBundle, holdout: TrainingData, split: HoldoutSplit, record: DataRecord,
    importance: dict[str, float],
) -> tuple[HoldoutCheck, pd.DataFrame]:
    """Score the holdout once; log its metrics, figures, oracle comparison and fairness table."""
    with phase_run("holdout", "holdout", str(bundle.metadata.get("family", SERVED_FAMILY))):
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

"""Phase 4: the decision threshold, chosen on out-of-fold predictions only, as the ``threshold`` run.

The threshold minimises ``10 x FN + 1 x FP`` (``credit_core.cost``) over the calibrated
out-of-fold probabilities of the training split. Nothing here receives holdout rows: the holdout
exists only in phase 5 (``p5_holdout``), which takes the threshold as given. With the threshold
the retained model is complete, so this phase also assembles it as the scoring bundle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import mlflow
from credit_core.bundle import ModelBundle
from credit_core.cost import optimal_threshold
from credit_pipeline.train.mlflow_io.tracking import (
    log_data_used,
    log_evaluation,
    log_figures,
    phase_run,
)
from credit_pipeline.train.modelling.evaluate import Evaluation, evaluate
from credit_pipeline.train.phases.context import PhaseContext
from credit_pipeline.train.phases.p3_retained import Retained

__all__ = ["ThresholdChoice", "choose_threshold", "decide_threshold", "scoring_bundle"]


@dataclass(frozen=True)
class ThresholdChoice:
    """The chosen threshold and the out-of-fold evaluation at it."""

    threshold: float
    oof: Evaluation


def choose_threshold(oof_target: np.ndarray, oof_probability: np.ndarray) -> float:
    """The cost-optimal threshold of the out-of-fold probabilities."""
    if len(oof_target) != len(oof_probability):
        raise ValueError("one out-of-fold probability per training row is needed")
    if np.isnan(oof_probability).any():
        raise ValueError("out-of-fold probabilities are incomplete (NaN)")
    return optimal_threshold(oof_target, oof_probability)


def decide_threshold(context: PhaseContext, retained: Retained) -> ThresholdChoice:
    """Choose the retained model's threshold in its nested ``threshold`` run."""
    probability = retained.final.oof_probability
    with phase_run("threshold", "threshold", retained.family):
        log_data_used(context.record, len(context.target))
        threshold = choose_threshold(context.target, probability)
        oof = evaluate(context.target, probability, threshold)
        log_evaluation(oof)
        mlflow.log_param("chosen_on", "out-of-fold predictions of the training split")
        log_figures(context.target, probability, threshold, "threshold (out of fold)",
                    retained.importance)
    return ThresholdChoice(threshold, oof)


def scoring_bundle(context: PhaseContext, retained: Retained, choice: ThresholdChoice,
                   model_name: str) -> ModelBundle:
    """The retained model at its threshold as the services load it (metrics come later)."""
    train = context.train
    return ModelBundle(
        booster=retained.final.booster, features=context.feature_names,
        categorical_features=list(train.categorical_features),
        threshold=choice.threshold, calibration=retained.final.calibration.calibration,
        category_levels={k: list(v) for k, v in train.category_levels.items()},
        metadata={"labels": dict(train.labels), "model_name": model_name,
                  "data_fingerprint": context.record.fingerprint, "trees": retained.final.trees,
                  "family": retained.family},
    )

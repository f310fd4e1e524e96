"""Phase 6: the bundle's attachments, registration and the champion rule, as the ``registry`` run.

The scoring bundle, checked on the holdout in phase 5, is saved with its metrics, global
importance and model card; the ``registry`` run then writes the drift reference, logs and
registers the pyfunc model, tags the version and applies the promotion rule against the current
champion on the same holdout.

The drift reference holds every labelled row the model was built from (the training split and
the holdout: all 307,511 applicants at full size, as float32), so that monitoring compares what
is scored with the whole population the model learnt from; a profile may cap it with a seeded
random sample (``profile.reference_rows``, used by the small test profile). Its "__prediction__"
column is, for each row, a calibrated probability the model gave without having seen the row:
out-of-fold for the training split, the final model's for the holdout, so that prediction drift
is measured against predictions on unseen rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

import mlflow
from credit_core.bundle import ModelBundle
from credit_pipeline.train.datasets.training_data import TrainingData
from credit_pipeline.train.mlflow_io.model_card import CardFacts, render_model_card
from credit_pipeline.train.mlflow_io.packaging import (
    IMPORTANCE_FILE,
    MODEL_CARD_FILE,
    PREDICTION_COLUMN,
    REFERENCE_FILE,
    input_example,
    write_json,
)
from credit_pipeline.train.mlflow_io.registry import (
    PromotionDecision,
    apply_promotion,
    decide_promotion,
    lender_guard,
    log_and_register,
)
from credit_pipeline.train.mlflow_io.tracking import phase_run
from credit_pipeline.train.modelling.split import HoldoutSplit
from credit_pipeline.train.phases.context import PhaseContext
from credit_pipeline.train.phases.p2_search.selection import Selection
from credit_pipeline.train.phases.p3_retained import Retained
from credit_pipeline.train.phases.p4_threshold import ThresholdChoice
from credit_pipeline.train.phases.p5_holdout import HoldoutCheck

__all__ = ["Candidate", "Registration", "publish", "version_tags", "write_reference"]


@dataclass(frozen=True)
class Candidate:
    """What phases 2 to 5 decided about the model that is published."""

    selection: Selection
    retained: Retained
    threshold: ThresholdChoice
    check: HoldoutCheck
    fairness: pd.DataFrame
    #: The best baseline (name, out-of-fold cost per client) measured on the same rows as the
    #: model, for the lender's guard; None when not comparable (Home Credit subsamples).
    best_baseline: tuple[str, float] | None = None


@dataclass(frozen=True)
class Registration:
    """The registered version and the promotion decision."""

    version: str
    model_uri: str
    decision: PromotionDecision


def version_tags(bundle: ModelBundle, context: PhaseContext, split: HoldoutSplit,
                 selection: Selection) -> dict[str, str]:
    """The registry tags of a version: threshold, costs, metrics, fingerprints, features."""
    tags = {
        "threshold": repr(bundle.threshold),
        "data_fingerprint": context.record.fingerprint,
        "dataset_name": context.record.name,
        "holdout_fingerprint": split.fingerprint,
        "features": json.dumps(bundle.features),
        "categorical_features": json.dumps(bundle.categorical_features),
        "n_features": str(len(bundle.features)),
        "calibration": bundle.calibration.method,
        "family": selection.retained_family,
        "winning_family": selection.winning_family,
        "imbalance": selection.imbalance.strategy,
        "profile": context.profile.name,
        "training_run_id": mlflow.active_run().info.run_id,  # type: ignore[union-attr]
        "bundle_path": "artifacts/bundle",
        "reference_path": f"artifacts/reference/{REFERENCE_FILE}",
        "model_card_path": f"artifacts/bundle/{MODEL_CARD_FILE}",
        "importance_path": f"artifacts/bundle/{IMPORTANCE_FILE}",
    }
    tags.update({f"metric.{name}": repr(value) for name, value in bundle.metrics.items()})
    return tags


def write_reference(
    directory: Path, context: PhaseContext, oof_probability: np.ndarray,
    holdout: TrainingData | None = None, holdout_probability: np.ndarray | None = None,
) -> tuple[Path, int]:
    """The drift reference parquet; returns its path and row count."""
    parts = [context.matrix.astype(np.float32)]
    predictions = [np.asarray(oof_probability, dtype=np.float32)]
    if holdout is not None and holdout_probability is not None and len(holdout.target):
        parts.append(holdout.features[context.feature_names].to_numpy(dtype=np.float32))
        predictions.append(np.asarray(holdout_probability, dtype=np.float32))
    matrix, prediction = np.vstack(parts), np.concatenate(predictions)
    limit = context.profile.reference_rows
    if limit is not None and len(matrix) > limit:
        rows = np.sort(np.random.default_rng(context.profile.seed).choice(len(matrix), limit, False))
        matrix, prediction = matrix[rows], prediction[rows]
    frame = pd.DataFrame(matrix, columns=context.feature_names)
    frame[PREDICTION_COLUMN] = prediction
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / REFERENCE_FILE
    frame.to_parquet(path, compression="zstd", index=False)
    return path, len(frame)


def _card(context: PhaseContext, holdout: TrainingData, split: HoldoutSplit,
          candidate: Candidate, model_name: str) -> str:
    selection, retained, check = candidate.selection, candidate.retained, candidate.check
    return render_model_card(CardFacts(
        model_name=model_name, dataset_name=context.record.name,
        data_fingerprint=context.record.fingerprint, holdout_fingerprint=split.fingerprint,
        train_rows=len(context.target), holdout_rows=holdout.rows,
        n_features=len(context.feature_names), base_rate=float(np.mean(context.target)),
        profile=context.profile.name, family_note=selection.note, family=retained.family,
        imbalance=selection.imbalance.strategy, trees=retained.final.trees,
        oof=candidate.threshold.oof, holdout=check.evaluation,
        calibration=retained.final.calibration, oracle=check.oracle,
        fairness=candidate.fairness, top_features=list(retained.importance.items()),
        run_id=mlflow.active_run().info.run_id,  # type: ignore[union-attr]
    ))


def _metrics(candidate: Candidate) -> dict[str, float]:
    calibration, check = candidate.retained.final.calibration, candidate.check
    metrics = {**candidate.threshold.oof.metrics("oof_"), **check.evaluation.metrics("holdout_")}
    metrics.update({"brier_before_calibration": calibration.brier_before,
                    "brier_after_calibration": calibration.brier_after})
    if check.oracle is not None:
        metrics.update(check.oracle.metrics())
    return metrics


def publish(
    staging: Path, bundle: ModelBundle, candidate: Candidate, context: PhaseContext,
    holdout: TrainingData, split: HoldoutSplit, names: tuple[str, str], force: bool,
) -> Registration:
    """Save the bundle and its attachments, register the version, apply the champion rule."""
    bundle.metrics = _metrics(candidate)
    mlflow.log_metrics(bundle.metrics)
    mlflow.set_tags({"calibration": bundle.calibration.method, "threshold": repr(bundle.threshold)})
    bundle.save(staging / "bundle")
    write_json(staging / "bundle" / IMPORTANCE_FILE, candidate.retained.importance)
    card = _card(context, holdout, split, candidate, names[0])
    tags = version_tags(bundle, context, split, candidate.selection)
    family = candidate.retained.family
    with phase_run("registry", "registry", family, {"force": str(force).lower()}):
        registration = _register(staging, bundle, context, holdout, names, force, card, tags,
                                 candidate)
    mlflow.set_tags({"model_version": registration.version,
                     "promoted": str(registration.decision.promoted).lower()})
    return registration


def _register(
    staging: Path, bundle: ModelBundle, context: PhaseContext, holdout: TrainingData,
    names: tuple[str, str], force: bool, card: str, tags: dict[str, str], candidate: Candidate,
) -> Registration:
    model_name, alias = names
    (staging / "bundle" / MODEL_CARD_FILE).write_text(card)
    _, reference_rows = write_reference(staging / "reference", context,
                                        candidate.retained.final.oof_probability, holdout,
                                        candidate.check.probability)
    mlflow.log_params({"reference.rows": reference_rows, "force": force})
    mlflow.log_text(card, MODEL_CARD_FILE)
    mlflow.log_artifact(str(staging / "bundle" / IMPORTANCE_FILE))
    _, version = log_and_register(staging, bundle, input_example(context.train), model_name, tags)
    guard = lender_guard(holdout.target, bundle.metrics["holdout_business_cost"],
                         candidate.threshold.oof.cost.per_client, candidate.best_baseline)
    decision = decide_promotion(model_name, alias, bundle.metrics["holdout_business_cost"],
                                holdout, force, guard)
    apply_promotion(decision, model_name, alias, version)
    # The description stays the model card (docs/model-card.md is regenerated from it); the
    # promotion decision and its reason are the version's tags.
    mlflow.MlflowClient().update_model_version(model_name, version, description=card)
    mlflow.set_tag("model_version", version)
    return Registration(version, f"models:/{model_name}/{version}", decision)

"""Phases 4b and 5: the holdout check, then packaging, registration and the champion rule.

The bundle is built from the retained model, checked once on the holdout, and saved with its
metrics, global importance and model card; the ``registry`` run then writes the drift
reference, logs and registers the pyfunc model, tags the version and applies the promotion
rule against the current champion on the same holdout.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

import mlflow
from credit_core.bundle import ModelBundle
from credit_pipeline.train.context import PhaseContext
from credit_pipeline.train.data import TrainingData
from credit_pipeline.train.holdout import HoldoutCheck
from credit_pipeline.train.holdout_run import holdout_run
from credit_pipeline.train.model_card import CardFacts, render_model_card
from credit_pipeline.train.packaging import (
    IMPORTANCE_FILE,
    MODEL_CARD_FILE,
    input_example,
    write_json,
    write_reference,
)
from credit_pipeline.train.registry import (
    PromotionDecision,
    apply_promotion,
    decide_promotion,
    log_and_register,
)
from credit_pipeline.train.retained import Retained
from credit_pipeline.train.selection import SERVED_FAMILY, Selection
from credit_pipeline.train.split import HoldoutSplit
from credit_pipeline.train.tracking import phase_run

__all__ = ["Registration", "publish", "version_tags"]


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
        "family": SERVED_FAMILY,
        "winning_family": selection.winning_family,
        "imbalance": selection.imbalance.strategy,
        "profile": context.profile.name,
        "training_run_id": mlflow.active_run().info.run_id,  # type: ignore[union-attr]
        "bundle_path": "artifacts/bundle",
        "reference_path": "artifacts/reference/reference.parquet",
        "model_card_path": f"artifacts/bundle/{MODEL_CARD_FILE}",
        "importance_path": f"artifacts/bundle/{IMPORTANCE_FILE}",
    }
    tags.update({f"metric.{name}": repr(value) for name, value in bundle.metrics.items()})
    return tags


def _card(context: PhaseContext, holdout: TrainingData, split: HoldoutSplit,
          selection: Selection, retained: Retained, check: HoldoutCheck,
          fairness: pd.DataFrame, model_name: str) -> str:
    return render_model_card(CardFacts(
        model_name=model_name, dataset_name=context.record.name,
        data_fingerprint=context.record.fingerprint, holdout_fingerprint=split.fingerprint,
        train_rows=len(context.target), holdout_rows=holdout.rows,
        n_features=len(context.feature_names), base_rate=float(np.mean(context.target)),
        profile=context.profile.name, family_note=selection.note,
        imbalance=selection.imbalance.strategy, trees=retained.final.trees, oof=retained.oof,
        holdout=check.evaluation, calibration=retained.final.calibration, oracle=check.oracle,
        fairness=fairness, top_features=list(retained.importance.items()),
        run_id=mlflow.active_run().info.run_id,  # type: ignore[union-attr]
    ))


def _metrics(retained: Retained, check: HoldoutCheck) -> dict[str, float]:
    metrics = {**retained.oof.metrics("oof_"), **check.evaluation.metrics("holdout_")}
    metrics.update({"brier_before_calibration": retained.final.calibration.brier_before,
                    "brier_after_calibration": retained.final.calibration.brier_after})
    if check.oracle is not None:
        metrics.update(check.oracle.metrics())
    return metrics


def publish(
    staging: Path, context: PhaseContext, holdout: TrainingData, split: HoldoutSplit,
    selection: Selection, retained: Retained, names: tuple[str, str], force: bool,
) -> tuple[ModelBundle, HoldoutCheck, Registration]:
    """Check the holdout, save the bundle and its attachments, register, apply the rule."""
    bundle = ModelBundle(
        booster=retained.final.booster, features=context.feature_names,
        categorical_features=list(context.train.categorical_features),
        threshold=retained.threshold, calibration=retained.final.calibration.calibration,
        category_levels={k: list(v) for k, v in context.train.category_levels.items()},
        metadata={"labels": dict(context.train.labels), "model_name": names[0],
                  "data_fingerprint": context.record.fingerprint, "trees": retained.final.trees},
    )
    check, fairness = holdout_run(bundle, holdout, split, context.record, retained.importance)
    bundle.metrics = _metrics(retained, check)
    mlflow.log_metrics(bundle.metrics)
    mlflow.set_tags({"calibration": bundle.calibration.method, "threshold": repr(bundle.threshold)})
    bundle.save(staging / "bundle")
    write_json(staging / "bundle" / IMPORTANCE_FILE, retained.importance)
    card = _card(context, holdout, split, selection, retained, check, fairness, names[0])
    registration = _registry_run(staging, bundle, context, holdout, names, force, card,
                                 version_tags(bundle, context, split, selection),
                                 retained.final.oof_probability, check.probability)
    mlflow.set_tags({"model_version": registration.version,
                     "promoted": str(registration.decision.promoted).lower()})
    return bundle, check, registration


def _registry_run(
    staging: Path, bundle: ModelBundle, context: PhaseContext, holdout: TrainingData,
    names: tuple[str, str], force: bool, card: str, tags: dict[str, str],
    oof_probability: np.ndarray, holdout_probability: np.ndarray,
) -> Registration:
    model_name, alias = names
    with phase_run("registry", "registry", SERVED_FAMILY, {"force": str(force).lower()}):
        (staging / "bundle" / MODEL_CARD_FILE).write_text(card)
        _, reference_rows = write_reference(staging / "reference", context, oof_probability,
                                            holdout, holdout_probability)
        mlflow.log_params({"reference.rows": reference_rows, "force": force})
        mlflow.log_text(card, MODEL_CARD_FILE)
        mlflow.log_artifact(str(staging / "bundle" / IMPORTANCE_FILE))
        _, version = log_and_register(staging, bundle, input_example(context), model_name, tags)
        decision = decide_promotion(model_name, alias, bundle.metrics["holdout_business_cost"],
                                    holdout, force)
        apply_promotion(decision, model_name, alias, version)
        mlflow.MlflowClient().update_model_version(model_name, version, description=card)
        mlflow.set_tag("model_version", version)
    return Registration(version, f"models:/{model_name}/{version}", decision)

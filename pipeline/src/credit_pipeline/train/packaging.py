"""What is attached to a model version: the bundle, the drift reference and the input example.

Staging layout (each directory becomes an artifact of the logged model, under ``artifacts/``)::

    bundle/      bundle.json, model.txt, calibration.json, importance.json, model_card.md
    reference/   reference.parquet: training features (float32) and "__prediction__"

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
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from credit_core.bundle import Calibration, ModelBundle
from credit_pipeline.train.context import PhaseContext
from credit_pipeline.train.data import TrainingData

__all__ = [
    "IMPORTANCE_FILE",
    "MODEL_CARD_FILE",
    "PREDICTION_COLUMN",
    "REFERENCE_FILE",
    "input_example",
    "write_bundle",
    "write_json",
    "write_reference",
]

PREDICTION_COLUMN = "__prediction__"
REFERENCE_FILE = "reference.parquet"
IMPORTANCE_FILE = "importance.json"
MODEL_CARD_FILE = "model_card.md"


def write_bundle(
    directory: Path,
    booster: Any,
    context: PhaseContext,
    threshold: float,
    calibration: Calibration,
    metrics: dict[str, float],
    metadata: dict[str, Any],
) -> ModelBundle:
    """Save the scoring bundle (booster, calibration, features, levels, threshold, metrics)."""
    train = context.train
    bundle = ModelBundle(
        booster=booster,
        features=train.feature_names,
        categorical_features=list(train.categorical_features),
        threshold=float(threshold),
        calibration=calibration,
        category_levels={k: list(v) for k, v in train.category_levels.items()},
        metrics={k: float(v) for k, v in metrics.items()},
        metadata={"labels": dict(train.labels), **metadata},
    )
    bundle.save(directory)
    return bundle


def write_json(path: Path, payload: Any) -> Path:
    path.write_text(json.dumps(payload, indent=1))
    return path


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


def input_example(context: PhaseContext, rows: int = 3) -> pd.DataFrame:
    """A few training rows as a client would send them (string levels for --data codes)."""
    example = context.train.features.head(rows).copy()
    for name, levels in context.train.category_levels.items():
        codes = example[name]
        example[name] = [None if np.isnan(c) else levels[int(c)] for c in codes]
    return example

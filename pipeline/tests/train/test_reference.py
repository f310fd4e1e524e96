"""The drift reference attached to a version: every labelled row, each with an unseen-row prediction."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from credit_pipeline.train.datasets.synthetic import synthetic_training_data
from credit_pipeline.train.mlflow_io.packaging import PREDICTION_COLUMN
from credit_pipeline.train.mlflow_io.tracking import DataRecord
from credit_pipeline.train.phases.context import PhaseContext
from credit_pipeline.train.phases.p6_publish import write_reference
from credit_pipeline.train.profiles import PROFILES


def _context(reference_rows: int | None) -> tuple[PhaseContext, object]:
    data = synthetic_training_data(rows=1_000, n_features=12, seed=4)
    train, holdout = data.subset(np.arange(800)), data.subset(np.arange(800, 1_000))
    profile = PROFILES["test"].with_overrides(reference_rows=reference_rows)
    return PhaseContext.build(train, profile, DataRecord.of(train)), holdout


def test_the_reference_holds_the_training_split_and_the_holdout(tmp_path: Path) -> None:
    context, holdout = _context(None)
    oof, held = np.linspace(0, 0.5, 800), np.linspace(0.5, 1, 200)
    path, rows = write_reference(tmp_path, context, oof, holdout, held)
    frame = pd.read_parquet(path)
    assert rows == len(frame) == 1_000
    assert list(frame.columns) == [*context.feature_names, PREDICTION_COLUMN]
    np.testing.assert_array_equal(frame[PREDICTION_COLUMN], np.concatenate([oof, held]).astype(np.float32))
    expected = holdout.features[context.feature_names].to_numpy(dtype=np.float32)  # type: ignore[attr-defined]
    np.testing.assert_array_equal(frame.iloc[800:, :-1].to_numpy(), expected)


def test_a_capped_profile_keeps_a_seeded_sample_with_matching_predictions(tmp_path: Path) -> None:
    context, holdout = _context(300)
    oof, held = np.arange(800) / 1_000, (800 + np.arange(200)) / 1_000
    first = pd.read_parquet(write_reference(tmp_path / "a", context, oof, holdout, held)[0])
    second = pd.read_parquet(write_reference(tmp_path / "b", context, oof, holdout, held)[0])
    assert len(first) == 300
    pd.testing.assert_frame_equal(first, second)
    # Each kept row carries its own prediction: recover the row position from it.
    positions = np.rint(first[PREDICTION_COLUMN].to_numpy(dtype=np.float64) * 1_000).astype(int)
    full = np.vstack([context.matrix, holdout.features[context.feature_names].to_numpy()])  # type: ignore[attr-defined]
    np.testing.assert_array_equal(first.iloc[:, :-1].to_numpy(), full[positions].astype(np.float32))


def test_the_quick_and_full_profiles_keep_every_row() -> None:
    assert PROFILES["quick"].reference_rows is None and PROFILES["full"].reference_rows is None

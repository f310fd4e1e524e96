"""No leakage: the id and the target never become features, and the holdout never reaches a
phase that chooses something (hyper-parameters, family, calibration, threshold)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mlflow
from credit_pipeline.train.datasets.tabular import load_tabular
from credit_pipeline.train.run import run_training

from .conftest import TINY_PROFILE, Trained, settings_for


def test_the_holdout_never_reaches_the_choosing_phases(trained: Trained) -> None:
    holdout_ids = set(trained.data.ids[trained.result.split.holdout_rows])
    train_ids = set(trained.data.ids[trained.result.split.train_rows])
    assert holdout_ids and not holdout_ids & train_ids
    assert len(holdout_ids) + len(train_ids) == trained.data.rows
    # Every phase context (baselines, searches, imbalance, final model) held training rows only.
    assert trained.spy.context_ids
    for ids in trained.spy.context_ids:
        assert set(ids) == train_ids


def test_the_threshold_is_chosen_on_out_of_fold_training_predictions(trained: Trained) -> None:
    assert len(trained.spy.threshold_calls) == 1
    target, probability = trained.spy.threshold_calls[0]
    train_rows = trained.result.split.train_rows
    assert len(target) == len(train_rows)
    np.testing.assert_array_equal(target, trained.data.target[train_rows])
    assert not np.isnan(probability).any()  # one out-of-fold probability per training row


def test_synthetic_features_exclude_id_and_target(trained: Trained) -> None:
    assert trained.result.bundle.features == trained.data.feature_names
    assert not {"SK_ID_CURR", "TARGET", "id", "target"} & set(trained.result.bundle.features)


@pytest.mark.slow
def test_a_predictive_id_column_is_never_a_feature(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    rows = 2000
    target = (rng.random(rows) < 0.1).astype(int)
    frame = pd.DataFrame({
        # The id alone would predict the target perfectly if it leaked into the features.
        "client": target * 1_000_000 + np.arange(rows),
        "noise_a": rng.normal(size=rows),
        "noise_b": rng.normal(size=rows),
        "segment": rng.choice(["x", "y", "z"], rows),
        "outcome": target,
    })
    path = tmp_path / "leaky.csv"
    frame.to_csv(path, index=False)
    data = load_tabular(path, "client", "outcome")
    assert "client" not in data.features.columns and "outcome" not in data.features.columns
    result = run_training(data, TINY_PROFILE, settings_for(tmp_path / "var"), "leak-test")
    assert "client" not in result.bundle.features and "outcome" not in result.bundle.features
    assert result.holdout.evaluation.roc_auc < 0.8  # noise only: no perfect separation
    signature = mlflow.models.get_model_info(result.model_uri).signature
    assert set(signature.inputs.input_names()) == {"noise_a", "noise_b", "segment"}

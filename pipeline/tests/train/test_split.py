"""The holdout split, folds and the data container."""

from __future__ import annotations

import numpy as np
import pytest

from credit_pipeline.train.datasets.synthetic import synthetic_training_data
from credit_pipeline.train.datasets.training_data import TrainingData, TrainingInputError
from credit_pipeline.train.modelling.split import holdout_split, stratified_folds, stratified_subsample


def test_holdout_is_fixed_by_the_ids_whatever_the_row_order() -> None:
    data = synthetic_training_data(rows=4000, n_features=10)
    first = holdout_split(data.ids, data.target, 0.15, seed=42)
    order = np.random.default_rng(0).permutation(data.rows)
    second = holdout_split(data.ids[order], data.target[order], 0.15, seed=42)
    assert set(data.ids[first.holdout_rows]) == set(data.ids[order][second.holdout_rows])
    assert first.fingerprint == second.fingerprint
    assert holdout_split(data.ids, data.target, 0.15, seed=7).fingerprint != first.fingerprint


def test_holdout_is_stratified_and_disjoint() -> None:
    data = synthetic_training_data(rows=4000, n_features=10)
    split = holdout_split(data.ids, data.target, 0.2, seed=1)
    assert not set(split.train_rows) & set(split.holdout_rows)
    assert len(split.train_rows) + len(split.holdout_rows) == data.rows
    assert data.target[split.holdout_rows].mean() == pytest.approx(data.target.mean(), abs=0.005)
    assert len(split.holdout_rows) == pytest.approx(0.2 * data.rows, abs=2)


def test_subsample_and_folds_are_stratified_and_seeded() -> None:
    target = (np.arange(10_000) % 12 == 0).astype(int)
    rows = stratified_subsample(target, 3000, seed=3)
    assert len(rows) == pytest.approx(3000, abs=2)
    assert target[rows].mean() == pytest.approx(target.mean(), abs=0.002)
    np.testing.assert_array_equal(rows, stratified_subsample(target, 3000, seed=3))
    folds = stratified_folds(target, 3, seed=3)
    assert sorted(np.concatenate([v for _, v in folds]).tolist()) == list(range(10_000))


def test_fingerprint_is_stable_and_sensitive() -> None:
    data = synthetic_training_data(rows=500, n_features=8)
    again = synthetic_training_data(rows=500, n_features=8)
    assert data.fingerprint == again.fingerprint and len(data.fingerprint) == 64
    again.features.iloc[0, 0] += 1e-9
    changed = TrainingData(again.features, again.target, again.ids, again.categorical_features,
                           again.segments, again.dataset_name)
    assert changed.fingerprint != data.fingerprint


def test_training_data_rejects_inconsistent_parts() -> None:
    data = synthetic_training_data(rows=200, n_features=8)
    with pytest.raises(TrainingInputError, match="target has 199 rows"):
        TrainingData(data.features, data.target[:-1], data.ids, [], data.segments, "x")
    with pytest.raises(TrainingInputError, match="float64"):
        TrainingData(data.features.astype(np.float32), data.target, data.ids, [],
                     data.segments, "x")
    with pytest.raises(TrainingInputError, match="single class"):
        TrainingData(data.features, np.zeros(200), data.ids, [], data.segments, "x")
    with pytest.raises(TrainingInputError, match="not in the features"):
        TrainingData(data.features, data.target, data.ids, ["NOPE"], data.segments, "x")

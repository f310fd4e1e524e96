"""What the fitting phases (baselines, search, final model) see: the training split only.

The holdout rows are removed before a ``PhaseContext`` is built, so no phase that picks a
model, its hyper-parameters, its calibration or its threshold can reach them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from credit_pipeline.train.datasets.training_data import TrainingData
from credit_pipeline.train.mlflow_io.tracking import DataRecord
from credit_pipeline.train.modelling.families import FamilyContext
from credit_pipeline.train.modelling.split import stratified_folds, stratified_subsample
from credit_pipeline.train.profiles import Profile

__all__ = ["PhaseContext"]


@dataclass
class PhaseContext:
    """The training split as a float matrix, with the budget and the data record for logging."""

    train: TrainingData
    matrix: np.ndarray
    profile: Profile
    record: DataRecord

    @classmethod
    def build(cls, train: TrainingData, profile: Profile, record: DataRecord) -> PhaseContext:
        return cls(train, train.features.to_numpy(dtype=np.float64), profile, record)

    @property
    def target(self) -> np.ndarray:
        return self.train.target

    @property
    def feature_names(self) -> list[str]:
        return self.train.feature_names

    @property
    def categorical_positions(self) -> list[int]:
        names = self.feature_names
        return [names.index(name) for name in self.train.categorical_features]

    @property
    def family(self) -> FamilyContext:
        return FamilyContext(
            categorical_positions=self.categorical_positions,
            n_features=len(self.feature_names),
            seed=self.profile.seed,
            threads=self.profile.num_threads,
        )

    def subsample(self, rows: int) -> np.ndarray:
        """Positions of a seeded stratified subsample of at most ``rows`` training rows."""
        return stratified_subsample(self.target, rows, self.profile.seed)

    def folds(self, rows: np.ndarray, count: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """Stratified folds over the given positions (as positions into ``rows``)."""
        return stratified_folds(self.target[rows], count, self.profile.seed)

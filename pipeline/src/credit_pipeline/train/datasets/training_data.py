"""The training data container every phase reads, and the input errors it can raise.

The feature store (``credit_pipeline.features.training.load_training_data``) and the
``--data`` loader (``tabular.load_tabular``) both produce a ``TrainingData``: float features in
model order, a 0/1 target, the client ids kept apart so that they can never become a feature.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

__all__ = ["AGE_BANDS", "TrainingData", "TrainingInputError", "age_band"]

#: The age bands of the ``segments`` (the model card's outcomes by group).
AGE_BANDS = ("<30", "30-39", "40-49", "50-59", "60+")


def age_band(age_years: np.ndarray) -> np.ndarray:
    """The age band label of each age in years (bands of ten years, open at both ends)."""
    edges = np.array([30, 40, 50, 60])
    return np.asarray(AGE_BANDS, dtype=object)[np.searchsorted(edges, age_years, side="right")]


class TrainingInputError(ValueError):
    """The training input cannot be used; the message says which column or value and why."""


@dataclass
class TrainingData:
    """One row per client: the model's inputs, the target, and what the reports need beside."""

    features: pd.DataFrame
    target: np.ndarray
    ids: np.ndarray
    categorical_features: list[str]
    segments: pd.DataFrame
    dataset_name: str
    oracle_probability: np.ndarray | None = None
    labels: dict[str, str] = field(default_factory=dict)
    #: Levels of each string-coded column (code i is level i), for ``--data`` models.
    category_levels: dict[str, list[str]] = field(default_factory=dict)
    #: Compare model families on repeated CV (``--data`` files) rather than the Home Credit
    #: search; see ``modelling/by_data.py``.
    family_by_data: bool = False

    def __post_init__(self) -> None:
        self.target = np.asarray(self.target).astype(np.int64)
        self.ids = np.asarray(self.ids)
        self.validate()

    def validate(self) -> None:
        """Raise ``TrainingInputError`` when the parts do not fit together."""
        rows = len(self.features)
        if rows == 0:
            raise TrainingInputError(f"data set {self.dataset_name!r} has no rows")
        for name, part in (("target", self.target), ("ids", self.ids)):
            if len(part) != rows:
                raise TrainingInputError(f"{name} has {len(part)} rows, features have {rows}")
        if self.oracle_probability is not None and len(self.oracle_probability) != rows:
            raise TrainingInputError("oracle_probability does not have one value per row")
        if not set(np.unique(self.target)) <= {0, 1}:
            raise TrainingInputError("target must hold only 0 and 1")
        if len(np.unique(self.target)) < 2:
            raise TrainingInputError("target has a single class: nothing to learn")
        non_float = [c for c, t in self.features.dtypes.items() if t != np.float64]
        if non_float:
            raise TrainingInputError(f"features must be float64; not: {non_float[:5]}")
        unknown = sorted(set(self.categorical_features) - set(self.features.columns))
        if unknown:
            raise TrainingInputError(f"categorical features not in the features: {unknown}")
        if self.features.isna().all(axis=None):
            raise TrainingInputError("every feature value is missing: nothing to learn from")

    @property
    def rows(self) -> int:
        return len(self.features)

    @property
    def feature_names(self) -> list[str]:
        return [str(c) for c in self.features.columns]

    @cached_property
    def fingerprint(self) -> str:
        """A stable sha256 of the feature values, their names and the target."""
        digest = hashlib.sha256()
        digest.update("\x1f".join(self.feature_names).encode())
        row_hashes = pd.util.hash_pandas_object(self.features, index=False).to_numpy()
        digest.update(row_hashes.tobytes())
        digest.update(self.target.astype(np.int8).tobytes())
        return digest.hexdigest()

    def subset(self, rows: np.ndarray) -> TrainingData:
        """The same data restricted to the given row positions (in that order)."""
        oracle = None if self.oracle_probability is None else self.oracle_probability[rows]
        segments = self.segments.iloc[rows].reset_index(drop=True) if len(self.segments) else (
            self.segments
        )
        return TrainingData(
            features=self.features.iloc[rows].reset_index(drop=True),
            target=self.target[rows],
            ids=self.ids[rows],
            categorical_features=list(self.categorical_features),
            segments=segments,
            dataset_name=self.dataset_name,
            oracle_probability=oracle,
            labels=dict(self.labels),
            category_levels={k: list(v) for k, v in self.category_levels.items()},
            family_by_data=self.family_by_data,
        )

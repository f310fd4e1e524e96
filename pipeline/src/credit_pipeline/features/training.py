"""The training set from the database: the train clients' features, target and oracle."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from credit_core.db import client_features, get_engine, synthetic_truth
from credit_core.schema.features import CATEGORICAL_FEATURES, FEATURE_NAMES, FEATURES, feature
from credit_core.settings import CoreSettings
from credit_pipeline.features.store import read_table_frame

if TYPE_CHECKING:  # for the return annotation only: load_training_data imports it when called
    from credit_pipeline.train.datasets.training_data import TrainingData

__all__ = ["AGE_BANDS", "load_training_data", "segments_of"]

AGE_BANDS = ((0, 25, "<25"), (25, 35, "25-34"), (35, 45, "35-44"), (45, 55, "45-54"),
             (55, 200, "55+"))


def segments_of(features: pd.DataFrame) -> pd.DataFrame:
    """Gender and age band of each row, for the model card's fairness table."""
    levels = feature("CODE_GENDER").levels
    gender = features["CODE_GENDER"].map(
        lambda code: levels[int(code)] if np.isfinite(code) else "unknown")
    age = features["AGE_YEARS"]
    band = pd.Series("unknown", index=features.index)
    for low, high, name in AGE_BANDS:
        band[(age >= low) & (age < high)] = name
    return pd.DataFrame({"gender": gender.to_numpy(), "age_band": band.to_numpy()})


def load_training_data(settings: CoreSettings) -> TrainingData:
    """The ``TrainingData`` of every train client in ``client_features`` (with the generator's
    true probabilities when the data set is synthetic)."""
    from credit_pipeline.train.datasets.training_data import TrainingData, TrainingInputError

    engine = get_engine(settings.resolved_database_url)
    frame = read_table_frame(engine, client_features, where_split="train")
    if frame.empty:
        raise TrainingInputError("no training clients in the database: run `credit data load` first")
    features = frame[list(FEATURE_NAMES)].astype(np.float64).reset_index(drop=True)
    truth = read_table_frame(engine, synthetic_truth, where_split="train")
    oracle = None
    if len(truth):
        by_id = truth.set_index("SK_ID_CURR")["default_probability"]
        aligned = by_id.reindex(frame["SK_ID_CURR"])
        oracle = None if aligned.isna().any() else aligned.to_numpy(dtype=np.float64)
    return TrainingData(
        features=features,
        target=frame["TARGET"].to_numpy().astype(np.int64),
        ids=frame["SK_ID_CURR"].to_numpy(),
        categorical_features=list(CATEGORICAL_FEATURES),
        segments=segments_of(features),
        dataset_name="home-credit-client-features",
        oracle_probability=oracle,
        labels={f.name: f.label for f in FEATURES},
        category_levels={f.name: list(f.levels) for f in FEATURES if f.categorical},
    )

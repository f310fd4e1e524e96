import numpy as np
import pandas as pd

from credit_core.db import get_engine
from credit_core.db.migrate import upgrade
from credit_core.schema.features import FEATURE_NAMES
from credit_core.settings import CoreSettings
from credit_pipeline.features.build import build_client_data
from credit_pipeline.features.store import load_client_data
from credit_pipeline.features.training import load_training_data, segments_of


def test_training_data_is_the_train_split_without_id_or_target(raw, sqlite_url) -> None:  # type: ignore[no-untyped-def]
    upgrade(sqlite_url)
    truth = pd.DataFrame({"SK_ID_CURR": [1, 2, 3], "split": ["train", "train", "test"],
                          "default_probability": [0.1, 0.2, 0.3], "outcome": [0, 1, 0]})
    load_client_data(get_engine(sqlite_url), build_client_data(raw), truth=truth)
    data = load_training_data(CoreSettings(DATABASE_URL=sqlite_url))
    assert data.ids.tolist() == [1, 2] and data.target.tolist() == [0, 1]
    assert list(data.features.columns) == list(FEATURE_NAMES)
    assert not {"SK_ID_CURR", "TARGET", "split"} & set(data.features.columns)
    np.testing.assert_allclose(data.oracle_probability, [0.1, 0.2])
    assert "CODE_GENDER" in data.categorical_features
    assert data.segments["gender"].tolist() == ["F", "F"]


def test_segments() -> None:
    frame = pd.DataFrame({"CODE_GENDER": [0.0, 1.0, np.nan], "AGE_YEARS": [22.0, 40.0, np.nan]})
    segments = segments_of(frame)
    assert segments["gender"].tolist() == ["F", "M", "unknown"]
    assert segments["age_band"].tolist() == ["<25", "35-44", "unknown"]

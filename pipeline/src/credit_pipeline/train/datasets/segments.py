"""The groups the model card's fairness table reports (``segments`` of ``TrainingData``).

By default the Home Credit columns: CODE_GENDER and the age band from DAYS_BIRTH, when the file
has both. ``--protected COL[,COL]`` names the file's own columns instead: a text column is
reported by its values, a numeric one in ten-year age bands (read as years, or as negative days
like DAYS_BIRTH when every value is below -3,650, which no age in years is).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from credit_pipeline.train.datasets.training_data import TrainingInputError, age_band

__all__ = ["MISSING_GROUP", "protected_segments"]

MISSING_GROUP = "missing"
#: Below this, a numeric column holds negative days (DAYS_BIRTH) rather than years.
_DAYS_LIMIT = -3650.0


def _home_credit(frame: pd.DataFrame) -> pd.DataFrame:
    if not {"CODE_GENDER", "DAYS_BIRTH"} <= set(frame.columns):
        return pd.DataFrame()
    age = -pd.to_numeric(frame["DAYS_BIRTH"], errors="coerce").to_numpy() / 365.25
    return pd.DataFrame({"gender": frame["CODE_GENDER"].astype(str).to_numpy(),
                         "age_band": age_band(np.nan_to_num(age, nan=40.0))})


def _groups(column: pd.Series) -> np.ndarray:
    numeric = pd.to_numeric(column, errors="coerce")
    if column.notna().any() and numeric.notna().sum() == column.notna().sum() and (
            column.nunique() > 10):
        values = numeric.to_numpy(dtype=np.float64)
        present = values[~np.isnan(values)]
        years = -values / 365.25 if present.size and present.max() < _DAYS_LIMIT else values
        bands = age_band(np.nan_to_num(years, nan=0.0)).astype(object)
        bands[np.isnan(years)] = MISSING_GROUP
        return bands
    return column.astype("string").fillna(MISSING_GROUP).astype(str).to_numpy()


def protected_segments(frame: pd.DataFrame, protected: list[str] | None) -> pd.DataFrame:
    """One column of group labels per protected attribute (the defaults when none named)."""
    if not protected:
        return _home_credit(frame)
    unknown = [name for name in protected if name not in frame.columns]
    if unknown:
        raise TrainingInputError(
            f"--protected {unknown} not in the file; its columns: {[str(c) for c in frame.columns]}"
        )
    return pd.DataFrame({name: _groups(frame[name]) for name in dict.fromkeys(protected)})

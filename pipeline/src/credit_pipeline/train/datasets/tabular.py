"""``credit train --data FILE``: any CSV or Parquet file with an id and a binary target.

Column types are detected: numeric columns are kept as floats; text, boolean-with-missing and
category columns with at most ``MAX_LEVELS`` levels become integer codes (level i is code i,
levels ordered by frequency) and the level lists travel with the model so that new rows are
encoded the same way; other text columns (free text, identifiers, dates) are dropped with a
warning, as are entirely empty columns. The id and the target are never features. Every
problem with the input is a ``TrainingInputError`` that names the column and the reason.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from credit_pipeline.train.datasets.training_data import TrainingData, TrainingInputError, age_band

__all__ = ["MAX_LEVELS", "load_tabular"]

logger = logging.getLogger(__name__)

MAX_LEVELS = 200
#: Two-level targets whose positive level is obvious (lower case).
_OBVIOUS_POSITIVES = {
    frozenset({"yes", "no"}): "yes", frozenset({"y", "n"}): "y",
    frozenset({"true", "false"}): "true", frozenset({"1", "0"}): "1",
    frozenset({"positive", "negative"}): "positive",
}


def _read(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise TrainingInputError(f"{path}: no such file")
    suffixes = "".join(path.suffixes).lower()
    try:
        if ".parquet" in suffixes or suffixes.endswith(".pq"):
            return pd.read_parquet(path)
        if ".csv" in suffixes or ".txt" in suffixes:
            return pd.read_csv(path, low_memory=False)
    except pd.errors.EmptyDataError:
        raise TrainingInputError(f"{path}: the file is empty") from None
    raise TrainingInputError(f"{path}: unsupported file type; use .csv or .parquet")


def _positive_level(levels: list[object], positive_label: str | None, column: str) -> object:
    as_text = {str(level): level for level in levels}
    if positive_label is not None:
        if positive_label not in as_text:
            raise TrainingInputError(
                f"--positive-label {positive_label!r} is not a level of target {column!r} "
                f"(levels: {sorted(as_text)})"
            )
        return as_text[positive_label]
    if {str(level) for level in levels} <= {"0", "1", "0.0", "1.0", "True", "False"}:
        return next(level for level in levels if str(level) in ("1", "1.0", "True"))
    obvious = _OBVIOUS_POSITIVES.get(frozenset(str(level).lower() for level in levels))
    if obvious is None:
        raise TrainingInputError(
            f"target {column!r} has two levels {sorted(as_text)}: say which one is the "
            "positive (default) class with --positive-label"
        )
    return next(level for level in levels if str(level).lower() == obvious)


def _binary_target(values: pd.Series, column: str, positive_label: str | None) -> np.ndarray:
    if values.isna().any():
        raise TrainingInputError(
            f"target {column!r} has {int(values.isna().sum())} missing values; "
            "remove the unlabelled rows"
        )
    levels = list(pd.unique(values))
    if len(levels) != 2:
        shown = sorted(map(str, levels))[:10]
        raise TrainingInputError(
            f"target {column!r} must have exactly two levels, found {len(levels)}: {shown}"
        )
    positive = _positive_level(levels, positive_label, column)
    return (values == positive).to_numpy().astype(np.int64)


def _encode(column: pd.Series) -> tuple[pd.Series | None, list[str] | None]:
    """(float values, levels or None); (None, None) when the column cannot be a feature."""
    if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
        return column.astype(np.float64), None
    if pd.api.types.is_datetime64_any_dtype(column):
        return None, None
    numeric = pd.to_numeric(column, errors="coerce")
    if numeric.notna().sum() == column.notna().sum():
        return numeric.astype(np.float64), None
    text = column.astype("string")
    counts = text.value_counts(dropna=True)
    if len(counts) > MAX_LEVELS:
        return None, None
    levels = sorted(counts.index, key=lambda level: (-counts[level], level))
    codes = {level: float(code) for code, level in enumerate(levels)}
    return text.map(codes).astype(np.float64), [str(level) for level in levels]


def _features(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    encoded: dict[str, pd.Series] = {}
    levels: dict[str, list[str]] = {}
    for name in frame.columns:
        column = frame[name]
        if column.isna().all():
            logger.warning("column %r is entirely missing: dropped", name)
            continue
        values, column_levels = _encode(column)
        if values is None:
            logger.warning("column %r is neither numeric nor a category (more than %d "
                           "levels or dates): dropped", name, MAX_LEVELS)
            continue
        encoded[str(name)] = values.reset_index(drop=True)
        if column_levels is not None:
            levels[str(name)] = column_levels
    if not encoded:
        raise TrainingInputError("no usable feature: every feature column is missing or unusable")
    return pd.DataFrame(encoded), levels


def _segments(frame: pd.DataFrame) -> pd.DataFrame:
    """Gender and age band when the file has the Home Credit columns; else empty."""
    if not {"CODE_GENDER", "DAYS_BIRTH"} <= set(frame.columns):
        return pd.DataFrame()
    age = -pd.to_numeric(frame["DAYS_BIRTH"], errors="coerce").to_numpy() / 365.25
    return pd.DataFrame({"gender": frame["CODE_GENDER"].astype(str).to_numpy(),
                         "age_band": age_band(np.nan_to_num(age, nan=40.0))})


def load_tabular(
    path: str | Path, id_column: str, target_column: str, positive_label: str | None = None
) -> TrainingData:
    """Read a CSV or Parquet file into ``TrainingData``; ``TrainingInputError`` if unusable."""
    path = Path(path)
    frame = _read(path)
    if frame.empty:
        raise TrainingInputError(f"{path}: the file has no data rows")
    for role, column in (("id", id_column), ("target", target_column)):
        if column not in frame.columns:
            raise TrainingInputError(
                f"{role} column {column!r} not found in {path.name}; columns: "
                f"{[str(c) for c in frame.columns[:20]]}"
            )
    if id_column == target_column:
        raise TrainingInputError("the id column and the target column must differ")
    ids = frame[id_column]
    if ids.isna().any() or ids.duplicated().any():
        raise TrainingInputError(f"id column {id_column!r} has missing or duplicate values")
    target = _binary_target(frame[target_column], target_column, positive_label)
    features, levels = _features(frame.drop(columns=[id_column, target_column]))
    return TrainingData(
        features=features, target=target, ids=ids.to_numpy(),
        categorical_features=list(levels), segments=_segments(frame),
        dataset_name=path.name, category_levels=levels,
    )

"""``credit train --data FILE``: any CSV or Parquet file with an id and a binary target.

Column types are detected: numeric columns are kept as floats; text, boolean-with-missing and
category columns with at most ``MAX_LEVELS`` levels become integer codes (level i is code i,
levels ordered by frequency) and the level lists travel with the model so that new rows are
encoded the same way; other text columns (free text, identifiers, dates) are dropped with a
warning, as are entirely empty columns. The id and the target are never features. Every
problem with the input is a ``TrainingInputError`` that names the column and the reason.

The checks run before any model work and take well under a second: the file is read
(``reading.py``: encoding and delimiter sniffed or given), then the id and target columns, then
the size: at least ``MIN_ROWS`` rows and ``MIN_PER_CLASS`` rows of each class. Below that a
cross-validated cost has too few defaulters to mean anything (a 5-fold split leaves four per
fold), so the command refuses rather than registering a model it cannot evaluate.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from credit_pipeline.train.datasets.reading import read_table
from credit_pipeline.train.datasets.segments import protected_segments
from credit_pipeline.train.datasets.training_data import TrainingData, TrainingInputError

__all__ = ["MAX_LEVELS", "MIN_PER_CLASS", "MIN_ROWS", "load_tabular"]

logger = logging.getLogger(__name__)

MAX_LEVELS = 200
#: The smallest file ``credit train --data`` accepts, and the fewest rows of each class.
MIN_ROWS = 100
MIN_PER_CLASS = 20
#: How many duplicate ids an error message names.
_SHOWN_DUPLICATES = 5
#: Two-level targets whose positive level is obvious (lower case).
_OBVIOUS_POSITIVES = {
    frozenset({"yes", "no"}): "yes", frozenset({"y", "n"}): "y",
    frozenset({"true", "false"}): "true", frozenset({"1", "0"}): "1",
    frozenset({"positive", "negative"}): "positive",
}


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
    empty, unusable = [], []
    for name in frame.columns:
        column = frame[name]
        if column.isna().all():
            empty.append(str(name))
            continue
        values, column_levels = _encode(column)
        if values is None:
            unusable.append(str(name))
            continue
        encoded[str(name)] = values.reset_index(drop=True)
        if column_levels is not None:
            levels[str(name)] = column_levels
    # The lists are printed whole: a user must be able to see every column that was dropped.
    if empty:
        logger.warning("%d entirely missing columns dropped: %s", len(empty), empty)
    if unusable:
        logger.warning("%d columns neither numeric nor a category (more than %d levels, free "
                       "text or dates) dropped: %s", len(unusable), MAX_LEVELS, unusable)
    if not encoded:
        raise TrainingInputError(
            f"no usable feature: every feature column is missing or unusable ({empty + unusable})"
        )
    return pd.DataFrame(encoded), levels


def _check_ids(ids: pd.Series, column: str) -> None:
    if ids.isna().any():
        raise TrainingInputError(f"id column {column!r} has {int(ids.isna().sum())} missing values")
    duplicated = ids[ids.duplicated(keep="first")]
    if len(duplicated):
        shown = ", ".join(map(str, pd.unique(duplicated)[:_SHOWN_DUPLICATES]))
        raise TrainingInputError(
            f"id column {column!r} has {len(duplicated)} duplicate values (first: {shown}); "
            "each row must be one applicant"
        )


def _check_size(target: np.ndarray, path: Path) -> None:
    rows, positives = len(target), int(target.sum())
    smallest = min(positives, rows - positives)
    if rows < MIN_ROWS or smallest < MIN_PER_CLASS:
        raise TrainingInputError(
            f"{path.name}: {rows} rows with {positives} defaults and {rows - positives} "
            f"non-defaults; training needs at least {MIN_ROWS} rows and {MIN_PER_CLASS} of "
            "each class to estimate a cost"
        )


def load_tabular(
    path: str | Path, id_column: str, target_column: str, positive_label: str | None = None,
    *, encoding: str | None = None, separator: str | None = None,
    protected: list[str] | None = None,
) -> TrainingData:
    """Read a CSV or Parquet file into ``TrainingData``; ``TrainingInputError`` if unusable.

    ``protected`` names the columns whose groups the model card's fairness table reports
    (numeric ones in age bands); by default the Home Credit columns when the file has them.
    """
    path = Path(path)
    frame = read_table(path, encoding, separator)
    if frame.empty:
        raise TrainingInputError(f"{path}: the file has no data rows")
    columns = [str(c) for c in frame.columns]
    for role, column in (("id", id_column), ("target", target_column)):
        if column not in frame.columns:
            # Every column, however many: the user is looking for the right name among them.
            raise TrainingInputError(
                f"{role} column {column!r} not found in {path.name}; its {len(columns)} "
                f"columns: {columns}"
            )
    if id_column == target_column:
        raise TrainingInputError("the id column and the target column must differ")
    ids = frame[id_column]
    _check_ids(ids, id_column)
    target = _binary_target(frame[target_column], target_column, positive_label)
    _check_size(target, path)
    segments = protected_segments(frame, protected)
    features, levels = _features(frame.drop(columns=[id_column, target_column]))
    return TrainingData(
        features=features, target=target, ids=ids.to_numpy(),
        categorical_features=list(levels), segments=segments,
        dataset_name=path.name, category_levels=levels, family_by_data=True,
    )

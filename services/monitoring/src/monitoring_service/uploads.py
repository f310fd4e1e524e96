"""Uploaded batches (CSV or Parquet): exactly the model's features, numbers only, not empty.

Every refusal says what is wrong and where (the columns, the first offending value), so that the
sender can fix the file; nothing is stored for a refused upload.
"""

from __future__ import annotations

from typing import IO, Any

import numpy as np
import pandas as pd

__all__ = ["UploadError", "read_upload"]

_PARQUET_MAGIC = b"PAR1"
_NAMED = 20


class UploadError(ValueError):
    """The upload cannot be used; ``status`` is 422 (content) or 413 (size)."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


def _names(names: list[str]) -> str:
    shown = ", ".join(repr(name) for name in names[:_NAMED])
    return shown + (f" and {len(names) - _NAMED} more" if len(names) > _NAMED else "")


def _read(stream: IO[bytes]) -> pd.DataFrame:
    head = stream.read(4)
    if not head:
        raise UploadError("the file is empty")
    stream.seek(0)
    try:
        if head == _PARQUET_MAGIC:
            return pd.read_parquet(stream)
        return pd.read_csv(stream, low_memory=False)
    except pd.errors.EmptyDataError as error:
        raise UploadError("the file has no header and no rows") from error
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        kind = "Parquet" if head == _PARQUET_MAGIC else "CSV"
        raise UploadError(f"cannot read the file as {kind}: {error}") from error


def _check_columns(frame: pd.DataFrame, features: list[str]) -> None:
    columns = [str(column) for column in frame.columns]
    missing = [name for name in features if name not in columns]
    unexpected = [name for name in columns if name not in features]
    duplicated = sorted({name for name in columns if columns.count(name) > 1})
    problems = []
    if missing:
        problems.append(f"missing columns: {_names(missing)}")
    if unexpected:
        problems.append(f"unexpected columns: {_names(unexpected)}")
    if duplicated:
        problems.append(f"duplicated columns: {_names(duplicated)}")
    if problems:
        raise UploadError("the columns must be the model's features; " + "; ".join(problems))


def _first_bad(column: pd.Series) -> tuple[int, Any]:
    coerced = pd.to_numeric(column, errors="coerce")
    bad = column.notna() & coerced.isna()
    position = int(np.argmax(bad.to_numpy())) if bad.any() else 0
    return position, column.iloc[position]


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    problems = []
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_bool_dtype(column) or pd.api.types.is_numeric_dtype(column):
            continue
        row, value = _first_bad(column)
        problems.append(f"{name!r} holds non-numeric values (row {row + 1}: {str(value)[:40]!r})")
    if problems:
        raise UploadError("every column must hold numbers: " + "; ".join(problems[:_NAMED]))
    values = frame.astype(np.float64)
    infinite = [str(name) for name in values.columns if np.isinf(values[name].to_numpy()).any()]
    if infinite:
        raise UploadError(f"infinite values in columns: {_names(infinite)}")
    return values


def read_upload(stream: IO[bytes], features: list[str], max_rows: int) -> pd.DataFrame:
    """The batch as float64 columns in ``features`` order (UploadError with the reason)."""
    frame = _read(stream)
    _check_columns(frame, features)
    if frame.empty:
        raise UploadError("the file has no rows")
    if len(frame) > max_rows:
        raise UploadError(f"the file has {len(frame):,} rows, more than the maximum of "
                          f"{max_rows:,}; split it", 413)
    frame.columns = [str(column) for column in frame.columns]
    return _numeric(frame)[features]

"""The MLflow scoring protocol, parsed without pandas: a record becomes a NumPy row directly.

This is the fast path of /invocations (pandas costs more than the model on small requests);
what it refuses is read by MLflow itself (``mlflow_invocations``) before it is an error.
Accepted bodies (as ``mlflow models serve``): ``dataframe_split`` ({columns, data}),
``dataframe_records`` (list of objects), ``instances`` and ``inputs`` (list of objects, list of
rows in feature order, or an object of columns). Columns are the model's features; absent ones
are missing values. Unknown columns, non-numeric values and ragged rows are errors that name
the culprit; text in a numeric column and infinities are final (``NotANumber``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["FORMATS", "InvocationError", "NotANumber", "count_rows", "parse_invocation"]

#: Rows read between two explicit hand-overs of the GIL (large bodies run on worker threads).
_ROWS_PER_PAUSE = 256
#: The body keys of the protocol, one of which holds the data.
FORMATS = ("dataframe_split", "dataframe_records", "instances", "inputs")


class InvocationError(ValueError):
    """The body is not numeric rows of the model's features; the message says where.

    MLflow may still read it (string levels, ``params``, extra columns): see ``invoke``.
    """


class NotANumber(InvocationError):
    """A value no reading accepts: text or an object in a numeric column, an infinity.

    Final: the model would turn it into a missing value without a word, so it is refused.
    """


def _number(value: Any, where: str, has_levels: bool) -> float:
    if value is None:
        return math.nan
    if isinstance(value, bool) or (has_levels and isinstance(value, str)):
        raise InvocationError(f"{where}: {value!r} is not a number")  # for MLflow to read
    if not isinstance(value, (int, float)):
        raise NotANumber(f"{where}: {value!r} is not a number")
    number = float(value)
    if math.isinf(number):
        raise NotANumber(f"{where}: infinite values are not accepted")
    return number


def _from_records(records: Sequence[Any], index: Mapping[str, int],
                  levelled: Sequence[bool]) -> np.ndarray:
    width = len(levelled)
    matrix = np.full((len(records), width), np.nan)
    for i, record in enumerate(records):
        if i % _ROWS_PER_PAUSE == _ROWS_PER_PAUSE - 1:
            time.sleep(0)  # on a worker thread: hands the GIL to the event loop now
        if isinstance(record, Mapping):
            for name, value in record.items():
                position = index.get(name)
                if position is None:
                    raise InvocationError(f"row {i}: unknown column {name!r}")
                matrix[i, position] = _number(value, f"row {i}, column {name!r}",
                                              levelled[position])
        elif isinstance(record, Sequence) and not isinstance(record, str):
            if len(record) != width:
                raise InvocationError(f"row {i}: {len(record)} values, expected {width}")
            matrix[i] = [_number(v, f"row {i}, position {j}", levelled[j])
                         for j, v in enumerate(record)]
        else:
            raise InvocationError(f"row {i}: expected an object or a list of values")
    return matrix


def _from_split(split: Any, index: Mapping[str, int], levelled: Sequence[bool]) -> np.ndarray:
    if not isinstance(split, Mapping) or not isinstance(split.get("data"), list):
        raise InvocationError("dataframe_split: expected {'columns': [...], 'data': [[...]]}")
    columns = split.get("columns")
    if columns is None:
        return _from_records(split["data"], index, levelled)
    if not isinstance(columns, list):
        raise InvocationError("dataframe_split.columns: expected a list of names")
    records = []
    for i, row in enumerate(split["data"]):
        if not isinstance(row, list) or len(row) != len(columns):
            raise InvocationError(f"dataframe_split.data[{i}]: expected {len(columns)} values")
        records.append(dict(zip(columns, row, strict=True)))
    return _from_records(records, index, levelled)


def count_rows(body: Any) -> int:
    """How many rows a body holds, read from its shape alone (0 when it has no known shape).

    Lets the batch limit be applied before any parsing, on either path."""
    if not isinstance(body, Mapping):
        return 0
    for key in FORMATS:
        payload = body.get(key)
        if key == "dataframe_split" and isinstance(payload, Mapping):
            payload = payload.get("data")
        if isinstance(payload, Mapping):  # columnar: {"col": [values...]}
            return max((len(v) for v in payload.values() if isinstance(v, list)), default=0)
        if isinstance(payload, list):
            return len(payload)
    return 0


def parse_invocation(body: Any, features: Sequence[str],
                     levels: Collection[str] = ()) -> np.ndarray:
    """The feature matrix of an MLflow scoring request, in ``features`` order.

    ``levels`` names the columns that also take level strings: text there is left to MLflow's
    reading (InvocationError), text anywhere else is final (NotANumber).
    """
    index = {name: position for position, name in enumerate(features)}
    levelled = [name in levels for name in features]
    if not isinstance(body, Mapping) or len(body) != 1:
        raise InvocationError("expected exactly one of dataframe_split, dataframe_records, "
                              "instances or inputs")
    (key, payload), = body.items()
    if key == "dataframe_split":
        return _from_split(payload, index, levelled)
    if key in ("dataframe_records", "instances", "inputs"):
        if isinstance(payload, Mapping):  # columnar: {"col": [values...]}
            lengths = {len(v) if isinstance(v, list) else -1 for v in payload.values()}
            if len(lengths) != 1 or -1 in lengths:
                raise InvocationError(f"{key}: columns must be lists of the same length")
            (count,) = lengths
            records: list[Any] = [{k: v[i] for k, v in payload.items()} for i in range(count)]
            return _from_records(records, index, levelled)
        if not isinstance(payload, list):
            raise InvocationError(f"{key}: expected a list of rows")
        return _from_records(payload, index, levelled)
    raise InvocationError(f"unknown key {key!r}: expected dataframe_split, dataframe_records, "
                          "instances or inputs")

"""One /invocations request from its bytes to its JSON answer, with no web framework.

Numeric rows of the model's features take the pandas-free path (``invocations``); anything else
that ``mlflow models serve`` would accept (string levels, ``params``, extra columns, a generic
model's raw columns) is read by MLflow with the version's own pyfunc (``mlflow_invocations``).
Both give the probabilities of the same model, so a client never sees which path answered.
The route runs this in a worker thread for large bodies (see routes/invocations.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from credit_core.web.json_keys import DuplicateKey, loads_unique
from scoring_service.invocations import (
    FORMATS,
    InvocationError,
    NotANumber,
    count_rows,
    parse_invocation,
)
from scoring_service.json_body import loads_yielding
from scoring_service.mlflow_invocations import MlflowReadError, PyfuncCache, predict_with_mlflow
from scoring_service.served import Served

__all__ = ["InvocationRefused", "NeedsMlflow", "answer_fast", "answer_invocation", "answer_mlflow"]

#: Predictions serialised per json.dumps call (a few milliseconds each).
_SLICE = 2_000
#: Keys MLflow accepts beside the data (``params`` goes to the model's predict).
_BESIDE_DATA = {"params"}


class InvocationRefused(Exception):
    """The request cannot be answered: ``status`` (400, 413, 422) and a message for the caller."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def _decode(raw: bytes, large: bool) -> Any:
    try:
        return loads_yielding(raw) if large else loads_unique(raw)
    except DuplicateKey as error:  # the same answer as every other route's (credit_core.web)
        raise InvocationRefused(422, f"duplicate key {error.key!r}: each key once") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise InvocationRefused(400, f"body is not valid JSON: {error}") from None
    except RecursionError:  # json.loads recurses once per level of nesting
        raise InvocationRefused(400, "body is not valid JSON: nested too deeply") from None


def _mlflow_can_read(body: Any) -> bool:
    """True if MLflow would read ``body`` as data (one format key, at most ``params`` beside)."""
    if not isinstance(body, Mapping):
        return False
    keys = set(body)
    return len(keys & set(FORMATS)) == 1 and not (keys - set(FORMATS) - _BESIDE_DATA)


@dataclass(frozen=True)
class NeedsMlflow:
    """A body the fast path refused, to be read by MLflow (in a worker thread: pandas, and
    possibly the first load of the version's pyfunc)."""

    body: Any
    fast_error: InvocationError


def _predictions_json(probabilities: np.ndarray) -> bytes:
    # In slices: one json.dumps of 100,000 floats would hold the GIL (see json_body) too long.
    values = probabilities.tolist()
    slices = (json.dumps(values[start:start + _SLICE])[1:-1]
              for start in range(0, len(values), _SLICE))
    return ('{"predictions": [' + ", ".join(slices) + "]}").encode()


def answer_fast(raw: bytes, served: Served, max_rows: int,
                large: bool = False) -> bytes | NeedsMlflow:
    """The answer to numeric rows of the model's features, else what MLflow must read.

    ``large``: the body is parsed so that the event loop keeps running (on a worker thread).
    """
    body = _decode(raw, large)
    if count_rows(body) > max_rows:
        raise InvocationRefused(413, f"more than {max_rows} rows")
    bundle = served.model.bundle
    try:
        matrix = parse_invocation(body, bundle.features, bundle.category_levels)
    except InvocationError as error:
        return NeedsMlflow(body, error)
    return _predictions_json(bundle.predict_proba(matrix))


def answer_mlflow(pending: NeedsMlflow, served: Served, pyfuncs: PyfuncCache) -> bytes:
    """MLflow's answer to a body the fast path refused (InvocationRefused if MLflow does too)."""
    body, fast_error = pending.body, pending.fast_error
    final = isinstance(fast_error, NotANumber) or not _mlflow_can_read(body)
    pyfunc = None if final else pyfuncs.get(served)
    if pyfunc is None:
        raise InvocationRefused(422, str(fast_error))
    try:
        return predict_with_mlflow(body, pyfunc).encode()
    except MlflowReadError as error:
        # Both readings: MLflow's says what the signature wants, ours names the cell.
        raise InvocationRefused(422, f"{error} (read as numbers: {fast_error})") from None


def answer_invocation(raw: bytes, served: Served, pyfuncs: PyfuncCache, max_rows: int) -> bytes:
    """The JSON answer ``{"predictions": [...]}`` to a large request body, on a worker thread
    (InvocationRefused if it cannot be answered)."""
    answer = answer_fast(raw, served, max_rows, large=True)
    return answer_mlflow(answer, served, pyfuncs) if isinstance(answer, NeedsMlflow) else answer

"""The current data of a run: the decisions of a time window, the application_test population,
or an uploaded batch (``uploads``), as the model's features with the model's probabilities.

Decisions carry the probability and the decision that were served; for the other sources the
monitored version scores the rows here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from credit_core.audit import unpack_matrix
from credit_core.bundle import ModelBundle
from credit_core.db.audit_log import read_decisions_between
from credit_core.db.cohorts import read_matrix
from credit_core.schema.features import FEATURE_NAMES, FEATURE_SCHEMA_VERSION

__all__ = ["CurrentData", "SourceError", "as_utc", "default_window", "from_application_test",
           "from_decisions", "scored"]


class SourceError(ValueError):
    """The current data cannot be had; ``status`` is the HTTP status that says why."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class CurrentData:
    """The rows a run compares with the reference."""

    source: str
    frame: pd.DataFrame  # the model's features, in its order
    probabilities: np.ndarray
    approved: np.ndarray  # bool per row
    window_start: datetime | None = None
    window_end: datetime | None = None
    truncated: bool = False
    filename: str | None = None

    @property
    def rows(self) -> int:
        return len(self.frame)

    def describe(self) -> dict[str, Any]:
        """Where the rows came from, for the run's JSON."""
        return {"source": self.source, "rows": self.rows, "window_start": self.window_start,
                "window_end": self.window_end, "truncated": self.truncated,
                "filename": self.filename}


def as_utc(moment: datetime) -> datetime:
    """Aware UTC (naive values are taken as UTC, as the database stores them)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _schema_features(bundle: ModelBundle, source: str) -> None:
    missing = [name for name in bundle.features if name not in FEATURE_NAMES]
    if missing:
        raise SourceError(f"the model's features are not in the feature schema "
                          f"({missing[:5]}): the {source!r} source is unavailable", 409)


def scored(source: str, frame: pd.DataFrame, bundle: ModelBundle, **extra: Any) -> CurrentData:
    """Current data scored by the monitored version (approved: below its threshold)."""
    probabilities = bundle.predict_proba(frame[bundle.features].to_numpy(np.float64))
    return CurrentData(source, frame, probabilities, probabilities < bundle.threshold, **extra)


def from_decisions(engine: Engine, bundle: ModelBundle, start: datetime, end: datetime,
                   max_rows: int) -> CurrentData:
    """The decisions made in [start, end) (the most recent ``max_rows`` if there are more)."""
    _schema_features(bundle, "decisions")
    start, end = as_utc(start), as_utc(end)
    rows = read_decisions_between(engine, start, end, FEATURE_SCHEMA_VERSION, max_rows + 1)
    if not rows:
        raise SourceError(f"no decisions between {start.isoformat()} and {end.isoformat()}")
    truncated = len(rows) > max_rows
    rows = rows[:max_rows]
    frame = unpack_matrix([row.feature_vector for row in rows], FEATURE_NAMES)[bundle.features]
    return CurrentData(
        "decisions", frame, np.array([row.probability for row in rows], dtype=np.float64),
        np.array([row.decision == "approved" for row in rows]), start, end, truncated)


def from_application_test(engine: Engine, bundle: ModelBundle, max_rows: int) -> CurrentData:
    """The application_test population (client_features, split "test")."""
    _schema_features(bundle, "application_test")
    matrix = read_matrix(engine, "test", bundle.features, limit=max_rows + 1)
    if not len(matrix):
        raise SourceError("no application_test clients in the database (split 'test')")
    frame = pd.DataFrame(matrix[:max_rows], columns=bundle.features)
    return scored("application_test", frame, bundle, truncated=len(matrix) > max_rows)


def default_window(days: float, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The last ``days`` days up to now."""
    end = as_utc(now or datetime.now(UTC))
    return end - pd.Timedelta(days=days).to_pytimedelta(), end

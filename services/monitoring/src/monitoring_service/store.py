"""The ``drift_runs`` table: each run with its verdicts, and its report's status.

A run's row holds the summary in columns (share, verdict, rows, window) for the history and the
gauges, and the full result as JSON (made JSON-safe here: no NaN, datetimes as ISO text).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
from sqlalchemy import Engine, insert, select, update

from credit_core.db import drift_runs

__all__ = ["fetch_latest", "fetch_run", "insert_run", "jsonable", "list_runs",
           "recent_scheduled_at", "set_report"]

#: The history's columns: everything but the bulky result and params.
_SUMMARY = [drift_runs.c[name] for name in (
    "id", "created_at", "status", "model_version", "current_source", "window_start",
    "window_end", "rows", "drift_share", "dataset_drift", "report_path", "error")]


def jsonable(value: Any) -> Any:
    """``value`` with NaN/inf as None, NumPy scalars as Python, datetimes as ISO strings."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _row(row: Any) -> dict[str, Any] | None:
    if row is None:
        return None
    out = dict(row)
    for key in ("created_at", "window_start", "window_end"):
        if key in out:
            out[key] = _utc(out[key])
    return out


def insert_run(engine: Engine, values: Mapping[str, Any]) -> int:
    """Store a run; its id."""
    with engine.begin() as connection:
        result = connection.execute(insert(drift_runs).values(**values))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def fetch_run(engine: Engine, run_id: int) -> dict[str, Any] | None:
    """A run with its result, or None."""
    with engine.connect() as connection:
        row = connection.execute(select(drift_runs).where(drift_runs.c.id == run_id))
        return _row(row.mappings().first())


def fetch_latest(engine: Engine, source: str | None = None,
                 full: bool = True) -> dict[str, Any] | None:
    """The most recent run (of ``source``), or None; ``full=False`` leaves out the result."""
    query = select(drift_runs) if full else select(*_SUMMARY)
    if source:
        query = query.where(drift_runs.c.current_source == source)
    with engine.connect() as connection:
        row = connection.execute(query.order_by(drift_runs.c.id.desc()).limit(1))
        return _row(row.mappings().first())


def list_runs(engine: Engine, limit: int, with_result: bool = False) -> list[dict[str, Any]]:
    """The latest ``limit`` runs, newest first."""
    columns = [*_SUMMARY, drift_runs.c.result] if with_result else _SUMMARY
    query = select(*columns).order_by(drift_runs.c.id.desc()).limit(limit)
    with engine.connect() as connection:
        return [_row(row) for row in connection.execute(query).mappings()]  # type: ignore[misc]


def recent_scheduled_at(engine: Engine) -> datetime | None:
    """When the latest scheduled run was stored (by any replica), if any."""
    query = (select(drift_runs.c.created_at, drift_runs.c.params)
             .where(drift_runs.c.current_source == "decisions")
             .order_by(drift_runs.c.id.desc()).limit(20))
    with engine.connect() as connection:
        for row in connection.execute(query):
            if (row.params or {}).get("trigger") == "schedule":
                return _utc(row.created_at)
    return None


def set_report(engine: Engine, run_id: int, status: str, report_path: str | None = None,
               error: str | None = None) -> None:
    """Record the outcome of the report rendering."""
    with engine.begin() as connection:
        connection.execute(update(drift_runs).where(drift_runs.c.id == run_id).values(
            status=status, report_path=report_path, error=error))

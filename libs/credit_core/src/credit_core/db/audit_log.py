"""The audit log (``decisions``): writing the rows of a scoring, reading one or a window back.

Rows are written in the caller's transaction, so that a decision is answered only once its
audit row is committed. On PostgreSQL two faster roads than SQLAlchemy's executemany
(docs/benchmarks.md, "Scoring"): from ``COPY_MIN_ROWS`` rows on a binary ``COPY ... FROM STDIN``
(10,000 rows: 1.6-2.4 s -> 0.3 s), below it one INSERT that psycopg prepares once per connection
(part of one client's 5.6 -> 2.3 ms).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, insert, select

from credit_core.audit import unpack_vector
from credit_core.db.driver import driver_cursor, is_psycopg
from credit_core.db.tables import decisions
from credit_core.db.vectors import COPY_MIN_ROWS

__all__ = ["AUDIT_COLUMNS", "StoredDecision", "read_decision", "read_decisions_between",
           "write_decisions"]

#: The columns of one audit row, as ``write_decisions`` takes them (``id`` is the database's).
AUDIT_COLUMNS = (
    "decision_id", "request_id", "client_id", "source", "feature_vector",
    "feature_schema_version", "inputs", "probability", "threshold", "decision", "model_name",
    "model_version", "api_key_name", "created_at", "client_request_id",
)
#: Columns a row may leave out (None).
_OPTIONAL = frozenset({"client_request_id"})
_INPUTS = AUDIT_COLUMNS.index("inputs")
_COPY_TYPES = ("text", "text", "int8", "text", "bytea", "int4", "json", "float8", "float8",
               "text", "text", "text", "text", "timestamptz", "text")
_INSERT = (f"INSERT INTO decisions ({', '.join(AUDIT_COLUMNS)}) "
           f"VALUES ({', '.join(['%s'] * len(AUDIT_COLUMNS))})")
_COPY = f"COPY decisions ({', '.join(AUDIT_COLUMNS)}) FROM STDIN (FORMAT binary)"


@dataclass(frozen=True)
class StoredDecision:
    """A row of the audit log, with the exact vector that was scored."""

    decision_id: str
    client_id: int | None
    source: str
    vector: np.ndarray
    feature_schema_version: int
    inputs: dict[str, Any] | None
    probability: float
    threshold: float
    decision: str
    model_name: str
    model_version: str
    #: The API key that asked for it (an integrator may explain its own decisions only).
    api_key_name: str = ""


def write_decisions(connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Append audit rows (each with every ``AUDIT_COLUMNS`` key but the optional ones) in the
    caller's transaction."""
    if not rows:
        return
    if not is_psycopg(connection):
        connection.execute(insert(decisions), [{name: row.get(name) for name in AUDIT_COLUMNS}
                                               for row in rows])
    elif len(rows) >= COPY_MIN_ROWS:
        with driver_cursor(connection, _COPY) as cursor, cursor.copy(_COPY) as copy:
            copy.set_types(list(_COPY_TYPES))
            for row in rows:
                copy.write_row(_driver_values(row))
    else:
        values = [_driver_values(row) for row in rows]
        with driver_cursor(connection, _INSERT, values) as cursor:
            cursor.executemany(_INSERT, values)


def _driver_values(row: Mapping[str, Any]) -> list[Any]:
    from psycopg.types.json import Json

    values = [row.get(name) if name in _OPTIONAL else row[name] for name in AUDIT_COLUMNS]
    if row["inputs"] is not None:
        values[_INPUTS] = Json(row["inputs"])
    return values


def read_decision(engine: Engine, decision_id: str) -> StoredDecision | None:
    """The audited decision ``decision_id``, or None."""
    with engine.connect() as connection:
        row = connection.execute(
            select(decisions).where(decisions.c.decision_id == decision_id)
        ).first()
    if row is None:
        return None
    return StoredDecision(
        decision_id=row.decision_id, client_id=row.client_id, source=row.source,
        vector=unpack_vector(row.feature_vector),
        feature_schema_version=row.feature_schema_version, inputs=row.inputs,
        probability=row.probability, threshold=row.threshold, decision=row.decision,
        model_name=row.model_name, model_version=row.model_version,
        api_key_name=row.api_key_name,
    )


def read_decisions_between(engine: Engine, start: datetime, end: datetime,
                           feature_schema_version: int, limit: int) -> Sequence[Any]:
    """The decisions made in [start, end) on ``feature_schema_version``, newest first, at most
    ``limit``: rows of (feature_vector, probability, decision)."""
    query = (
        select(decisions.c.feature_vector, decisions.c.probability, decisions.c.decision)
        .where(decisions.c.created_at >= start, decisions.c.created_at < end,
               decisions.c.feature_schema_version == feature_schema_version)
        .order_by(decisions.c.created_at.desc()).limit(limit)
    )
    with engine.connect() as connection:
        return connection.execute(query).all()

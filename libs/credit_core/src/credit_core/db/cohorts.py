"""Many clients of a split at once, from ``client_features``: the training population's ids and
outcomes, one feature over a split, or a matrix of features (whole-population reads, not the
request path: that is ``credit_core.db.vectors``).

Every result is ordered by client id, so columns read separately line up row for row.
Wide reads go through the driver's cursor in blocks (binary with psycopg): 48,744 x 287 in about
2.5 s on PostgreSQL and 3 s on SQLite, against 6 to 8 s through SQLAlchemy's rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine, Select, select

from credit_core.db.driver import driver_cursor, is_psycopg
from credit_core.db.tables import client_features
from credit_core.schema.features import FEATURE_NAMES

__all__ = ["read_column", "read_ids_and_target", "read_matrix"]

_BLOCK_ROWS = 20_000


def read_ids_and_target(engine: Engine, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """The clients of ``split`` by id, and their outcome (NaN where unknown)."""
    query = (select(client_features.c.SK_ID_CURR, client_features.c.TARGET)
             .where(client_features.c.split == split).order_by(client_features.c.SK_ID_CURR))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    target = np.array([row[1] for row in rows], dtype=np.float64)
    return ids, target


def read_column(engine: Engine, name: str, split: str = "train") -> np.ndarray:
    """Feature ``name`` for every client of ``split``, by id (NaN where missing)."""
    column = client_features.c[name]
    query = (select(column).where(client_features.c.split == split)
             .order_by(client_features.c.SK_ID_CURR))
    with engine.connect() as connection:
        return np.array(connection.execute(query).scalars().all(), dtype=np.float64)


def read_matrix(engine: Engine, split: str, features: Sequence[str] = FEATURE_NAMES,
                limit: int | None = None) -> np.ndarray:
    """The first ``limit`` clients of ``split`` by id, ``features`` columns (NULL as NaN)."""
    query = (select(*(client_features.c[name] for name in features))
             .where(client_features.c.split == split)
             .order_by(client_features.c.SK_ID_CURR).limit(limit))
    with engine.connect() as connection:
        return _float_rows(connection, query, len(features))


def _blocks(fetchmany: Callable[[int], Sequence[Any]], width: int) -> np.ndarray:
    blocks = []
    while rows := fetchmany(_BLOCK_ROWS):
        blocks.append(np.array(rows, dtype=np.float64))
    return np.vstack(blocks) if blocks else np.empty((0, width))


def _float_rows(connection: Connection, query: Select[Any], width: int) -> np.ndarray:
    """The rows of a query of float columns as a matrix, read from the driver's cursor."""
    if is_psycopg(connection):
        compiled = query.compile(dialect=connection.dialect)
        statement, parameters = str(compiled), compiled.params
        with driver_cursor(connection, statement, parameters, binary=True) as cursor:
            cursor.execute(statement, parameters)
            return _blocks(cursor.fetchmany, width)
    result = connection.execute(query)
    try:
        return _blocks(result.cursor.fetchmany, width)
    finally:
        result.close()

"""Client feature vectors by id: the one reader of ``client_features`` rows on the request path.

A vector is the full row in ``FEATURE_NAMES`` order, float64, NaN where a feature is missing.
Three roads, each chosen for a measured reason (docs/benchmarks.md, "Scoring"):

- PostgreSQL, a few ids (< ``COPY_MIN_ROWS``): one SELECT of the vector as a float8 array,
  which psycopg prepares after a few calls. Reading the 289 columns instead cost ~2 ms of
  per-column result handling; one client scored in-process went from 5.6 to ~2.3 ms.
- PostgreSQL, many ids: a binary ``COPY ... TO STDOUT`` of the same array, parsed by NumPy in
  one pass (every NULL is sent as NaN, so every row has the same width): 10,000 vectors in
  0.35 s instead of 1.2-1.5 s through SQLAlchemy's rows.
- SQLite (the embedded default): the driver's cursor, without SQLAlchemy's row objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine

from credit_core.db.driver import driver_cursor, is_psycopg
from credit_core.schema.features import FEATURE_NAMES

__all__ = ["COPY_MIN_ROWS", "UnknownClients", "read_vector", "read_vectors"]

#: From this many ids on, PostgreSQL reads by binary COPY (below it, the prepared SELECT).
COPY_MIN_ROWS = 32
#: SQLite refuses more than 32,766 host parameters in one statement: read in chunks.
_SQLITE_CHUNK = 10_000

_ARRAY = ("SELECT \"SK_ID_CURR\", array_replace(ARRAY["
          + ", ".join(f'"{name}"' for name in FEATURE_NAMES)
          + "]::float8[], NULL, 'NaN'::float8) FROM client_features"
          " WHERE \"SK_ID_CURR\" = ANY(%s)")
_COPY = f"COPY ({_ARRAY}) TO STDOUT (FORMAT binary)"
_BY_IDS = ("SELECT \"SK_ID_CURR\", " + ", ".join(f'"{name}"' for name in FEATURE_NAMES)
           + " FROM client_features WHERE \"SK_ID_CURR\" IN ({markers})")

# One binary COPY tuple: int16 field count; the id (int32 length, int64); the array (int32
# length, then ndim, has-nulls flag, element type, size and lower bound, then per element an
# int32 length and the big-endian float8).
_COPY_ROW = np.dtype([
    ("fields", ">i2"), ("id_length", ">i4"), ("id", ">i8"),
    ("array_length", ">i4"), ("ndim", ">i4"), ("has_nulls", ">i4"), ("element_type", ">i4"),
    ("size", ">i4"), ("lower_bound", ">i4"),
    ("values", [("length", ">i4"), ("value", ">f8")], (len(FEATURE_NAMES),)),
])
_COPY_HEADER = 19  # signature (11) + flags (4) + header extension length (4)


class UnknownClients(LookupError):
    """Some client ids are not in client_features; ``ids`` lists them."""

    def __init__(self, ids: Sequence[int]) -> None:
        super().__init__(f"unknown client ids: {', '.join(map(str, ids[:20]))}"
                         + (" ..." if len(ids) > 20 else ""))
        self.ids = list(ids)


def read_vectors(connection: Connection, ids: Sequence[int]) -> np.ndarray:
    """The full feature vectors of ``ids``, one row each in that order (UnknownClients if any
    is absent). Runs in the caller's connection, so it can share a transaction."""
    if is_psycopg(connection):
        if len(ids) >= COPY_MIN_ROWS:
            return _copy_vectors(connection, ids)
        return _in_order(ids, _select_arrays(connection, ids))
    found: dict[int, Sequence[float | None]] = {}
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    for start in range(0, len(ids), _SQLITE_CHUNK):
        chunk = list(ids[start:start + _SQLITE_CHUNK])
        statement = _BY_IDS.format(markers=", ".join([marker] * len(chunk)))
        with driver_cursor(connection, statement, chunk) as cursor:
            cursor.execute(statement, chunk)
            found.update((int(row[0]), row[1:]) for row in cursor.fetchall())
    return _in_order(ids, found)  # None -> NaN


def read_vector(engine: Engine, client_id: int) -> np.ndarray | None:
    """One client's full feature vector, or None when the client is unknown."""
    with engine.connect() as connection:
        try:
            return read_vectors(connection, [client_id])[0]
        except UnknownClients:
            return None


def _in_order(ids: Sequence[int], found: Mapping[int, Sequence[float | None]]) -> np.ndarray:
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise UnknownClients(unknown)
    return np.array([found[i] for i in ids], dtype=np.float64).reshape(len(ids), len(FEATURE_NAMES))


def _select_arrays(connection: Connection, ids: Sequence[int]) -> dict[int, Sequence[float]]:
    """A few vectors by one prepared SELECT (binary float8 arrays, NaN for missing)."""
    parameters = (list(ids),)
    with driver_cursor(connection, _ARRAY, parameters, binary=True) as cursor:
        cursor.execute(_ARRAY, parameters)
        return {int(row[0]): row[1] for row in cursor.fetchall()}


def _copy_vectors(connection: Connection, ids: Sequence[int]) -> np.ndarray:
    """Many vectors by a binary COPY, every row parsed at once (see the module doc)."""
    parameters = (list(ids),)
    with driver_cursor(connection, _COPY, parameters) as cursor, \
            cursor.copy(_COPY, parameters) as copy:
        data = b"".join(bytes(block) for block in copy)
    body = np.frombuffer(data, dtype=_COPY_ROW, offset=_COPY_HEADER,
                         count=(len(data) - _COPY_HEADER - 2) // _COPY_ROW.itemsize)
    if body.size and not ((body["fields"] == 2).all() and (body["ndim"] == 1).all()
                          and (body["size"] == len(FEATURE_NAMES)).all()
                          and (body["values"]["length"] == 8).all()):
        raise RuntimeError("unexpected layout of client_features in the binary COPY")
    found = pd.Index(body["id"].astype(np.int64))
    positions = found.get_indexer(pd.Index(np.asarray(ids, dtype=np.int64)))
    if (positions < 0).any():
        raise UnknownClients([i for i, p in zip(ids, positions, strict=True) if p < 0])
    return body["values"]["value"][positions].astype(np.float64)

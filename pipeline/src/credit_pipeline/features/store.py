"""Write the client tables in one transaction, and read them back for training.

PostgreSQL gets the rows through COPY (an order of magnitude faster than INSERTs at 356k rows
by 290 columns); SQLite through executemany. Either way the whole load is one transaction: if
anything fails half-way, the database is exactly as it was.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy import Connection, Engine, Table, func, select

from credit_core.db import applications, client_features, is_postgres, synthetic_truth
from credit_pipeline.features.build import ClientData

__all__ = ["LoadSummary", "count_rows", "load_client_data", "read_table_frame"]

CHUNK_ROWS = 20_000


@dataclass(frozen=True)
class LoadSummary:
    clients: int
    train: int
    test: int
    truth_rows: int


def _chunks(frame: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    for start in range(0, len(frame), size):
        yield frame.iloc[start : start + size]


def _quoted(connection: Connection, names: list[str]) -> str:
    quote = connection.dialect.identifier_preparer.quote
    return ", ".join(quote(n) for n in names)


def _psycopg(connection: Connection) -> psycopg.Connection[Any]:
    """The driver connection under ``connection``: COPY is psycopg's API, not the DB-API's."""
    raw = connection.connection.dbapi_connection
    if not isinstance(raw, psycopg.Connection):
        raise TypeError(f"COPY needs a psycopg connection, not {type(raw).__name__}")
    return raw


def _copy_chunk(connection: Connection, table: Table, chunk: pd.DataFrame) -> None:
    """COPY one chunk into PostgreSQL, nulls as empty unquoted fields."""
    buffer = io.BytesIO()
    arrow = pa.Table.from_pandas(chunk, preserve_index=False)
    pacsv.write_csv(arrow, buffer, pacsv.WriteOptions(include_header=False))
    columns = _quoted(connection, list(chunk.columns))
    statement = f'COPY "{table.name}" ({columns}) FROM STDIN WITH (FORMAT csv)'
    with _psycopg(connection).cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(buffer.getvalue())


def _insert_chunk(connection: Connection, table: Table, chunk: pd.DataFrame) -> None:
    """executemany one chunk (SQLite stores a float NaN as NULL)."""
    columns = list(chunk.columns)
    values = [chunk[c].astype(object).where(chunk[c].notna(), None).tolist() for c in columns]
    placeholders = ", ".join("?" for _ in columns)
    statement = f'INSERT INTO "{table.name}" ({_quoted(connection, columns)}) VALUES ({placeholders})'
    connection.exec_driver_sql(statement, list(zip(*values, strict=True)))


def _write(connection: Connection, table: Table, frame: pd.DataFrame,
           step: Callable[[int], None] | None) -> None:
    writer = _copy_chunk if connection.dialect.name == "postgresql" else _insert_chunk
    for chunk in _chunks(frame, CHUNK_ROWS):
        writer(connection, table, chunk)
        if step:
            step(len(chunk))


def load_client_data(
    engine: Engine,
    data: ClientData,
    truth: pd.DataFrame | None = None,
    step: Callable[[int], None] | None = None,
) -> LoadSummary:
    """Replace the client tables with ``data`` (and the synthetic truth) in one transaction."""
    apps = data.applications.reset_index()
    features = data.features.reset_index()
    features["TARGET"] = features["TARGET"].astype("float64")  # NA -> NaN -> NULL
    with engine.begin() as connection:
        for table in (synthetic_truth, client_features, applications):
            connection.execute(table.delete())
        _write(connection, applications, apps, step)
        _write(connection, client_features, features, step)
        if truth is not None:
            _write(connection, synthetic_truth, truth, None)
    split = data.features["split"]
    return LoadSummary(
        clients=len(features),
        train=int((split == "train").sum()),
        test=int((split == "test").sum()),
        truth_rows=0 if truth is None else len(truth),
    )


def count_rows(engine: Engine, table: Table) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _read_postgres(connection: Connection, query: str) -> pd.DataFrame:
    buffer = io.BytesIO()
    statement = f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)"
    with _psycopg(connection).cursor() as cursor, cursor.copy(statement) as copy:
        for block in copy:
            buffer.write(block)
    buffer.seek(0)
    return pacsv.read_csv(buffer).to_pandas()


def read_table_frame(
    engine: Engine, table: Table, where_split: str | None = None,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """A whole table (or one split of it) as a DataFrame, fast on both databases."""
    names = columns or [c.name for c in table.columns]
    with engine.connect() as connection:
        query = f'SELECT {_quoted(connection, names)} FROM "{table.name}"'
        if where_split:
            if where_split not in ("train", "test"):
                raise ValueError(f"unknown split {where_split!r}")
            query += f" WHERE split = '{where_split}'"
        query += ' ORDER BY "SK_ID_CURR"'
        if is_postgres(engine):
            frame = _read_postgres(connection, query)
        else:
            rows = connection.exec_driver_sql(query).fetchall()
            frame = pd.DataFrame.from_records(rows, columns=names)
    float_columns = [c.name for c in table.columns if c.name in names
                     and c.type.python_type is float]
    frame[float_columns] = frame[float_columns].astype(np.float64)
    return frame

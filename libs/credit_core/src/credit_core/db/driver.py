"""The driver's own cursor, for the reads and writes where SQLAlchemy's row handling costs more
than the query itself (rows of ~290 floats, binary COPY).

Errors raised by the driver are re-raised as SQLAlchemy's ``DBAPIError`` family, as they would
be through ``Connection.execute``: the services map those to 503, so an outage met on this road
is still "unavailable, retry", never a 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

__all__ = ["driver_cursor", "is_psycopg"]


def is_psycopg(connection: Connection) -> bool:
    """True on PostgreSQL through psycopg 3 (binary results, COPY, automatic preparation)."""
    return connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg"


@contextmanager
def driver_cursor(connection: Connection, statement: str, parameters: Any = None, *,
                  binary: bool = False) -> Iterator[Any]:
    """A cursor of the connection's driver; ``statement``/``parameters`` name a failure.

    ``binary`` asks psycopg for binary results (float8 without text parsing); other drivers
    ignore it.
    """
    raw: Any = connection.connection.driver_connection
    cursor = raw.cursor(binary=True) if binary and is_psycopg(connection) else raw.cursor()
    dbapi_error = connection.dialect.loaded_dbapi.Error
    try:
        yield cursor
    except dbapi_error as error:
        raise DBAPIError.instance(statement, parameters, error, dbapi_error) from error
    finally:
        cursor.close()

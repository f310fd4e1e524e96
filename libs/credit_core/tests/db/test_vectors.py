"""Client vectors by id: every road (prepared SELECT, binary COPY, SQLite) reads the same."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy.exc import DBAPIError

from credit_core.db import get_engine
from credit_core.db.driver import driver_cursor
from credit_core.db.vectors import COPY_MIN_ROWS, UnknownClients, read_vector, read_vectors

from ..conftest import ClientsDatabase


def test_a_few_vectors_in_the_asked_order_with_nan_for_missing(clients_db: ClientsDatabase) -> None:
    ids = [clients_db.ids[5], clients_db.ids[0], clients_db.ids[5]]
    with get_engine(clients_db.url).connect() as connection:
        vectors = read_vectors(connection, ids)
    assert vectors.dtype == np.float64
    np.testing.assert_array_equal(vectors, np.vstack([clients_db.vector(i) for i in ids]))
    assert np.isnan(vectors).any()


def test_many_vectors_read_exactly_what_single_reads_give(clients_db: ClientsDatabase) -> None:
    """From COPY_MIN_ROWS ids on, PostgreSQL takes the binary COPY road: same values."""
    ids = [*reversed(clients_db.ids), clients_db.ids[3]]
    assert len(ids) >= COPY_MIN_ROWS
    with get_engine(clients_db.url).connect() as connection:
        many = read_vectors(connection, ids)
        singles = np.vstack([read_vectors(connection, [i]) for i in ids])
    np.testing.assert_array_equal(many, singles)
    np.testing.assert_array_equal(many, np.vstack([clients_db.vector(i) for i in ids]))


@pytest.mark.parametrize("count", [1, COPY_MIN_ROWS + 1])
def test_unknown_ids_are_named(clients_db: ClientsDatabase, count: int) -> None:
    ids = [*clients_db.ids[:count - 1], 42]
    with get_engine(clients_db.url).connect() as connection, \
            pytest.raises(UnknownClients) as raised:
        read_vectors(connection, ids)
    assert raised.value.ids == [42] and "42" in str(raised.value)


def test_no_ids_is_an_empty_matrix(clients_db: ClientsDatabase) -> None:
    with get_engine(clients_db.url).connect() as connection:
        assert read_vectors(connection, []).shape == (0, clients_db.vectors.shape[1])


def test_one_vector_or_none(clients_db: ClientsDatabase) -> None:
    engine = get_engine(clients_db.url)
    found = read_vector(engine, clients_db.ids[2])
    assert found is not None
    np.testing.assert_array_equal(found, clients_db.vector(clients_db.ids[2]))
    assert read_vector(engine, 42) is None


def test_driver_errors_are_sqlalchemy_errors(clients_db: ClientsDatabase) -> None:
    """So that the services answer 503 (not 500) when the database fails on this road."""
    with get_engine(clients_db.url).connect() as connection, pytest.raises(DBAPIError), \
            driver_cursor(connection, "SELECT nothing FROM nowhere") as cursor:
        cursor.execute("SELECT nothing FROM nowhere")

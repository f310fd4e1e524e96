"""Whole-split reads: ids, outcomes, one column and matrices line up by client id."""

from __future__ import annotations

import numpy as np

from credit_core.db import get_engine
from credit_core.db.cohorts import read_column, read_ids_and_target, read_matrix
from credit_core.schema.features import FEATURE_NAMES

from ..conftest import ClientsDatabase


def _split(db: ClientsDatabase, split: str) -> list[int]:
    return [n for n, s in enumerate(db.splits) if s == split]


def test_ids_target_and_a_column_line_up(clients_db: ClientsDatabase) -> None:
    engine = get_engine(clients_db.url)
    rows = _split(clients_db, "train")
    ids, target = read_ids_and_target(engine, "train")
    assert ids.tolist() == [clients_db.ids[n] for n in rows]
    assert target.tolist() == [clients_db.target[n] for n in rows]
    _, test_target = read_ids_and_target(engine, "test")
    assert np.isnan(test_target).all()  # unknown outcome
    column = read_column(engine, "EXT_SOURCE_2", "train")
    np.testing.assert_array_equal(
        column, clients_db.vectors[rows, FEATURE_NAMES.index("EXT_SOURCE_2")])


def test_matrix_of_some_features_first_rows_by_id(clients_db: ClientsDatabase) -> None:
    engine = get_engine(clients_db.url)
    features = ["PAYMENT_RATE", "EXT_SOURCE_3"]
    rows = _split(clients_db, "test")[:4]
    matrix = read_matrix(engine, "test", features, limit=4)
    positions = [FEATURE_NAMES.index(name) for name in features]
    np.testing.assert_array_equal(matrix, clients_db.vectors[np.ix_(rows, positions)])
    full = read_matrix(engine, "train")
    assert full.shape == (len(_split(clients_db, "train")), len(FEATURE_NAMES))
    assert read_matrix(engine, "nobody", features).shape == (0, 2)

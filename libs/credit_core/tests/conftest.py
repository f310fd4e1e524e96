"""Fixtures of the core tests: a migrated database (SQLite and PostgreSQL) with a few clients
written straight into ``client_features`` and ``applications`` (the layer needs no pipeline)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from sqlalchemy import insert

from credit_core.db import applications, client_features, get_engine
from credit_core.db.migrate import upgrade
from credit_core.db.vectors import COPY_MIN_ROWS
from credit_core.schema.features import FEATURE_NAMES, FEATURE_SCHEMA_VERSION

FIRST_ID = 200_001
CLIENTS = COPY_MIN_ROWS + 9  # enough for the COPY road


@dataclass
class ClientsDatabase:
    url: str
    ids: list[int]
    vectors: np.ndarray  # FEATURE_NAMES order, NaN where stored as NULL
    splits: list[str]
    target: list[int | None]

    def vector(self, client_id: int) -> np.ndarray:
        return self.vectors[self.ids.index(client_id)]


@pytest.fixture
def clients_db(database_url: str) -> ClientsDatabase:
    """CLIENTS clients: every third in the test split (no target), features a third missing,
    the last client's application with both a NULL and (where the database keeps it) a NaN."""
    upgrade(database_url)
    rng = np.random.default_rng(3)
    ids = list(range(FIRST_ID, FIRST_ID + CLIENTS))
    vectors = rng.normal(size=(CLIENTS, len(FEATURE_NAMES)))
    vectors[rng.random(vectors.shape) < 0.3] = np.nan
    splits = ["test" if i % 3 == 0 else "train" for i in range(CLIENTS)]
    target = [None if s == "test" else int(i % 2) for i, s in enumerate(splits)]
    feature_rows = [
        {"SK_ID_CURR": client_id, "split": split, "TARGET": outcome,
         "feature_schema_version": FEATURE_SCHEMA_VERSION,
         **{name: (None if np.isnan(v) else float(v))
            for name, v in zip(FEATURE_NAMES, vector, strict=True)}}
        for client_id, split, outcome, vector in zip(ids, splits, target, vectors, strict=True)
    ]
    application_rows = [
        {"SK_ID_CURR": client_id, "split": split, "AMT_CREDIT": 100_000.0 + n,
         "AMT_INCOME_TOTAL": 50_000.0, "NAME_CONTRACT_TYPE": "Cash loans",
         "EXT_SOURCE_1": float("nan") if n == CLIENTS - 1 else 0.5, "OCCUPATION_TYPE": None}
        for n, (client_id, split) in enumerate(zip(ids, splits, strict=True))
    ]
    with get_engine(database_url).begin() as connection:
        connection.execute(insert(client_features), feature_rows)
        connection.execute(insert(applications), application_rows)
    return ClientsDatabase(database_url, ids, vectors, splits, target)

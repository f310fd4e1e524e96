"""The audit log: rows written by every road (INSERT, prepared INSERT, COPY) read back equal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from credit_core.audit import pack_vector
from credit_core.db import decisions, get_engine
from credit_core.db.audit_log import (
    AUDIT_COLUMNS,
    read_decision,
    read_decisions_between,
    write_decisions,
)
from credit_core.db.migrate import upgrade
from credit_core.db.vectors import COPY_MIN_ROWS
from credit_core.schema.features import FEATURE_NAMES, FEATURE_SCHEMA_VERSION

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _row(n: int, inputs: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    vector = np.full(len(FEATURE_NAMES), np.nan)
    vector[:3] = [n, n / 2, -n]
    return {
        "decision_id": f"00000000-0000-4000-8000-{n:012d}", "request_id": f"req-{n // 10}",
        "client_id": None if inputs else 300_000 + n, "source": "features" if inputs else "client_id",
        "feature_vector": pack_vector(vector), "feature_schema_version": FEATURE_SCHEMA_VERSION,
        "inputs": inputs, "probability": n / 100, "threshold": 0.25,
        "decision": "refused" if n >= 25 else "approved", "model_name": "credit-default",
        "model_version": "3", "api_key_name": "test", "created_at": T0 + timedelta(seconds=n),
        "client_request_id": f"caller-{n}" if n % 3 else None,  # the caller's X-Request-ID
        **changes,
    }


@pytest.mark.parametrize("count", [1, 3, COPY_MIN_ROWS + 2])
def test_rows_read_back_as_written(database_url: str, count: int) -> None:
    upgrade(database_url)
    engine = get_engine(database_url)
    rows = [_row(n, {"AMT_CREDIT": 1e5 + n, "NAME_CONTRACT_TYPE": "Cash loans"} if n % 2 else None)
            for n in range(count)]
    with engine.begin() as connection:
        write_decisions(connection, rows)
    with engine.connect() as connection:
        stored = connection.execute(select(decisions).order_by(decisions.c.id)).mappings().all()
    assert len(stored) == count
    for row, back in zip(rows, stored, strict=True):
        assert {name: back[name] for name in AUDIT_COLUMNS if name != "created_at"} == {
            name: row[name] for name in AUDIT_COLUMNS if name != "created_at"}
        created = back["created_at"]  # SQLite gives it back naive (stored as UTC)
        assert (created.replace(tzinfo=UTC) if created.tzinfo is None else created) == row["created_at"]
    decision = read_decision(engine, rows[-1]["decision_id"])
    assert decision is not None and decision.probability == rows[-1]["probability"]
    np.testing.assert_array_equal(decision.vector[:3], [count - 1, (count - 1) / 2, -(count - 1)])
    assert np.isnan(decision.vector[3:]).all()
    assert read_decision(engine, "00000000-0000-4000-8000-999999999999") is None


def test_written_in_the_callers_transaction(database_url: str) -> None:
    upgrade(database_url)
    engine = get_engine(database_url)
    with pytest.raises(RuntimeError), engine.begin() as connection:
        write_decisions(connection, [_row(n) for n in range(COPY_MIN_ROWS)])
        raise RuntimeError("the answer failed")
    with engine.connect() as connection:
        assert connection.execute(select(decisions.c.id)).first() is None


def test_a_window_newest_first_on_the_schema_version(database_url: str) -> None:
    upgrade(database_url)
    engine = get_engine(database_url)
    with engine.begin() as connection:
        write_decisions(connection, [*(_row(n) for n in range(10)),
                                     _row(10, feature_schema_version=FEATURE_SCHEMA_VERSION - 1)])
    window = read_decisions_between(engine, T0 + timedelta(seconds=2), T0 + timedelta(seconds=11),
                                    FEATURE_SCHEMA_VERSION, limit=5)
    assert [row.probability for row in window] == [0.09, 0.08, 0.07, 0.06, 0.05]
    assert {row.decision for row in window} == {"approved"}

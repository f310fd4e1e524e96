"""A short load (16 clients x 10 s) on the scoring and explain services as real processes on
PostgreSQL: no request may fail, and the audit rows equal the decisions answered, exactly.

The long version, 64 clients x 60 s, is bench/bench_load.py (figures in docs/reliability.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from credit_core.auth import create_api_key
from credit_core.db import get_engine
from tests.support.fixtures import Registry, load_synthetic_clients
from tests.support.loadgen import DEFAULT_MIX, Target, decision_rows, run_load, start_services
from tests.support.processes import Process

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.xdist_group("load")]

CONCURRENCY = 16
SECONDS = 10.0
KEY_NAME = "load-test"


@dataclass
class LoadedStack:
    database_url: str
    target: Target
    processes: dict[str, Process]


@pytest.fixture
def stack(make_postgres_database: Callable[[], str], mlflow_registry: Registry,
          tmp_path: Path) -> Iterator[LoadedStack]:
    database_url = make_postgres_database()
    ids = load_synthetic_clients(database_url, clients=600).index.tolist()
    key = create_api_key(get_engine(database_url), KEY_NAME, "service").key
    processes = start_services(database_url, mlflow_registry.uri, tmp_path)
    try:
        yield LoadedStack(database_url, Target(processes["scoring"].url, key, ids,
                                               processes["explain"].url), processes)
    finally:
        for process in processes.values():
            process.stop()


def test_mixed_load_has_no_error_and_every_decision_is_audited_once(stack: LoadedStack) -> None:
    report = run_load(stack.target, CONCURRENCY, SECONDS, seed=9)
    print(f"\n{report.table()}")

    assert report.errors == 0, report.failures()
    assert {o.endpoint for o in report.outcomes} == set(DEFAULT_MIX)  # the whole mix ran
    assert report.decisions > CONCURRENCY
    assert decision_rows(stack.database_url, KEY_NAME) == report.decisions

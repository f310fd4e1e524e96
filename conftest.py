"""Fixtures shared by every test folder: the PostgreSQL test database and environment hygiene.

Tests marked ``postgres`` need the server at 127.0.0.1:5432 (trust auth), as on the development
and CI machines. In CI (``CI=true``) an unreachable server fails those tests; elsewhere they are
skipped and the run ends with a line saying so.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest

pytest_plugins = ["tests.support.fixtures"]

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

POSTGRES_ADMIN_URL = os.environ.get(
    "CREDIT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
_skipped_for_postgres: list[str] = []


def _admin_connection():  # type: ignore[no-untyped-def]
    import psycopg

    url = POSTGRES_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(url, autocommit=True, connect_timeout=3)


def _create_database(request: pytest.FixtureRequest) -> str:
    try:
        admin = _admin_connection()
    except Exception as error:  # any connection failure means: no server here
        message = f"PostgreSQL at {POSTGRES_ADMIN_URL} is unreachable: {error}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run the PostgreSQL tests)")
        _skipped_for_postgres.append(request.node.nodeid)
        pytest.skip(message)
    name = f"credit_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"


def _drop_database(url: str) -> None:
    from credit_core.db.engine import get_engine

    get_engine.cache_clear()  # release pooled connections before dropping
    with _admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    url = _create_database(request)
    yield url
    _drop_database(url)


@pytest.fixture(scope="session")
def make_postgres_database(request: pytest.FixtureRequest) -> Iterator[Callable[[], str]]:
    """Creates fresh databases that live until the end of the session (for processes)."""
    created: list[str] = []

    def make() -> str:
        created.append(_create_database(request))
        return created[-1]

    yield make
    for url in created:
        _drop_database(url)


@pytest.fixture
def sqlite_url(tmp_path) -> str:  # type: ignore[no-untyped-def]
    """A fresh SQLite database file for one test."""
    return f"sqlite:///{tmp_path / 'credit.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test using it runs on the embedded SQLite default and on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return str(request.getfixturevalue(name))


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    if _skipped_for_postgres:
        terminalreporter.write_line(
            f"NOTE: {len(_skipped_for_postgres)} PostgreSQL tests were SKIPPED because the server "
            f"was unreachable; they run in CI.", yellow=True,
        )

"""Migration 0002: the outcomes table as credit_core defines it, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from credit_core.db import get_engine
from credit_core.db.engine import normalise_url
from credit_core.db.migrate import migrations_dir, upgrade
from credit_core.db.tables import outcomes


def _alembic(url: str) -> Config:
    folder = migrations_dir()
    config = Config(str(folder / "alembic.ini"))
    config.set_main_option("script_location", str(folder / "migrations"))
    config.attributes["database_url"] = normalise_url(url)
    return config


def test_0002_creates_the_outcomes_table_and_downgrades(database_url: str) -> None:
    upgrade(database_url)
    inspector = inspect(get_engine(database_url))
    columns = {c["name"]: c for c in inspector.get_columns("outcomes")}
    assert set(columns) == {c.name for c in outcomes.columns}
    for column in outcomes.columns:
        assert columns[column.name]["nullable"] == column.nullable, column.name
    assert inspector.get_pk_constraint("outcomes")["constrained_columns"] == ["id"]
    assert {i["name"] for i in inspector.get_indexes("outcomes")} == {
        "ix_outcomes_client_id", "ix_outcomes_observed_at"}

    command.downgrade(_alembic(database_url), "0001")
    get_engine.cache_clear()
    assert "outcomes" not in inspect(get_engine(database_url)).get_table_names()
    upgrade(database_url)
    get_engine.cache_clear()
    assert "outcomes" in inspect(get_engine(database_url)).get_table_names()

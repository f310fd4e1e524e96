"""Run the Alembic migrations from code (the CLI, the loader, the services' start-up checks)."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from credit_core.db.engine import get_engine, normalise_url

__all__ = ["current_revision", "head_revision", "migrations_dir", "upgrade"]


def migrations_dir() -> Path:
    """The db/ folder: CREDIT_DB_DIR, else found above this file (workspace or image layout)."""
    configured = os.environ.get("CREDIT_DB_DIR")
    if configured:
        return Path(configured)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "db" / "alembic.ini"
        if candidate.is_file():
            return candidate.parent
    raise FileNotFoundError("db/alembic.ini not found: set CREDIT_DB_DIR to the db/ folder")


def _config(database_url: str) -> Config:
    folder = migrations_dir()
    config = Config(str(folder / "alembic.ini"))
    config.set_main_option("script_location", str(folder / "migrations"))
    config.attributes["database_url"] = normalise_url(database_url)
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database at ``database_url`` to ``revision`` (idempotent)."""
    command.upgrade(_config(database_url), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config("sqlite://")).get_current_head()


def current_revision(database_url: str) -> str | None:
    """The revision the database is at, None when it was never migrated."""
    with get_engine(database_url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()

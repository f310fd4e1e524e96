"""Alembic environment: runs the migrations against the configured database."""

from __future__ import annotations

from alembic import context

from credit_core.db.engine import get_engine, normalise_url
from credit_core.db.tables import metadata
from credit_core.settings import get_core_settings

config = context.config
target_metadata = metadata


def _url() -> str:
    return normalise_url(
        config.attributes.get("database_url") or get_core_settings().resolved_database_url
    )


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    with get_engine(_url()).connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

"""Initial schema: applications, client features (feature schema v1), decisions, drift runs,
users, API keys, and the synthetic data's truth.

The feature columns are generated from credit_core's feature schema at version 1
(FEATURE_SCHEMA_VERSION); a later change of the feature list comes with its own migration.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from alembic import op
from sqlalchemy import MetaData

from credit_core.db import tables
from credit_core.schema.features import FEATURE_SCHEMA_VERSION

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TABLES = (
    "applications", "client_features", "synthetic_truth", "decisions", "drift_runs", "users",
    "api_keys",
)


def upgrade() -> None:
    if FEATURE_SCHEMA_VERSION != 1:
        raise RuntimeError("0001 creates feature schema v1; add a migration for the new version")
    bind = op.get_bind()
    snapshot = MetaData(naming_convention=tables.metadata.naming_convention)
    for name in _TABLES:
        tables.metadata.tables[name].to_metadata(snapshot)
    snapshot.create_all(bind)


def downgrade() -> None:
    bind = op.get_bind()
    for name in reversed(_TABLES):
        tables.metadata.tables[name].drop(bind, checkfirst=True)

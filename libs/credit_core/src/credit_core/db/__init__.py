"""Database: the tables (SQLAlchemy Core), engines, and Alembic migrations."""

from credit_core.db.engine import get_engine, is_postgres
from credit_core.db.oversight import decision_reviews
from credit_core.db.tables import (
    api_keys,
    applications,
    client_features,
    decisions,
    drift_runs,
    metadata,
    synthetic_truth,
    users,
)

__all__ = [
    "api_keys",
    "applications",
    "client_features",
    "decision_reviews",
    "decisions",
    "drift_runs",
    "get_engine",
    "is_postgres",
    "metadata",
    "synthetic_truth",
    "users",
]

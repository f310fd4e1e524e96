"""Database: the tables (SQLAlchemy Core), engines, Alembic migrations, and the one
data-access layer over the shared tables, a module per table or concern:

- ``vectors``: client feature vectors by id (the request path's fast roads);
- ``cohorts``: many clients of a split at once (population ids, outcomes, columns, matrices);
- ``application_records``: a client's application as received (one rule for missing fields);
- ``clients``: the client search page and the batch command's keyset paging;
- ``audit_log``: the decisions, written and read back; ``reviews``: the advisors' reviews.

(No module is named after a table: ``credit_core.db.decisions`` is the table.)
"""

from credit_core.db.engine import get_engine, is_postgres
from credit_core.db.tables import (
    api_keys,
    applications,
    client_features,
    decision_reviews,
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

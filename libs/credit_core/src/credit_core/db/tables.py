"""The tables, defined once. The feature columns derive from the feature schema.

- ``applications``: each client's application fields as received (what an advisor sees).
- ``client_features``: the model's feature vector per client (the scoring path reads one row by
  primary key), with the split and, for training clients, the target.
- ``decisions``: the audit log, one row per scoring decision.
- ``decision_reviews``: the advisor's final decision on a scored application (human oversight).
- ``drift_runs``, ``users``, ``api_keys``: monitoring history and credentials.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)

from credit_core.schema.application import APPLICATION_FIELDS
from credit_core.schema.features import FEATURES

__all__ = [
    "api_keys",
    "applications",
    "client_features",
    "decision_reviews",
    "decisions",
    "drift_runs",
    "login_failures",
    "metadata",
    "sessions",
    "synthetic_truth",
    "users",
]

# Names for constraints and indexes, so that migrations are the same on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _application_columns() -> list[Column]:
    types: dict[str, Any] = {"int": BigInteger(), "float": Float(), "category": String(64)}
    return [
        Column(f.name, types[f.kind], nullable=True)
        for f in APPLICATION_FIELDS
        if f.name != "SK_ID_CURR"
    ]


applications = Table(
    "applications",
    metadata,
    Column("SK_ID_CURR", BigInteger, primary_key=True, autoincrement=False),
    Column("split", String(5), nullable=False, index=True),
    *_application_columns(),
)

client_features = Table(
    "client_features",
    metadata,
    Column("SK_ID_CURR", BigInteger, primary_key=True, autoincrement=False),
    Column("split", String(5), nullable=False, index=True),
    Column("TARGET", SmallInteger, nullable=True),
    Column("feature_schema_version", Integer, nullable=False),
    *(Column(f.name, Float(), nullable=True) for f in FEATURES),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("decision_id", String(36), nullable=False, unique=True),
    Column("request_id", String(64), nullable=False, index=True),  # ours, unique per request
    Column("client_request_id", String(64), nullable=True),  # the caller's X-Request-ID, if any
    Column("client_id", BigInteger, nullable=True, index=True),
    Column("source", String(16), nullable=False),  # "client_id" or "features"
    # The exact feature vector scored, float64 little-endian, LZ4-compressed (see
    # credit_core.audit): about 1 KB instead of 8 KB of JSON, so batch audits stay fast.
    Column("feature_vector", LargeBinary, nullable=False),
    Column("feature_schema_version", Integer, nullable=False),
    Column("inputs", JSON, nullable=True),  # the application fields as submitted, if any
    Column("probability", Float, nullable=False),
    Column("threshold", Float, nullable=False),
    Column("decision", String(10), nullable=False),
    Column("model_name", String(128), nullable=False),
    Column("model_version", String(32), nullable=False),
    Column("api_key_name", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
)

# Kept apart from the audit row it reviews (which is never modified): one review per decision,
# with the advisor, the justification and whether it overrides the model.
decision_reviews = Table(
    "decision_reviews",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("decision_id", String(36), nullable=False, unique=True),
    Column("model_decision", String(10), nullable=False),
    Column("final_decision", String(10), nullable=False),
    Column("override", Boolean, nullable=False),
    Column("advisor", String(64), nullable=False),
    Column("comment", Text, nullable=True),
    Column("api_key_name", String(128), nullable=False),
    Column("reviewed_at", DateTime(timezone=True), nullable=False),
)

drift_runs = Table(
    "drift_runs",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("model_version", String(32), nullable=True),
    Column("current_source", String(32), nullable=False),
    Column("window_start", DateTime(timezone=True), nullable=True),
    Column("window_end", DateTime(timezone=True), nullable=True),
    Column("rows", Integer, nullable=True),
    Column("drift_share", Float, nullable=True),
    Column("dataset_drift", Boolean, nullable=True),
    Column("params", JSON, nullable=False),
    Column("result", JSON, nullable=True),
    Column("report_path", Text, nullable=True),
    Column("error", Text, nullable=True),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False, index=True),
    Column("key_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

# Only for synthetic data: the generator's true default probability and drawn outcome per
# client (the oracle), kept for evaluation and outcome simulation, never used as a feature.
synthetic_truth = Table(
    "synthetic_truth",
    metadata,
    Column("SK_ID_CURR", BigInteger, primary_key=True, autoincrement=False),
    Column("split", String(5), nullable=False),
    Column("default_probability", Float, nullable=False),
    Column("outcome", SmallInteger, nullable=False),
)

Index("ix_decisions_model_version_created_at", decisions.c.model_version, decisions.c.created_at)

# Observed outcomes reported after the decision (monitoring's realised performance): whether the
# client defaulted, when that was observed, and who reported it. Several per client may arrive;
# each is matched with the client's latest decision made before it was observed.
outcomes = Table(
    "outcomes",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("client_id", BigInteger, nullable=False, index=True),
    Column("observed_default", SmallInteger, nullable=False),
    Column("observed_at", DateTime(timezone=True), nullable=False, index=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("recorded_by", String(128), nullable=False),
)

# Failed sign-ins, one row per throttled key ("addr:<source>", "user:<name>") or known-good
# pair ("good:<name>:<source>"): shared by every replica, pruned a day after the last event.
login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("blocked_until", DateTime(timezone=True), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False, index=True),
)

# Browser sessions, so that they can be revoked server-side (logout, password change, user
# removal) and expire on idle. ``id`` is a SHA-256 of the random id the signed cookie carries.
sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(64), nullable=False),  # the cookie's name
    Column("name", String(128), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

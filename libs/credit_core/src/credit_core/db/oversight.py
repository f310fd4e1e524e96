"""Human oversight: the advisor's final decision on a scored application.

Kept apart from the audit row it reviews (which is never modified): one review per decision,
with the advisor, the justification and whether it overrides the model.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, DateTime, Integer, String, Table, Text

from credit_core.db.tables import metadata

__all__ = ["decision_reviews"]

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

"""Outcomes: the observed default (or not) of clients after their decision, for monitoring's
realised performance (AUC, business cost and default rate by week).

Written out explicitly (not from credit_core's tables), so that the migration stays what it was
when the table changes later.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outcomes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False,
                  autoincrement=True),
        sa.Column("client_id", sa.BigInteger(), nullable=False),
        sa.Column("observed_default", sa.SmallInteger(), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outcomes"),
    )
    op.create_index("ix_outcomes_client_id", "outcomes", ["client_id"])
    op.create_index("ix_outcomes_observed_at", "outcomes", ["observed_at"])


def downgrade() -> None:
    op.drop_index("ix_outcomes_observed_at", table_name="outcomes")
    op.drop_index("ix_outcomes_client_id", table_name="outcomes")
    op.drop_table("outcomes")

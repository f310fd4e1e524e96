"""Decision reviews: the advisor's final decision, with the override and its justification.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_reviews",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("decision_id", sa.String(36), nullable=False),
        sa.Column("model_decision", sa.String(10), nullable=False),
        sa.Column("final_decision", sa.String(10), nullable=False),
        sa.Column("override", sa.Boolean, nullable=False),
        sa.Column("advisor", sa.String(64), nullable=False),
        sa.Column("comment", sa.Text, nullable=True),
        sa.Column("api_key_name", sa.String(128), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_decision_reviews"),
        sa.UniqueConstraint("decision_id", name="uq_decision_reviews_decision_id"),
    )


def downgrade() -> None:
    op.drop_table("decision_reviews")

"""The caller's X-Request-ID in its own audit column; ``request_id`` is always ours.

Rows written before this revision may hold a caller's value in ``request_id`` (it was kept
when well-formed); they are left as they are.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 0001 creates ``decisions`` from the live table definition, so a new database already has
    # the column: add it only to databases made before this revision.
    columns = {column["name"] for column in sa.inspect(op.get_bind()).get_columns("decisions")}
    if "client_request_id" in columns:
        return
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("client_request_id", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("client_request_id")

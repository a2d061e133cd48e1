"""Schema version 2: saved plans of real clients (the workspace).

Revision ID: v2_plans
Revises: v1_drafts
"""

import sqlalchemy as sa
from alembic import op

revision = "v2_plans"
down_revision = "v1_drafts"
branch_labels = None
depends_on = None
schema_version = 2


def upgrade() -> None:
    op.create_table("plans",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("owner", sa.String(200), nullable=False),
                    sa.Column("client_name", sa.String(200), nullable=False),
                    sa.Column("body", sa.Text, nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False))
    op.create_index("ix_plans_owner", "plans", ["owner"])


def downgrade() -> None:
    op.drop_index("ix_plans_owner", table_name="plans")
    op.drop_table("plans")

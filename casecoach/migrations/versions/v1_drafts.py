"""Schema version 1: drafts, and casecoach_meta recording the schema version.

Revision ID: v1_drafts
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "v1_drafts"
down_revision = None
branch_labels = None
depends_on = None
schema_version = 1


def upgrade() -> None:
    op.create_table("casecoach_meta",
                    sa.Column("key", sa.String(64), primary_key=True),
                    sa.Column("value", sa.String(255), nullable=False))
    op.create_table("drafts",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("owner", sa.String(200), nullable=False),
                    sa.Column("kind", sa.String(64), nullable=False),
                    sa.Column("item", sa.String(200), nullable=False),
                    sa.Column("body", sa.Text, nullable=False),
                    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
                    sa.UniqueConstraint("owner", "kind", "item", name="uq_draft"))


def downgrade() -> None:
    op.drop_table("drafts")
    op.drop_table("casecoach_meta")

"""Schema version 5: a saved plan's version (saves on an older one refused) and deletion time.

A deleted plan can be brought back until it is purged.

Revision ID: v5_plan_versions
Revises: v4_exercise_kind
"""

import sqlalchemy as sa
from alembic import op

revision = "v5_plan_versions"
down_revision = "v4_exercise_kind"
branch_labels = None
depends_on = None
schema_version = 5


def upgrade() -> None:
    # Plans saved before versions existed are each at their first version.
    op.add_column("plans", sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.add_column("plans", sa.Column("deleted_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    # A plan marked deleted but not yet purged is kept: version 4 shows it as saved again
    # (losing a deletion is better than losing a plan).
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("deleted_at")
        batch.drop_column("version")

"""Schema version 4: an exercise's kind (a referral goal to rewrite, or one chart row to fill in).

Revision ID: v4_exercise_kind
Revises: v3_progress_exercises
"""

import sqlalchemy as sa
from alembic import op

revision = "v4_exercise_kind"
down_revision = "v3_progress_exercises"
branch_labels = None
depends_on = None
schema_version = 4


def upgrade() -> None:
    # Exercises made before there were kinds were all referral goals.
    op.add_column("exercises", sa.Column("kind", sa.String(16), nullable=False,
                                         server_default="goal"))


def downgrade() -> None:
    with op.batch_alter_table("exercises") as batch:   # SQLite drops a column by copying the table
        batch.drop_column("kind")

"""Schema version 3: progress per trainee and module, group exercises and their submissions.

Revision ID: v3_progress_exercises
Revises: v2_plans
"""

import sqlalchemy as sa
from alembic import op

revision = "v3_progress_exercises"
down_revision = "v2_plans"
branch_labels = None
depends_on = None
schema_version = 3


def upgrade() -> None:
    op.create_table("progress",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("owner", sa.String(200), nullable=False),
                    sa.Column("cohort", sa.String(64), nullable=False),
                    sa.Column("module", sa.String(64), nullable=False),
                    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("completed_at", sa.DateTime(timezone=True)),
                    sa.Column("attempts", sa.Integer, nullable=False),
                    sa.Column("score", sa.Integer),
                    sa.UniqueConstraint("owner", "module", name="uq_progress"))
    op.create_table("exercises",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("code", sa.String(16), nullable=False, unique=True),
                    sa.Column("scenario_id", sa.String(100), nullable=False),
                    sa.Column("item", sa.String(100), nullable=False),
                    sa.Column("created_by", sa.String(200), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("closed_at", sa.DateTime(timezone=True)),
                    sa.Column("names_shown", sa.Integer, nullable=False),
                    sa.Column("spotlight", sa.String(200)))
    op.create_table("submissions",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("exercise_id", sa.Integer, nullable=False),
                    sa.Column("trainee", sa.String(200), nullable=False),
                    sa.Column("text", sa.Text, nullable=False),
                    sa.Column("revision", sa.Integer, nullable=False),
                    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
                    sa.UniqueConstraint("exercise_id", "trainee", name="uq_submission"))
    op.create_index("ix_submissions_exercise_id", "submissions", ["exercise_id"])


def downgrade() -> None:
    op.drop_index("ix_submissions_exercise_id", table_name="submissions")
    op.drop_table("submissions")
    op.drop_table("exercises")
    op.drop_table("progress")

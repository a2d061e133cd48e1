"""Schema version 6: every version of each group-exercise answer (submission_versions).

Until now the store kept only the latest text of each answer; from this version on, each submit
also keeps its text, revision and time as a version. An answer written before the upgrade
becomes the last (and only) entry of its history, with its revision number and time: its
earlier texts were never kept.

Revision ID: v6_answer_versions
Revises: v5_plan_versions
"""

import sqlalchemy as sa
from alembic import op

revision = "v6_answer_versions"
down_revision = "v5_plan_versions"
branch_labels = None
depends_on = None
schema_version = 6


def upgrade() -> None:
    versions = op.create_table(
        "submission_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name="fk_version_submission", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_id", "revision", name="uq_submission_version"),
    )
    # Each answer already stored: its latest text, as the version it is (revision n of n).
    submissions = sa.table("submissions", sa.column("id", sa.Integer),
                           sa.column("revision", sa.Integer), sa.column("text", sa.Text),
                           sa.column("submitted_at", sa.DateTime(timezone=True)))
    op.execute(versions.insert().from_select(
        ["submission_id", "revision", "text", "submitted_at"],
        sa.select(submissions.c.id, submissions.c.revision, submissions.c.text,
                  submissions.c.submitted_at)))


def downgrade() -> None:
    # Version 5 keeps the latest text of each answer (still in submissions); the earlier
    # versions go with the table.
    op.drop_table("submission_versions")

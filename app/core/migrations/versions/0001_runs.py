"""Runs and published journey versions.

Revision ID: 0001_runs
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001_runs"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "runs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("journey_id", sa.String(80), nullable=False),
        sa.Column("journey_version", sa.Integer, nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_runs_journey_id", "runs", ["journey_id"])
    op.create_index("ix_runs_user_id", "runs", ["user_id"])
    op.create_table(
        "journey_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("journey_id", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("definition", sa.JSON, nullable=False),
        sa.Column("checksum", sa.String(64), nullable=False),
        sa.Column("author", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("journey_id", "version", name="uq_journey_versions_journey_id"),
    )
    op.create_index("ix_journey_versions_journey_id", "journey_versions", ["journey_id"])


def downgrade():
    op.drop_table("journey_versions")
    op.drop_table("runs")

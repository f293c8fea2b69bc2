"""Staff studio: journey drafts next to published versions, review and publication marks.

Revision ID: 0010_studio
Revises: 0006_detached_declarations
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_studio"
down_revision = "0006_detached_declarations"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    with op.batch_alter_table("journey_versions") as batch:
        # A draft has no version number yet: it gets the next one when it is published.
        batch.alter_column("version", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("status", sa.String(20), nullable=False, server_default="published"))
        batch.add_column(sa.Column("source", sa.Text(), nullable=True))
        batch.add_column(sa.Column("scenarios", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("based_on", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("updated_at", TZ, nullable=True))
        batch.add_column(sa.Column("review_requested_by", sa.String(254), nullable=True))
        batch.add_column(sa.Column("review_requested_at", TZ, nullable=True))
        batch.add_column(sa.Column("published_by", sa.String(254), nullable=True))
        batch.add_column(sa.Column("published_at", TZ, nullable=True))
        batch.add_column(sa.Column("note", sa.String(500), nullable=True))
        batch.alter_column("author", existing_type=sa.String(120), type_=sa.String(254))
    # The runner's freshness check: the newest published row, found by one index look-up.
    op.create_index("ix_journey_versions_status_id", "journey_versions", ["status", "id"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("journey_id", sa.String(80), nullable=True),
        sa.Column("step_id", sa.String(80), nullable=True),
        sa.Column("helpful", sa.Boolean(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.String(254), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("closed_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_feedback"),
    )
    op.create_index("ix_feedback_journey_id", "feedback", ["journey_id"])
    op.create_table(
        "indicator_targets",
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("updated_by", sa.String(254), nullable=True),
        sa.Column("updated_at", TZ, nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_indicator_targets"),
    )


def downgrade():
    op.drop_table("indicator_targets")
    op.drop_index("ix_feedback_journey_id", table_name="feedback")
    op.drop_table("feedback")
    op.drop_index("ix_journey_versions_status_id", table_name="journey_versions")
    op.execute("DELETE FROM journey_versions WHERE status != 'published'")
    with op.batch_alter_table("journey_versions") as batch:
        for name in ("note", "published_at", "published_by", "review_requested_at", "review_requested_by",
                     "updated_at", "based_on", "scenarios", "source", "status"):
            batch.drop_column(name)
        batch.alter_column("version", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("author", existing_type=sa.String(254), type_=sa.String(120))

"""Prefilled forms: the citizens' form drafts and what the government registries held about them.

Revision ID: 0004_forms
Revises: 0003_declarations
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_forms"
down_revision = "0003_declarations"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "form_drafts",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=True),
        sa.Column("form_id", sa.String(80), nullable=False),
        sa.Column("form_version", sa.Integer(), nullable=False),
        sa.Column("field_values", sa.JSON(), nullable=False),
        sa.Column("origins", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_form_drafts_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_form_drafts"),
    )
    op.create_index("ix_form_drafts_user_id", "form_drafts", ["user_id"])
    op.create_index("ix_form_drafts_run_id", "form_drafts", ["run_id"])
    op.create_table(
        "government_reads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(80), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("data_encrypted", sa.Text(), nullable=True),
        sa.Column("read_at", TZ, nullable=False),
        sa.Column("consented_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_government_reads_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_government_reads"),
        sa.UniqueConstraint("user_id", "organisation", name="uq_government_reads_user_id"),
    )
    op.create_index("ix_government_reads_user_id", "government_reads", ["user_id"])


def downgrade():
    op.drop_index("ix_government_reads_user_id", table_name="government_reads")
    op.drop_table("government_reads")
    op.drop_index("ix_form_drafts_run_id", table_name="form_drafts")
    op.drop_index("ix_form_drafts_user_id", table_name="form_drafts")
    op.drop_table("form_drafts")

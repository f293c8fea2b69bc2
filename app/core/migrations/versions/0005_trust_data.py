"""Trust: sensitive draft fields encrypted, government reads remember which fields were asked and
when a re-consultation last failed (the previous good values are kept).

Revision ID: 0005_trust_data
Revises: 0004_forms
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_trust_data"
down_revision = "0004_forms"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("form_drafts") as batch:
        batch.add_column(sa.Column("sensitive_encrypted", sa.Text(), nullable=True))
    with op.batch_alter_table("government_reads") as batch:
        batch.add_column(sa.Column("fields", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("government_reads") as batch:
        batch.drop_column("failed_at")
        batch.drop_column("fields")
    with op.batch_alter_table("form_drafts") as batch:
        batch.drop_column("sensitive_encrypted")

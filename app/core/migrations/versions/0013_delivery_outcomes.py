"""Deliveries: how many times a worker claimed each one (a crash is not an attempt) and when the
operations mailbox was told about a refusal or a dead letter.

Revision ID: 0013_delivery_outcomes
Revises: 0011_entreprises
"""
import sqlalchemy as sa
from alembic import op

revision = "0013_delivery_outcomes"
down_revision = "0011_entreprises"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("claims", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("ops_notified_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("ops_notified_at")
        batch.drop_column("claims")

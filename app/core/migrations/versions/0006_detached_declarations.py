"""A declaration outlives a deleted account while its deliveries are still pending: its user_id
becomes NULL (detached) until the retention purge removes it once every delivery is final.

Revision ID: 0006_detached_declarations
Revises: 0005_trust_data
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_detached_declarations"
down_revision = "0005_trust_data"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("declarations") as batch:
        batch.alter_column("user_id", existing_type=sa.Integer(), nullable=True)


def downgrade():
    op.execute("DELETE FROM deliveries WHERE declaration_id IN (SELECT id FROM declarations WHERE user_id IS NULL)")
    op.execute("DELETE FROM declarations WHERE user_id IS NULL")
    with op.batch_alter_table("declarations") as batch:
        batch.alter_column("user_id", existing_type=sa.Integer(), nullable=False)

"""Déclaration unique: declarations and their outbox of deliveries.

Revision ID: 0003_declarations
Revises: 0002_accounts
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_declarations"
down_revision = "0002_accounts"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "declarations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("number", sa.String(24), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("journey_id", sa.String(80), nullable=False),
        sa.Column("journey_version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("consent", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_declarations"),
        sa.UniqueConstraint("number", name="uq_declarations_number"),
        sa.UniqueConstraint("run_id", name="uq_declarations_run_id"),
    )
    op.create_index("ix_declarations_user_id", "declarations", ["user_id"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.String(36), nullable=False),
        sa.Column("organisation", sa.String(40), nullable=False),
        sa.Column("partner", sa.String(40), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("payload_encrypted", sa.Text(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TZ, nullable=False),
        sa.Column("claim_token", sa.String(32), nullable=True),
        sa.Column("reference", sa.String(64), nullable=True),
        sa.Column("receipt", sa.JSON(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("rejected_fields", sa.JSON(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("delivered_at", TZ, nullable=True),
        sa.ForeignKeyConstraint(["declaration_id"], ["declarations.id"], ondelete="CASCADE",
                                name="fk_deliveries_declaration_id_declarations"),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.UniqueConstraint("idempotency_key", name="uq_deliveries_idempotency_key"),
    )
    op.create_index("ix_deliveries_declaration_id", "deliveries", ["declaration_id"])
    op.create_index("ix_deliveries_due", "deliveries", ["status", "next_attempt_at"])


def downgrade():
    op.drop_index("ix_deliveries_due", table_name="deliveries")
    op.drop_index("ix_deliveries_declaration_id", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index("ix_declarations_user_id", table_name="declarations")
    op.drop_table("declarations")

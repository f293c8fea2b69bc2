"""Business space: businesses, members, invitations, business runs, obligation ticks, activity.

Revision ID: 0011_entreprises
Revises: 0010_studio
"""
import sqlalchemy as sa
from alembic import op

revision = "0011_entreprises"
down_revision = "0010_studio"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _business_fk(table):
    return sa.ForeignKeyConstraint(["business_id"], ["businesses.id"], ondelete="CASCADE",
                                   name=f"fk_{table}_business_id_businesses")


def upgrade():
    op.create_table(
        "businesses",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("neq", sa.String(10), nullable=True),
        sa.Column("legal_form", sa.String(40), nullable=False),
        sa.Column("sector", sa.String(40), nullable=False),
        sa.Column("street", sa.String(200), nullable=True),
        sa.Column("city", sa.String(100), nullable=True),
        sa.Column("postal_code", sa.String(7), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_businesses"),
    )
    op.create_index("ix_businesses_neq", "businesses", ["neq"])
    op.create_index("ix_businesses_sector", "businesses", ["sector"])
    op.create_index("ix_businesses_created_at", "businesses", ["created_at"])
    op.create_table(
        "business_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("joined_at", TZ, nullable=False),
        _business_fk("business_members"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_business_members_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_business_members"),
        sa.UniqueConstraint("business_id", "user_id", name="uq_business_members_business_id"),
    )
    op.create_index("ix_business_members_business_id", "business_members", ["business_id"])
    op.create_index("ix_business_members_user_id", "business_members", ["user_id"])
    op.create_table(
        "business_invitations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("business_id", sa.String(36), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("invited_by", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("accepted_at", TZ, nullable=True),
        sa.Column("accepted_by", sa.Integer(), nullable=True),
        _business_fk("business_invitations"),
        sa.PrimaryKeyConstraint("id", name="pk_business_invitations"),
    )
    op.create_index("ix_business_invitations_business_id", "business_invitations", ["business_id"])
    op.create_table(
        "business_runs",
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("business_id", sa.String(36), nullable=False),
        sa.Column("journey_id", sa.String(80), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("started_at", TZ, nullable=False),
        _business_fk("business_runs"),
        sa.PrimaryKeyConstraint("run_id", name="pk_business_runs"),
    )
    op.create_index("ix_business_runs_business_id", "business_runs", ["business_id"])
    op.create_table(
        "obligation_ticks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.String(36), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=False),
        sa.Column("step_id", sa.String(100), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("done_by", sa.Integer(), nullable=True),
        sa.Column("done_at", TZ, nullable=False),
        _business_fk("obligation_ticks"),
        sa.PrimaryKeyConstraint("id", name="pk_obligation_ticks"),
        sa.UniqueConstraint("business_id", "run_id", "step_id", "due_date", name="uq_obligation_ticks_business_id"),
    )
    op.create_index("ix_obligation_ticks_business_id", "obligation_ticks", ["business_id"])
    op.create_table(
        "business_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("at", TZ, nullable=False),
        _business_fk("business_events"),
        sa.PrimaryKeyConstraint("id", name="pk_business_events"),
    )
    op.create_index("ix_business_events_business_id", "business_events", ["business_id"])
    op.create_index("ix_business_events_at", "business_events", ["at"])


def downgrade():
    for table in ("business_events", "obligation_ticks", "business_runs", "business_invitations",
                  "business_members"):
        op.drop_table(table)
    op.drop_index("ix_businesses_created_at", table_name="businesses")
    op.drop_index("ix_businesses_sector", table_name="businesses")
    op.drop_index("ix_businesses_neq", table_name="businesses")
    op.drop_table("businesses")

"""sign-in throttled per (username, address) instead of locking accounts; placements keep their request's hash

Revision ID: 0013
Revises: 0010
Create Date: 2026-11-23 18:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttles",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username", "address", name=op.f("pk_login_throttles")),
    )
    op.create_index(op.f("ix_login_throttles_last_failed_at"), "login_throttles", ["last_failed_at"])
    # An account lock let anyone lock anyone out; the throttle above replaces it.
    op.drop_column("users", "locked_until")
    op.drop_column("users", "failed_logins")
    op.add_column("orders", sa.Column("request_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("orders", "request_hash")
    op.add_column("users", sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
    op.add_column("users", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.drop_index(op.f("ix_login_throttles_last_failed_at"), table_name="login_throttles")
    op.drop_table("login_throttles")

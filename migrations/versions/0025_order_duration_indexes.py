"""indexes holding the times to accept and to deliver in order, overall and by local month

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-24 07:00:00

The median and p90 times of a city's statistics are read at their ranks from these instead of
sorting every order of the range (resolvers.statistics.percentiles). The expressions are written
out as the statistics spell them (models.statistics.hours_between, local_month): a migration
keeps the schema of its day, and PostgreSQL uses an expression index only for the same expression.
"""

from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

ACCEPT = "(date_part('epoch', responded_at - created_at) / CAST(3600.0 AS DOUBLE PRECISION))"
DELIVER = "(date_part('epoch', delivered_at - created_at) / CAST(3600.0 AS DOUBLE PRECISION))"
MONTH = "date_trunc('month', timezone('Asia/Shanghai', created_at))"

INDEXES = {
    "ix_orders_hours_to_accept": (
        ACCEPT,
        "created_at, responded_at, status",
        "responded_at IS NOT NULL",
    ),
    "ix_orders_hours_to_deliver": (DELIVER, "created_at, delivered_at", "delivered_at IS NOT NULL"),
    "ix_orders_local_month_hours_to_accept": (
        f"{MONTH}, {ACCEPT}",
        "created_at, responded_at, status",
        "responded_at IS NOT NULL",
    ),
    "ix_orders_local_month_hours_to_deliver": (
        f"{MONTH}, {DELIVER}",
        "created_at, delivered_at",
        "delivered_at IS NOT NULL",
    ),
}


def upgrade() -> None:
    for name, (keys, included, condition) in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON orders ({keys}) INCLUDE ({included}) WHERE {condition}")


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="orders")

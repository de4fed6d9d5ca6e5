"""the times to accept and to deliver as columns of orders, in the statistics' covering indexes and
indexed in order, overall and by local month

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-24 07:15:00

The median and p90 times of statistics sort these times (or, for every order of a range, read
them at their ranks from the indexes in order: resolvers.statistics.percentiles). Stored and
generated, each is computed once when its order changes instead of for every order a statistic
counts, and the covering indexes hold them, so a statistic reads them without visiting the table.
The expressions and the lists of columns are written out: a migration keeps the schema of its day.
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

ACCEPT = (
    "CASE WHEN responded_at IS NOT NULL AND status <> 'DECLINED' "
    "THEN date_part('epoch', responded_at - created_at) / 3600.0 END"
)
DELIVER = "CASE WHEN delivered_at IS NOT NULL THEN date_part('epoch', delivered_at - created_at) / 3600.0 END"
MONTH = "date_trunc('month', timezone('Asia/Shanghai', created_at))"
BEFORE = [
    "provider_id",
    "service_id",
    "project_id",
    "urgency",
    "status",
    "responded_at",
    "delivered_at",
    "response_due_at",
    "delivery_due_at",
    "rating",
    "satisfaction",
]
AFTER = [*BEFORE, "hours_to_accept", "hours_to_deliver"]


def _covering(included: list[str]) -> None:
    op.create_index(
        "ix_orders_statistics_created_at",
        "orders",
        ["created_at"],
        postgresql_include=["station_id", *included],
    )
    op.create_index(
        "ix_orders_statistics_station_id_created_at",
        "orders",
        ["station_id", "created_at"],
        postgresql_include=included,
    )


def _drop_covering() -> None:
    op.drop_index("ix_orders_statistics_station_id_created_at", table_name="orders")
    op.drop_index("ix_orders_statistics_created_at", table_name="orders")


def _by_key(included: list[str]) -> None:
    for key in ("station_id", "provider_id", "urgency", "kind"):
        op.drop_index(f"ix_orders_{key}_created_at_id", table_name="orders")
        op.create_index(
            f"ix_orders_{key}_created_at_id", "orders", [key, "created_at", "id"], postgresql_include=included
        )


def upgrade() -> None:
    op.add_column("orders", sa.Column("hours_to_accept", sa.Float(), sa.Computed(ACCEPT, persisted=True)))
    op.add_column("orders", sa.Column("hours_to_deliver", sa.Float(), sa.Computed(DELIVER, persisted=True)))
    _drop_covering()
    _covering(AFTER)
    # Narrower than the covering index, and in the order of their groups, they serve the times
    # sorted within groups by place, provider, urgency and kind.
    _by_key(["hours_to_accept", "hours_to_deliver"])
    for name in ("hours_to_accept", "hours_to_deliver"):
        op.execute(
            f"CREATE INDEX ix_orders_{name} ON orders ({name}) INCLUDE (created_at) WHERE {name} IS NOT NULL"
        )
        op.execute(
            f"CREATE INDEX ix_orders_local_month_{name} ON orders ({MONTH}, {name}) INCLUDE (created_at) "
            f"WHERE {name} IS NOT NULL"
        )


def downgrade() -> None:
    for name in ("hours_to_accept", "hours_to_deliver"):
        op.drop_index(f"ix_orders_local_month_{name}", table_name="orders")
        op.drop_index(f"ix_orders_{name}", table_name="orders")
    _by_key([])
    _drop_covering()
    _covering(BEFORE)
    op.drop_column("orders", "hours_to_deliver")
    op.drop_column("orders", "hours_to_accept")

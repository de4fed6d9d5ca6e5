"""statistics: exact summaries of orders (by day × district × urgency; by month × town, provider ×
district, or district × category × tier, each × urgency), kept by triggers

Revision ID: 0017
Revises: 0020
Create Date: 2026-11-23 21:45:00

Three statement-level triggers on `orders` (insert, update, delete; PostgreSQL allows transition
tables on one event per trigger) append the change of each key to each summary's delta table:
insert-only, so concurrent writers never wait on a shared summary row (models.statistics). The
existing orders are summarized here once. Every table announces its changes to the response cache
like every table a response reads (0007). The partial indexes of owed deadlines INCLUDE what a
statistic reads of the overdue orders, counted live.
"""

import sqlalchemy as sa
from alembic import op

from models.statistics import GRAINS, ORDER_FACTS, Grain

revision = "0017"
down_revision = "0020"
branch_labels = None
depends_on = None

ENUMS = {
    "urgency": "urgency IN ('EMERGENCY', 'KEY', 'ROUTINE')",
    "tier": "tier IN ('BOTTOM_LINE', 'BASIC', 'QUALITY')",
}
# Primary keys of the summaries, and the tables their key columns refer to.
PRIMARY_KEYS = {
    "order_daily_figures": ("day", "district_id", "urgency"),
    "order_town_month_figures": ("month", "town_id", "urgency"),
    "order_provider_month_figures": ("month", "provider_id", "district_id", "urgency"),
    "order_subject_month_figures": ("month", "district_id", "category_id", "tier", "urgency"),
}
REFERS = {
    "order_daily_figures": {"district_id": "districts"},
    "order_town_month_figures": {"town_id": "towns"},
    "order_provider_month_figures": {"provider_id": "providers", "district_id": "districts"},
    "order_subject_month_figures": {"district_id": "districts", "category_id": "categories"},
}
OVERDUE_COLUMNS = (
    "created_at",
    "station_id",
    "provider_id",
    "service_id",
    "project_id",
    "urgency",
    "responded_at",
    "delivered_at",
)
OVERDUE_INDEXES = [
    ("ix_orders_response_due_at_awaiting_response", "response_due_at", "status = 'SUBMITTED'"),
    (
        "ix_orders_delivery_due_at_awaiting_delivery",
        "delivery_due_at",
        "status IN ('SUBMITTED', 'ACCEPTED', 'SCHEDULED', 'IN_PROGRESS')",
    ),
]
# (trigger event, the transition tables it has, the rows and signs it appends)
TRIGGERS = {
    "insert": ("REFERENCING NEW TABLE AS new_rows", [("new_rows", 1)]),
    "update": (
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        [("new_rows", 1), ("old_rows", -1)],
    ),
    "delete": ("REFERENCING OLD TABLE AS old_rows", [("old_rows", -1)]),
}


def _key_column(name: str) -> sa.Column:
    if name in ("day", "month"):
        return sa.Column(name, sa.Date(), nullable=False)
    if name in ENUMS:
        return sa.Column(name, sa.Enum(name=name, native_enum=False, length=32), nullable=False)
    return sa.Column(name, sa.Integer(), nullable=False)


def _create(grain: Grain) -> None:
    enums = [
        sa.CheckConstraint(ENUMS[key], name=op.f(f"ck_{grain.table}_{key}"))
        for key in grain.keys
        if key in ENUMS
    ]
    facts = [sa.Column(name, sa.Integer(), nullable=False) for name in ORDER_FACTS]
    op.create_table(
        grain.table,
        *(_key_column(key) for key in grain.keys),
        *facts,
        *enums,
        *(
            sa.ForeignKeyConstraint([key], [f"{table}.id"], name=op.f(f"fk_{grain.table}_{key}_{table}"))
            for key, table in REFERS[grain.table].items()
        ),
        sa.PrimaryKeyConstraint(*PRIMARY_KEYS[grain.table], name=op.f(f"pk_{grain.table}")),
    )
    deltas_enums = [
        sa.CheckConstraint(ENUMS[key], name=op.f(f"ck_{grain.deltas}_{key}"))
        for key in grain.keys
        if key in ENUMS
    ]
    op.create_table(
        grain.deltas,
        sa.Column("id", sa.Integer(), nullable=False),
        *(_key_column(key) for key in grain.keys),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in ORDER_FACTS),
        *deltas_enums,
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{grain.deltas}")),
    )
    # A district's rows, for a statistic filtered by district (the primary key leads with the moment).
    moment = "month" if grain.monthly else "day"
    op.create_index(f"ix_{grain.table}_district_id_{moment}", grain.table, ["district_id", moment])
    for table in (grain.table, grain.deltas):
        op.execute(
            f"CREATE TRIGGER doorstep_response_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION doorstep_announce_table_change()"
        )


def upgrade() -> None:
    for grain in GRAINS:
        _create(grain)
    for event, (referencing, parts) in TRIGGERS.items():
        inserts = "\n  ".join(
            f"INSERT INTO {grain.deltas} ({grain.columns}) {grain.facts_select(*parts)};" for grain in GRAINS
        )
        op.execute(
            f"""
CREATE FUNCTION doorstep_order_figures_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {inserts}
  RETURN NULL;
END $$"""
        )
        op.execute(
            f"CREATE TRIGGER doorstep_order_figures_{event} AFTER {event.upper()} ON orders "
            f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION doorstep_order_figures_{event}()"
        )
    for name, key, where in OVERDUE_INDEXES:
        op.drop_index(name, table_name="orders")
        op.create_index(
            name, "orders", [key], postgresql_include=list(OVERDUE_COLUMNS), postgresql_where=sa.text(where)
        )
    for grain in GRAINS:
        op.execute(f"INSERT INTO {grain.table} ({grain.columns}) {grain.facts_select(('orders', 1))}")


def downgrade() -> None:
    for name, key, where in OVERDUE_INDEXES:
        op.drop_index(name, table_name="orders")
        op.create_index(name, "orders", [key], postgresql_where=sa.text(where))
    for event in TRIGGERS:
        op.execute(f"DROP TRIGGER doorstep_order_figures_{event} ON orders")
        op.execute(f"DROP FUNCTION doorstep_order_figures_{event}()")
    for grain in GRAINS:
        op.drop_table(grain.deltas)
        op.drop_table(grain.table)

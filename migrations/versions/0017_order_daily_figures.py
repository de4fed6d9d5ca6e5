"""statistics: the exact daily summary of orders (day × district × urgency), kept by triggers

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-23 21:45:00

Three statement-level triggers on `orders` (insert, update, delete; PostgreSQL allows transition
tables on one event per trigger) append the change of each key to `order_daily_figure_deltas`:
insert-only, so concurrent writers never wait on a shared summary row (models.statistics). The
existing orders are summarized here once. Both tables announce their changes to the response cache
like every table a response reads (0007).
"""

import sqlalchemy as sa
from alembic import op

from models.statistics import ORDER_FACTS, SUMMARY_COLUMNS, order_facts_select

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# The overdue deadlines are counted live from the open orders: their partial indexes INCLUDE
# what a statistic reads of them, so it reads no table row.
OVERDUE_COLUMNS = ("created_at", "station_id", "urgency", "responded_at", "delivered_at")
OVERDUE_INDEXES = [
    ("ix_orders_response_due_at_awaiting_response", "response_due_at", "status = 'SUBMITTED'"),
    (
        "ix_orders_delivery_due_at_awaiting_delivery",
        "delivery_due_at",
        "status IN ('SUBMITTED', 'ACCEPTED', 'SCHEDULED', 'IN_PROGRESS')",
    ),
]
URGENCY_CHECK = "urgency IN ('EMERGENCY', 'KEY', 'ROUTINE')"

# (trigger event, the transition tables it has, the rows and signs it appends)
TRIGGERS = {
    "insert": ("REFERENCING NEW TABLE AS new_rows", [("new_rows", 1)]),
    "update": (
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        [("new_rows", 1), ("old_rows", -1)],
    ),
    "delete": ("REFERENCING OLD TABLE AS old_rows", [("old_rows", -1)]),
}


def _facts() -> list[sa.Column]:
    return [sa.Column(name, sa.Integer(), nullable=False) for name in ORDER_FACTS]


def upgrade() -> None:
    op.create_table(
        "order_daily_figures",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("urgency", sa.Enum(name="urgency", native_enum=False, length=32), nullable=False),
        *_facts(),
        sa.CheckConstraint(URGENCY_CHECK, name=op.f("ck_order_daily_figures_urgency")),
        sa.ForeignKeyConstraint(
            ["district_id"], ["districts.id"], name=op.f("fk_order_daily_figures_district_id_districts")
        ),
        sa.PrimaryKeyConstraint("day", "district_id", "urgency", name=op.f("pk_order_daily_figures")),
    )
    op.create_table(
        "order_daily_figure_deltas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=False),
        sa.Column("urgency", sa.Enum(name="urgency", native_enum=False, length=32), nullable=False),
        *_facts(),
        sa.CheckConstraint(URGENCY_CHECK, name=op.f("ck_order_daily_figure_deltas_urgency")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_daily_figure_deltas")),
    )
    op.create_index("ix_order_daily_figure_deltas_day", "order_daily_figure_deltas", ["day"])
    for event, (referencing, parts) in TRIGGERS.items():
        op.execute(
            f"""
CREATE FUNCTION doorstep_order_daily_figures_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO order_daily_figure_deltas ({SUMMARY_COLUMNS}) {order_facts_select(*parts)};
  RETURN NULL;
END $$"""
        )
        op.execute(
            f"CREATE TRIGGER doorstep_order_daily_figures_{event} AFTER {event.upper()} ON orders "
            f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION doorstep_order_daily_figures_{event}()"
        )
    for table in ("order_daily_figures", "order_daily_figure_deltas"):
        op.execute(
            f"CREATE TRIGGER doorstep_response_cache AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION doorstep_announce_table_change()"
        )
    for name, key, where in OVERDUE_INDEXES:
        op.drop_index(name, table_name="orders")
        op.create_index(
            name, "orders", [key], postgresql_include=list(OVERDUE_COLUMNS), postgresql_where=sa.text(where)
        )
    op.execute(f"INSERT INTO order_daily_figures ({SUMMARY_COLUMNS}) {order_facts_select(('orders', 1))}")


def downgrade() -> None:
    for event in TRIGGERS:
        op.execute(f"DROP TRIGGER doorstep_order_daily_figures_{event} ON orders")
        op.execute(f"DROP FUNCTION doorstep_order_daily_figures_{event}()")
    for name, key, where in OVERDUE_INDEXES:
        op.drop_index(name, table_name="orders")
        op.create_index(name, "orders", [key], postgresql_where=sa.text(where))
    op.drop_table("order_daily_figure_deltas")
    op.drop_table("order_daily_figures")

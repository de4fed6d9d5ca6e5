"""live order events: commit-ordered outbox, deadline alerts; merges 0003 and 0004

Revision ID: 0005
Revises: 0003, 0004
Create Date: 2026-11-21 05:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = ("0003", "0004")
branch_labels = None
depends_on = None

ACTIONS = [
    "PLACE",
    "ACCEPT",
    "DECLINE",
    "SCHEDULE",
    "START",
    "DELIVER",
    "CONFIRM_DELIVERY",
    "REJECT_DELIVERY",
    "CANCEL",
    "EVALUATE",
    "RECORD_COORDINATION_MEETING",
]
ALERTS = ["DEADLINE_NEARING", "DEADLINE_PASSED"]
AWAITING_DELIVERY = "status IN ('SUBMITTED', 'ACCEPTED', 'SCHEDULED', 'IN_PROGRESS')"


def _in(values: list[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def upgrade() -> None:
    # Nearing alerts fire with a quarter of the time limit left; existing orders get the
    # same moment measured from placement.
    op.add_column("orders", sa.Column("response_alert_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("orders", sa.Column("delivery_alert_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE orders SET response_alert_at = response_due_at - (response_due_at - created_at) / 4,"
        " delivery_alert_at = delivery_due_at - (delivery_due_at - created_at) / 4"
    )
    op.alter_column("orders", "response_alert_at", nullable=False)
    op.alter_column("orders", "delivery_alert_at", nullable=False)
    op.create_index(
        "ix_orders_response_alert_at_awaiting_response",
        "orders",
        ["response_alert_at"],
        postgresql_where=sa.text("status = 'SUBMITTED'"),
    )
    op.create_index(
        "ix_orders_delivery_alert_at_awaiting_delivery",
        "orders",
        ["delivery_alert_at"],
        postgresql_where=sa.text(AWAITING_DELIVERY),
    )

    op.drop_constraint(op.f("ck_order_events_orderaction"), "order_events", type_="check")
    op.create_check_constraint("orderaction", "order_events", f"action IN ({_in(ACTIONS + ALERTS)})")
    op.add_column("order_events", sa.Column("deadline", sa.String(length=32), nullable=True))
    op.create_check_constraint("deadline", "order_events", "deadline IN ('RESPONSE', 'DELIVERY')")
    op.alter_column("order_events", "actor_id", nullable=True)
    op.alter_column("order_events", "actor_role", nullable=True)
    op.create_check_constraint(
        "alerts_have_a_deadline_and_no_actor",
        "order_events",
        f"(action IN ({_in(ALERTS)})) = (deadline IS NOT NULL)"
        " AND (deadline IS NULL) = (actor_id IS NOT NULL)"
        " AND (actor_id IS NULL) = (actor_role IS NULL)",
    )
    op.create_index(
        "uq_order_events_order_id_deadline_action",
        "order_events",
        ["order_id", "deadline", "action"],
        unique=True,
        postgresql_where=sa.text("deadline IS NOT NULL"),
    )


def downgrade() -> None:
    # Alerts cannot be kept: they have no actor. The immutability trigger is lifted to drop them.
    op.execute("ALTER TABLE order_events DISABLE TRIGGER order_events_are_immutable")
    op.execute(f"DELETE FROM order_events WHERE action IN ({_in(ALERTS)})")
    op.execute("ALTER TABLE order_events ENABLE TRIGGER order_events_are_immutable")
    op.drop_index("uq_order_events_order_id_deadline_action", table_name="order_events")
    op.drop_constraint(
        op.f("ck_order_events_alerts_have_a_deadline_and_no_actor"), "order_events", type_="check"
    )
    op.alter_column("order_events", "actor_role", nullable=False)
    op.alter_column("order_events", "actor_id", nullable=False)
    op.drop_constraint(op.f("ck_order_events_deadline"), "order_events", type_="check")
    op.drop_column("order_events", "deadline")
    op.drop_constraint(op.f("ck_order_events_orderaction"), "order_events", type_="check")
    op.create_check_constraint("orderaction", "order_events", f"action IN ({_in(ACTIONS)})")
    op.drop_index("ix_orders_delivery_alert_at_awaiting_delivery", table_name="orders")
    op.drop_index("ix_orders_response_alert_at_awaiting_response", table_name="orders")
    op.drop_column("orders", "delivery_alert_at")
    op.drop_column("orders", "response_alert_at")

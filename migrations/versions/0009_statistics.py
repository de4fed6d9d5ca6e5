"""statistics: when each order met its deadlines, and the indexes statistics and rankings read

Revision ID: 0009
Revises: 0006
Create Date: 2026-11-23 18:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("orders", sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("orders", sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True))
    # The orders placed before this revision: when they met their deadlines, from their history.
    op.execute(
        "UPDATE orders SET responded_at = answered.at FROM (SELECT order_id, max(occurred_at) AS at"
        " FROM order_events WHERE action IN ('ACCEPT', 'DECLINE') GROUP BY order_id) AS answered"
        " WHERE answered.order_id = orders.id"
    )
    op.execute(
        "UPDATE orders SET delivered_at = delivery.at FROM (SELECT order_id, max(occurred_at) AS at"
        " FROM order_events WHERE action = 'DELIVER' GROUP BY order_id) AS delivery"
        " WHERE delivery.order_id = orders.id AND orders.status IN ('DELIVERED', 'COMPLETED', 'EVALUATED')"
    )


def downgrade() -> None:
    op.drop_column("orders", "delivered_at")
    op.drop_column("orders", "responded_at")

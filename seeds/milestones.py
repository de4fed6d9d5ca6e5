"""When each seeded order met its deadlines, read from its history.

Seeds write orders and their events in bulk, not through the lifecycle that sets
`responded_at` and `delivered_at` as it goes; this sets them from the events in one
statement each, as migration 0009 did for the orders that existed before it.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

# The provider's answer: its (only) ACCEPT or DECLINE event.
RESPONDED = """
UPDATE orders SET responded_at = answered.at
FROM (SELECT order_id, max(occurred_at) AS at FROM order_events
      WHERE action IN ('ACCEPT', 'DECLINE') GROUP BY order_id) AS answered
WHERE answered.order_id = orders.id AND orders.responded_at IS NULL
"""
# The last delivery, of orders whose delivery stands (a rejected one sent the order back).
DELIVERED = """
UPDATE orders SET delivered_at = delivery.at
FROM (SELECT order_id, max(occurred_at) AS at FROM order_events
      WHERE action = 'DELIVER' GROUP BY order_id) AS delivery
WHERE delivery.order_id = orders.id AND orders.delivered_at IS NULL
  AND orders.status IN ('DELIVERED', 'COMPLETED', 'EVALUATED')
"""


async def record_milestones(connection: AsyncConnection) -> None:
    await connection.execute(text(RESPONDED))
    await connection.execute(text(DELIVERED))

"""The message a webhook carries for an order event, as Standard Webhooks shapes it.

`{"type", "timestamp", "data"}`, with the ids the API uses (Relay global IDs), so the
receiving system can ask the API for more with its own access token. It names no resident:
a message may sit in another system's logs, and who may read a resident's details is the
API's rule (`resolvers.access.may_see_resident`), not the receiver's.
"""

from __future__ import annotations

import orjson
from strawberry.relay.utils import to_base64

from models import Order, OrderEvent


def message_id(event: OrderEvent) -> str:
    """The `webhook-id`: the same for every attempt at an event, which receivers deduplicate on."""
    return f"evt_{event.id}"


def event_type(event: OrderEvent) -> str:
    return f"order.{event.action.name.lower()}"


def event_message(event: OrderEvent, order: Order) -> str:
    """The body of the request for an event of an order, as JSON text (signed as sent)."""
    return orjson.dumps(
        {
            "type": event_type(event),
            "timestamp": event.occurred_at.isoformat(),
            "data": {
                "eventId": to_base64("OrderEvent", event.id),
                "orderId": to_base64("Order", order.id),
                "providerId": to_base64("Provider", order.provider_id),
                "stationId": to_base64("Station", order.station_id),
                "action": event.action.name,
                "fromStatus": event.from_status.name if event.from_status is not None else None,
                "toStatus": event.to_status.name,
                "deadline": event.deadline.name if event.deadline is not None else None,
                "note": event.note,
                "occurredAt": event.occurred_at.isoformat(),
            },
        }
    ).decode()

"""Live order events: the subscriptions of station screens, provider consoles and deadline alerts.

`_live` is the one place that turns a scope's events into GraphQL objects and deals
with the transport: a subscriber too slow to keep up is disconnected.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator

import strawberry
from starlette.websockets import WebSocket
from strawberry import relay
from strawberry.types import Info

from doorstep.broker import SubscriberTooSlow
from resolvers.errors import ClientError
from resolvers.orders import events as resolvers
from schema.catalog import Provider
from schema.common import decode_id
from schema.orders.types import Order, OrderEvent
from schema.places import Station

# A private-use websocket close code (4000-4999): the subscriber fell too far behind.
SLOW_SUBSCRIBER_CLOSE_CODE = 4413


@strawberry.type
class OrdersSubscription:
    @strawberry.subscription(
        description="Every event of one order you may see, as it commits. With `after` (the cursor of the "
        "last event you received) it first replays what you missed, then continues live."
    )
    async def order_events(
        self, info: Info, order_id: relay.GlobalID, after: str | None = None
    ) -> AsyncGenerator[OrderEvent, None]:
        scope = await resolvers.order_scope(info.context, decode_id(order_id, Order))
        async for event in _live(info, scope, after):
            yield event

    @strawberry.subscription(
        description="Every event of a station's orders, for its screen: for the station's staff, its town's "
        "staff and administrators. `after` resumes from a cursor."
    )
    async def station_feed(
        self, info: Info, station_id: relay.GlobalID, after: str | None = None
    ) -> AsyncGenerator[OrderEvent, None]:
        scope = await resolvers.station_scope(info.context, decode_id(station_id, Station))
        async for event in _live(info, scope, after):
            yield event

    @strawberry.subscription(
        description="New orders and every change of the orders addressed to a provider, for its console: for "
        "the provider's staff and administrators. `after` resumes from a cursor."
    )
    async def provider_inbox(
        self, info: Info, provider_id: relay.GlobalID, after: str | None = None
    ) -> AsyncGenerator[OrderEvent, None]:
        scope = await resolvers.provider_scope(info.context, decode_id(provider_id, Provider))
        async for event in _live(info, scope, after):
            yield event

    @strawberry.subscription(
        description="Deadline alerts (DEADLINE_NEARING, DEADLINE_PASSED) of the orders you may see: raised once "
        "per order, deadline and stage. `after` resumes from a cursor."
    )
    async def deadline_alerts(self, info: Info, after: str | None = None) -> AsyncGenerator[OrderEvent, None]:
        scope = resolvers.alerts_scope(info.context)
        async for event in _live(info, scope, after):
            yield event


async def _live(info: Info, scope: resolvers.EventScope, after: str | None) -> AsyncIterator[OrderEvent]:
    """Events of a scope as GraphQL objects; a subscriber too slow to keep up is disconnected."""
    try:
        async for row in resolvers.live_events(info.context, scope, after):
            yield OrderEvent.from_row(row)
    except SubscriberTooSlow as too_slow:
        socket = info.context.request
        if isinstance(socket, WebSocket):
            await socket.close(code=SLOW_SUBSCRIBER_CLOSE_CODE, reason=str(too_slow)[:120])
        raise ClientError(str(too_slow), code="SUBSCRIBER_TOO_SLOW") from None

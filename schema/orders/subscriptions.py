"""Live order events: the subscriptions of station screens, provider consoles and deadline alerts.

Each subscription follows a scope the viewer may follow (`resolvers.orders.events`),
which replays from a cursor and then continues live; the transport (doorstep.app)
decides how a subscriber too slow to keep up is disconnected.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from functools import partial
from typing import Any, cast

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers.context import Context, Loaders
from resolvers.orders import events as resolvers
from resolvers.orders.live import LiveEvent
from schema.catalog.types import Provider
from schema.common import decode_id, signed
from schema.live import Delivery, Handover
from schema.orders.types import Order, OrderEvent
from schema.places import Station


def feed(
    scope: Callable[..., Awaitable[resolvers.EventScope]],
    followed: tuple[str, type] | None = None,
    *,
    description: str,
) -> Any:
    """A subscription to the events of `scope(context[, the id of the followed node])`, which
    resumes after the event whose cursor is given as `after`. `followed` names the argument
    that gives the node's global ID, and the node's type."""

    async def subscribe(
        info: Info, after: str | None = None, **node: relay.GlobalID
    ) -> AsyncGenerator[OrderEvent, None]:
        ids = [decode_id(global_id, followed[1]) for global_id in node.values()] if followed else []
        # The socket's context serves all its operations; a subscription caches nothing in it.
        context = dataclasses.replace(info.context, loaders=Loaders())
        async for event in _live(context, await scope(context, *ids), after):
            yield event

    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info)]
    if followed is not None:
        parameters.append(inspect.Parameter(followed[0], keyword, annotation=relay.GlobalID))
    parameters.append(inspect.Parameter("after", keyword, annotation=str | None, default=None))
    resolver = signed(subscribe, parameters, AsyncGenerator[OrderEvent, None])
    return strawberry.subscription(resolver=resolver, description=description)


@strawberry.type
class OrdersSubscription:
    order_events = feed(
        resolvers.order_scope,
        ("order_id", Order),
        description="Every event of one order you may see, as it commits. With `after` (the cursor of the "
        "last event you received) it first replays what you missed, then continues live.",
    )
    station_feed = feed(
        resolvers.station_scope,
        ("station_id", Station),
        description="Every event of a station's orders, for its screen: for the station's staff, its town's "
        "staff and administrators. `after` resumes from a cursor.",
    )
    provider_inbox = feed(
        resolvers.provider_scope,
        ("provider_id", Provider),
        description="New orders and every change of the orders addressed to a provider, for its console: for "
        "the provider's staff and administrators. `after` resumes from a cursor.",
    )
    deadline_alerts = feed(
        resolvers.alerts_scope,
        description="Deadline alerts (DEADLINE_NEARING, DEADLINE_PASSED) of the orders you may see: raised once "
        "per order, deadline and stage. `after` resumes from a cursor.",
    )


async def _live(
    context: Context, scope: resolvers.EventScope, after: str | None
) -> AsyncIterator[OrderEvent]:
    async for live in resolvers.live_events(context, scope, after):
        # The executor (schema.live.LiveExecutor) unwraps the delivery, or hands the live events
        # over to the transport; to strawberry, which types the field from this generator, it
        # is the event it carries.
        if isinstance(live, resolvers.Follow):
            yield cast(OrderEvent, Handover(live, _shared_delivery))
        else:
            yield cast(OrderEvent, _shared_delivery(live))


def _shared_delivery(live: LiveEvent) -> Delivery:
    return live.kept(Delivery, partial(_delivery, live))


def _delivery(live: LiveEvent) -> Delivery:
    """What the subscribers of an event are given: one per event, however many it reaches."""
    return Delivery(OrderEvent.from_row(live.event), live)

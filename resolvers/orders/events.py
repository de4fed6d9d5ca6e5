"""The order history as an outbox: appending events, and following them live.

Every change of an order appends an event in the transaction that made it
(`append_event`). Event ids grow in commit order, so "after id N" is a cursor that
never skips an event; subscriptions replay from such a cursor, then continue with
what the broker announces. Which events a subscriber receives is its `EventScope`,
granted by the rules of `resolvers.access`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, insert, select, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Order, OrderAction, OrderEvent, OrderStatus, Station
from models.orders import DEADLINE_ALERTS
from resolvers.access import alert_scope, may_follow_provider, may_follow_station, not_visible, require_role
from resolvers.context import Context, Viewer
from resolvers.errors import ClientError, SubscriberTooSlow
from resolvers.orders.live import LiveEvent
from resolvers.orders.queries import order_loader

# Serialises the writers of events to the commit (see claim_event_ids).
EVENT_LOCK = 0x6576656E74
EVENT_CHANNEL = "doorstep_order_events"
REPLAY_PAGE = 200


async def append_event(
    session: AsyncSession,
    order: Order,
    *,
    action: OrderAction,
    from_status: OrderStatus | None,
    actor: Viewer,
    note: str = "",
) -> None:
    """Record a change of `order` (already applied) in its history, in the caller's transaction.

    The one place people's events are written, so the history stays complete and ordered.
    Call it last in the transaction: it holds the event lock until the commit.
    """
    await claim_event_ids(session)
    inserted = await session.execute(
        insert(OrderEvent)
        .values(
            order_id=order.id,
            action=action,
            from_status=from_status,
            to_status=order.status,
            actor_id=actor.user_id,
            actor_role=actor.role,
            note=note,
        )
        .returning(OrderEvent.id)
    )
    await announce_events(session, inserted.scalar_one())


async def claim_event_ids(session: AsyncSession) -> None:
    """Make event ids grow in commit order, so a cursor "after id N" never skips an event.

    A sequence hands out ids at insert, not at commit: a transaction holding id 10 may
    commit after the one holding 11, and a reader that saw 11 would never see 10. Taking
    this lock before inserting, and holding it to the commit, lets one writer at a time
    take ids and commit; writers of events wait for each other only at their very end.
    """
    await session.execute(select(func.pg_advisory_xact_lock(EVENT_LOCK)))


async def announce_events(session: AsyncSession, newest_id: int) -> None:
    """Wake the listeners of every process when the transaction commits (NOTIFY is transactional).

    The notification carries the id only: listeners read the events from the table.
    """
    await session.execute(select(func.pg_notify(EVENT_CHANNEL, str(newest_id))))


def _live_events_query() -> Select[OrderEvent, int, int, int]:
    return (
        select(OrderEvent, Order.station_id, Order.provider_id, Station.town_id)
        .join(Order, Order.id == OrderEvent.order_id)
        .join(Station, Station.id == Order.station_id)
        .order_by(OrderEvent.id)
    )


async def events_after(
    sessionmaker: async_sessionmaker[AsyncSession], after_id: int, limit: int
) -> list[LiveEvent]:
    """Committed events after an id, in commit order (the broker's read)."""
    async with sessionmaker() as session:
        rows = await session.execute(_live_events_query().where(OrderEvent.id > after_id).limit(limit))
        return [LiveEvent(*row) for row in rows]


async def latest_event_id(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        latest = await session.execute(select(func.coalesce(func.max(OrderEvent.id), 0)))
        return int(latest.scalar_one())


@dataclass(frozen=True)
class EventScope:
    """Which events a subscription receives; None means any."""

    order_id: int | None = None
    station_id: int | None = None
    provider_id: int | None = None
    town_id: int | None = None
    alerts_only: bool = False

    def accepts(self, live: LiveEvent) -> bool:
        return (
            (self.order_id is None or live.event.order_id == self.order_id)
            and (self.station_id is None or live.station_id == self.station_id)
            and (self.provider_id is None or live.provider_id == self.provider_id)
            and (self.town_id is None or live.town_id == self.town_id)
            and (not self.alerts_only or live.event.action in DEADLINE_ALERTS)
        )

    def condition(self) -> ColumnElement[bool]:
        conditions = [
            column == value
            for column, value in (
                (OrderEvent.order_id, self.order_id),
                (Order.station_id, self.station_id),
                (Order.provider_id, self.provider_id),
                (Station.town_id, self.town_id),
            )
            if value is not None
        ]
        if self.alerts_only:
            conditions.append(OrderEvent.action.in_(DEADLINE_ALERTS))
        return and_(true(), *conditions)


async def order_scope(ctx: Context, order_id: int) -> EventScope:
    """Every event of one order the viewer may see."""
    require_role(ctx)
    if await order_loader(ctx).load(order_id) is None:
        raise not_visible("order")
    return EventScope(order_id=order_id)


async def station_scope(ctx: Context, station_id: int) -> EventScope:
    """Every event of a station's orders."""
    viewer = require_role(ctx)
    async with ctx.db.session() as session:
        town_id = await session.scalar(select(Station.town_id).where(Station.id == station_id))
    if not may_follow_station(viewer, station_id, town_id):
        raise not_visible("station")
    return EventScope(station_id=station_id)


async def provider_scope(ctx: Context, provider_id: int) -> EventScope:
    """New orders and every change of the orders addressed to a provider."""
    if not may_follow_provider(require_role(ctx), provider_id):
        raise not_visible("provider")
    return EventScope(provider_id=provider_id)


async def alerts_scope(ctx: Context) -> EventScope:
    """Deadline alerts of the orders the viewer may see."""
    return EventScope(**alert_scope(require_role(ctx)), alerts_only=True)


def event_cursor(event_id: int) -> str:
    return base64.urlsafe_b64encode(f"event:{event_id}".encode()).decode().rstrip("=")


def parse_event_cursor(cursor: str) -> int:
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition(":")
        if kind != "event" or not value.isdigit():
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ClientError(
            "Invalid cursor: pass the `cursor` of the last event you received.", code="INVALID_CURSOR"
        ) from None


async def live_events(ctx: Context, scope: EventScope, after: str | None) -> AsyncIterator[OrderEvent]:
    """The events of a scope after a cursor, replayed from the history, then live: no gap, no repeat.

    The subscriber registers with the broker before replaying, so an event committed
    during the replay is both read and queued; ids tell the repeat apart.
    """
    broker = ctx.broker
    cursor = parse_event_cursor(after) if after is not None else None
    position = await broker.position()
    last_seen = cursor if cursor is not None else position
    subscriber = broker.subscribe(scope.accepts)
    try:
        if after is not None:
            while True:
                async with ctx.db.session() as session:
                    rows = await session.execute(
                        _live_events_query()
                        .where(OrderEvent.id > last_seen, scope.condition())
                        .limit(REPLAY_PAGE)
                    )
                    page = [row[0] for row in rows]
                for event in page:
                    yield event
                    last_seen = event.id
                    await _between_events(ctx)
                if len(page) < REPLAY_PAGE:
                    break
        async for live in subscriber.events():
            if live.id <= last_seen:
                continue
            yield live.event
            last_seen = live.id
            await _between_events(ctx)
    except SubscriberTooSlow as too_slow:
        if ctx.drop_subscriber is not None:
            await ctx.drop_subscriber(str(too_slow))
        raise
    finally:
        broker.unsubscribe(subscriber)


async def _between_events(ctx: Context) -> None:
    """A subscription lives for hours: hold no connection and cache nothing between its events."""
    await ctx.db.close()
    ctx.loaders.clear()

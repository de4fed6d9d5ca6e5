"""The order history as an outbox: appending events, and following them live.

Every change of an order appends an event in the transaction that made it
(`append_event`). Event positions grow in commit order, so "after position N" is a
cursor that never skips an event; subscriptions replay from such a cursor, then continue with
what the broker announces. Which events a subscriber receives is its `EventScope`,
granted by the rules of `resolvers.access`.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, cast, func, insert, select, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from models import Order, OrderAction, OrderEvent, OrderStatus, Project, Provider, Service, Station
from models.orders import DEADLINE_ALERTS
from resolvers.access import alert_scope, may_follow_provider, may_follow_station, not_visible, require_role
from resolvers.accounts import current_viewer, current_viewers
from resolvers.catalog.queries import provider_loader
from resolvers.context import Context, Loaders, Viewer
from resolvers.errors import AccountDeactivated, ClientError, SubscriberTooSlow
from resolvers.orders.live import LiveEvent
from resolvers.orders.queries import order_loader, subject_loader
from resolvers.places import station_loader
from resolvers.screens import current_screen_viewers

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
    One statement inserts the event and queues the NOTIFY that wakes the listeners at commit.

    Subscriptions follow events by `commit_order`, a position which must grow in commit order so that a
    cursor "after N" never skips an event. An id drawn at insert does not (a transaction
    holding id 10 may commit after the one holding 11, which a reader would already have
    passed), so the position is drawn at commit instead: a deferred constraint trigger
    (migration 0008) runs as the transaction commits, takes the position lock and draws
    the next position. The lock is held from there to the end of the commit, inside the
    server: no statement of the writer, and no round trip to a busy worker, happens under
    it, so writers queue only for each other's commit records. Positions have no gaps (one
    is drawn only by a transaction already committing).

    Weighed and not taken: the global lock taken at insert and held to the commit (what
    this replaced; it kept writers queued through their commit's round trip, a few dozen
    commits a second under load); a reader-side safe horizon from `pg_snapshot_xmin`,
    which needs no lock but holds events behind any transaction of the whole cluster, a
    long report or a pg_dump included.
    """
    values = {
        "order_id": order.id,
        "action": action,
        "from_status": from_status,
        "to_status": order.status,
        "actor_id": actor.user_id,
        "actor_role": actor.role,
        "note": note,
    }
    inserted = insert(OrderEvent).values(**values).returning(OrderEvent.id).cte("inserted")
    await session.execute(select(func.pg_notify(EVENT_CHANNEL, cast(inserted.c.id, String))))


async def announce_events(session: AsyncSession, newest_id: int) -> None:
    """Wake the listeners of every process when the transaction commits (NOTIFY is transactional).

    The notification carries the id only: listeners read the events from the table.
    """
    await session.execute(select(func.pg_notify(EVENT_CHANNEL, str(newest_id))))


def _live_events_query() -> Select[OrderEvent, Order, Station, Provider, Service | None, Project | None]:
    """Events with what subscribers show of them, as `LiveEvent` takes them."""
    return (
        select(OrderEvent, Order, Station, Provider, Service, Project)
        .join(Order, Order.id == OrderEvent.order_id)
        .join(Station, Station.id == Order.station_id)
        .join(Provider, Provider.id == Order.provider_id)
        .outerjoin(Service, Service.id == Order.service_id)
        .outerjoin(Project, Project.id == Order.project_id)
        .order_by(OrderEvent.commit_order)
    )


def live_loaders(ctx: Context, live: LiveEvent) -> Loaders:
    """`ctx.loaders`, holding the rows the broker read with the event, for rendering it to `ctx.viewer`.

    The event's order is one the subscriber may see (`resolvers.access.may_follow_station`
    and its siblings grant only scopes whose orders `visible_orders` shows the follower,
    and the account is checked unchanged at each event), and stations, providers and the
    subject of an order are seen by whoever sees the order.
    """
    order_loader(ctx).prime(live.order.id, live.order)
    station_loader(ctx).prime(live.station.id, live.station)
    provider_loader(ctx).prime(live.provider.id, live.provider)
    if live.service is not None:
        subject_loader(ctx, Service).prime(live.service.id, live.service)
    if live.project is not None:
        subject_loader(ctx, Project).prime(live.project.id, live.project)
    return ctx.loaders


async def events_after(
    sessionmaker: async_sessionmaker[AsyncSession], after: int, limit: int
) -> list[LiveEvent]:
    """Committed events after a position, in commit order (the broker's read)."""
    async with sessionmaker() as session:
        rows = await session.execute(_live_events_query().where(OrderEvent.commit_order > after).limit(limit))
        batch: dict[Hashable, Any] = {}
        return [LiveEvent(*row, _batch=batch) for row in rows]


async def latest_event_id(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """The position of the newest committed event."""
    async with sessionmaker() as session:
        latest = await session.scalar(select(func.max(OrderEvent.commit_order)))
        return latest or 0


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


async def live_events(ctx: Context, scope: EventScope, after: str | None) -> AsyncIterator[LiveEvent]:
    """The events of a scope after a cursor, replayed from the history, then live: no gap, no repeat.

    The subscriber registers with the broker before replaying, so an event committed
    during the replay is both read and queued; ids tell the repeat apart. Each live event
    is delivered only while the account that subscribed is still active and unchanged.
    `ctx.db` must hold nothing between its blocks (`resolvers.context.StatementSessions`):
    a subscription waits for hours, and may be ended at any await.
    """
    broker = ctx.broker
    cursor = parse_event_cursor(after) if after is not None else None
    position = await broker.position()
    last_seen = cursor if cursor is not None else position
    subscriber = broker.subscribe(scope.accepts)
    try:
        if after is not None:
            _still_signed_in(ctx, await _account_now(ctx, ctx.viewer))
            while True:
                async with ctx.db.session() as session:
                    rows = await session.execute(
                        _live_events_query()
                        .where(OrderEvent.commit_order > last_seen, scope.condition())
                        .limit(REPLAY_PAGE)
                    )
                    page = [LiveEvent(*row) for row in rows]
                for live in page:
                    yield live
                    last_seen = live.id
                if len(page) < REPLAY_PAGE:
                    break
        async for live in subscriber.events():
            if live.id <= last_seen:
                continue
            _still_signed_in(ctx, await _account_at(ctx, live))
            yield live
            last_seen = live.id
    except (SubscriberTooSlow, AccountDeactivated) as ended:
        if ctx.drop_subscriber is not None:
            await ctx.drop_subscriber(ended)
        raise
    finally:
        broker.unsubscribe(subscriber)


async def _account_at(ctx: Context, live: LiveEvent) -> Viewer | None:
    """The subscriber's account as it is when the event is delivered.

    One statement for every account the subscribers signed in with, shared by all the
    events the broker read together: the accounts are read after all of those events
    committed, so a deactivation committed before any of them is seen at its delivery.
    Under load the broker reads many events at once and the check costs less per event.
    A screen's token is checked alike: revoked, it is refused as a deactivated account is.
    """
    current: Callable[[AsyncSession, list[int]], Awaitable[list[Viewer]]]
    if ctx.viewer.screen_id is not None:
        key, credential, current = "screens", ctx.viewer.screen_id, current_screen_viewers
    elif ctx.viewer.user_id is not None:
        key, credential, current = "accounts", ctx.viewer.user_id, current_viewers
    else:
        return ctx.viewer

    async def credentials(ids: list[int]) -> list[Viewer | None]:
        async with ctx.db.session() as session:
            found = {_credential_of(viewer): viewer for viewer in await current(session, ids)}
        return [found.get(credential_id) for credential_id in ids]

    # Accounts and screen tokens are read by a statement each, only when a subscriber of the batch needs it.
    loader = live.kept_for_batch(key, lambda: DataLoader(load_fn=credentials))
    answer = loader.load(credential)
    if isinstance(answer, asyncio.Future) and answer.done():
        # Most subscribers of a batch find it read already: no wait, no turn of the loop.
        return answer.result()
    # Shielded: a subscriber that leaves must not cancel the answer the others await.
    return await asyncio.shield(answer)


def _credential_of(viewer: Viewer) -> int | None:
    return viewer.screen_id if viewer.is_screen else viewer.user_id


async def _account_now(ctx: Context, viewer: Viewer) -> Viewer | None:
    if viewer.screen_id is not None:
        async with ctx.db.session() as session:
            screens = await current_screen_viewers(session, [viewer.screen_id])
        return screens[0] if screens else None
    if viewer.user_id is None:
        return viewer
    async with ctx.db.session() as session:
        return await current_viewer(session, viewer.user_id)


def _still_signed_in(ctx: Context, now: Viewer | None) -> None:
    if now is None:
        raise AccountDeactivated("screen token revoked" if ctx.viewer.is_screen else "account deactivated")
    if now != ctx.viewer:
        raise AccountDeactivated("account changed; sign in again")

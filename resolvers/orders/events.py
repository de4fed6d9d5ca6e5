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
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, String, and_, cast, func, insert, select, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Order, OrderAction, OrderEvent, OrderStatus, Project, Provider, Service, Station
from models.orders import DEADLINE_ALERTS
from resolvers.access import alert_scope, may_follow_provider, may_follow_station, not_visible, require_role
from resolvers.accounts import current_viewer, current_viewers
from resolvers.catalog.queries import provider_loader
from resolvers.context import Context, Database, EventSubscriber, Loaders, Viewer
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
        return [LiveEvent(*row) for row in rows]


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


@dataclass(eq=False)
class Follow:
    """The live part of a subscription, once its replay is sent: what the transport delivers from.

    Yielded by `live_events` after the replay. From then on the broker hands each event of
    the scope to the transport together with the other events of its read and the other
    subscribers they reach (`doorstep.fanout`), which renders it once per selection and
    viewer and writes it to the sockets; each subscriber's own part is `admit`. The
    subscription's generator waits at the yield until the follow has `ended`.
    """

    subscriber: EventSubscriber[LiveEvent]
    viewer: Viewer
    last_seen: int
    """The last event delivered (or replayed): an event at or before it is not sent again."""
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    reason: ClientError | None = None
    """Why it ended, when the server ended it (too slow, account changed)."""

    def admit(self, live: LiveEvent, credentials: Mapping[Credential, Viewer]) -> bool:
        """Whether to deliver `live`: new to this subscriber, and its account (or screen token) unchanged.

        `credentials` holds the active accounts and unrevoked screen tokens of the
        subscribers, read after the event committed (`credentials_now`); a subscriber whose
        credential is gone or changed is ended.
        """
        if self.ended.is_set() or live.id <= self.last_seen:
            return False
        credential = credential_of(self.viewer)
        if credential is not None:
            now = credentials.get(credential)
            if now is None:
                gone = "screen token revoked" if self.viewer.is_screen else "account deactivated"
                self.end(AccountDeactivated(gone))
                return False
            if now != self.viewer:
                self.end(AccountDeactivated("account changed; sign in again"))
                return False
        self.last_seen = live.id
        return True

    def end(self, reason: ClientError | None = None) -> None:
        if not self.ended.is_set():
            self.reason = reason
            self.ended.set()


Credential = tuple[str, int]
"""("account", user id) or ("screen", screen token id)."""


def credential_of(viewer: Viewer) -> Credential | None:
    """What a subscriber signed in with, to check at each delivery; None for nobody."""
    if viewer.screen_id is not None:
        return ("screen", viewer.screen_id)
    if viewer.user_id is not None:
        return ("account", viewer.user_id)
    return None


async def credentials_now(db: Database, credentials: set[Credential]) -> dict[Credential, Viewer]:
    """The active accounts and unrevoked screen tokens among these, as they are now: a
    statement for the accounts and one for the screens (only when some subscriber has one),
    for a whole fan-out."""
    user_ids = sorted(identity for kind, identity in credentials if kind == "account")
    screen_ids = sorted(identity for kind, identity in credentials if kind == "screen")
    found: dict[Credential, Viewer] = {}
    async with db.session() as session:
        if user_ids:
            for viewer in await current_viewers(session, user_ids):
                found[("account", viewer.user_id or 0)] = viewer
        if screen_ids:
            for viewer in await current_screen_viewers(session, screen_ids):
                found[("screen", viewer.screen_id or 0)] = viewer
    return found


async def live_events(
    ctx: Context, scope: EventScope, after: str | None
) -> AsyncIterator[LiveEvent | Follow]:
    """The events of a scope after a cursor replayed from the history, then a `Follow`: no gap, no repeat.

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
    subscriber = broker.subscribe(scope)
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
        follow = Follow(subscriber, ctx.viewer, last_seen)
        # Resumed once the transport stopped following: the follow ended, or the client left.
        yield follow
        if not follow.ended.is_set():
            raise RuntimeError("the transport resumed a subscription it was still following")
        if follow.reason is not None:
            raise follow.reason
    except (SubscriberTooSlow, AccountDeactivated) as ended:
        if ctx.drop_subscriber is not None:
            await ctx.drop_subscriber(ended)
        raise
    finally:
        broker.unsubscribe(subscriber)


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

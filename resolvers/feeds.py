"""Feeds each subscriber follows itself (case and task events): replay after a cursor, then live.

Order events go further (the transport takes a subscriber over after its replay and fans an
event out once per group, `resolvers/orders/events.py`); case and task events are a few a
minute per station, so each subscriber reads its broker queue and checks its own account.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from resolvers.accounts import current_viewer
from resolvers.context import Context, EventBroker, SubscriptionScope
from resolvers.errors import AccountDeactivated, SubscriberTooSlow
from resolvers.orders.events import parse_event_cursor


class Positioned(Protocol):
    @property
    def id(self) -> int:
        """The event's commit position: later events have larger ones."""
        ...


P = TypeVar("P", bound=Positioned)


async def replay_then_follow(
    ctx: Context,
    broker: EventBroker[P],
    scope: SubscriptionScope[P],
    after: str | None,
    page_after: Callable[[AsyncSession, int], Awaitable[list[P]]],
    page_size: int,
) -> AsyncGenerator[P, None]:
    """The events of `scope` after the cursor `after` (or from now), replayed page by page with
    `page_after(session, last position)` (at most `page_size` each), then live: no gap (registered with the broker before
    the replay) and no repeat (positions tell repeats apart). Each is delivered only while the
    subscribing account is still active and unchanged; a slow or signed-out subscriber is dropped."""
    cursor = parse_event_cursor(after) if after is not None else None
    position = await broker.position()
    last_seen = cursor if cursor is not None else position
    subscriber = broker.subscribe(scope)
    try:
        if after is not None:
            await still_signed_in(ctx)
            while True:
                async with ctx.db.session() as session:
                    page = await page_after(session, last_seen)
                for live in page:
                    yield live
                    last_seen = live.id
                if len(page) < page_size:
                    break
        async for live in subscriber.events():
            if live.id <= last_seen:
                continue
            await still_signed_in(ctx)
            yield live
            last_seen = live.id
    except (SubscriberTooSlow, AccountDeactivated) as ended:
        if ctx.drop_subscriber is not None:
            await ctx.drop_subscriber(ended)
        raise
    finally:
        broker.unsubscribe(subscriber)


async def still_signed_in(ctx: Context) -> None:
    """Raises AccountDeactivated when the subscribing account was deactivated or changed."""
    if ctx.viewer.user_id is None:
        return
    async with ctx.db.session() as session:
        now = await current_viewer(session, ctx.viewer.user_id)
    if now is None:
        raise AccountDeactivated("account deactivated")
    if now != ctx.viewer:
        raise AccountDeactivated("account changed; sign in again")

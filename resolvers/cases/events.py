"""The case history as an outbox: appending events, and following them live.

As order events (`resolvers.orders.events`): every change of a case appends an event in
its transaction; positions are drawn at commit (migration 0018), so "after position N" is
a cursor that never skips an event. The case feeds of station and town screens replay
from such a cursor, then continue with what the case broker announces.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, String, and_, cast, func, insert, select, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Case, CaseAction, CaseEvent, CaseStatus, Station
from resolvers.access import may_follow_station, not_visible, require_role
from resolvers.cases.live import LiveCaseEvent
from resolvers.context import Context, Viewer
from resolvers.errors import ClientError
from resolvers.feeds import replay_then_follow

CASE_EVENT_CHANNEL = "doorstep_case_events"
REPLAY_PAGE = 200


async def append_case_event(
    session: AsyncSession,
    case: Case,
    *,
    action: CaseAction,
    from_status: CaseStatus | None,
    actor: Viewer,
    note: str = "",
) -> None:
    """Record a change of `case` (already applied) in its history, in the caller's transaction, and
    queue the NOTIFY that wakes the case broker at commit: who, when, what, and the owner after it."""
    inserted = (
        insert(CaseEvent)
        .values(
            case_id=case.id,
            action=action,
            from_status=from_status,
            to_status=case.status,
            actor_id=actor.user_id,
            actor_role=actor.role,
            owner_id=case.owner_id,
            note=note,
        )
        .returning(CaseEvent.id)
        .cte("inserted")
    )
    await session.execute(select(func.pg_notify(CASE_EVENT_CHANNEL, cast(inserted.c.id, String))))


def _live_query() -> Select[CaseEvent, Case, Station]:
    return (
        select(CaseEvent, Case, Station)
        .join(Case, Case.id == CaseEvent.case_id)
        .join(Station, Station.id == Case.station_id)
        .order_by(CaseEvent.commit_order)
    )


async def case_events_after(
    sessionmaker: async_sessionmaker[AsyncSession], after: int, limit: int
) -> list[LiveCaseEvent]:
    """Committed case events after a position, in commit order (the case broker's read)."""
    async with sessionmaker() as session:
        rows = await session.execute(_live_query().where(CaseEvent.commit_order > after).limit(limit))
        return [LiveCaseEvent(*row) for row in rows]


async def latest_case_event_id(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.max(CaseEvent.commit_order))) or 0


@dataclass(frozen=True)
class CaseEventScope:
    """Which case events a subscription receives; None means any."""

    case_id: int | None = None
    station_id: int | None = None
    town_id: int | None = None

    def accepts(self, live: LiveCaseEvent) -> bool:
        return (
            (self.case_id is None or live.event.case_id == self.case_id)
            and (self.station_id is None or live.station_id == self.station_id)
            and (self.town_id is None or live.town_id == self.town_id)
        )

    def condition(self) -> ColumnElement[bool]:
        pairs = (
            (CaseEvent.case_id, self.case_id),
            (Case.station_id, self.station_id),
            (Station.town_id, self.town_id),
        )
        return and_(true(), *(column == value for column, value in pairs if value is not None))


async def station_cases_scope(ctx: Context, station_id: int) -> CaseEventScope:
    """Every event of a station's cases: for its staff, its town's staff and administrators."""
    viewer = require_role(ctx)
    async with ctx.db.session() as session:
        town_id = await session.scalar(select(Station.town_id).where(Station.id == station_id))
    if not may_follow_station(viewer, station_id, town_id):
        raise not_visible("station")
    return CaseEventScope(station_id=station_id)


async def town_cases_scope(ctx: Context, town_id: int) -> CaseEventScope:
    """Every event of the cases of a town's stations: for its staff and administrators."""
    viewer = require_role(ctx)
    if not (viewer.is_admin or viewer.town_id == town_id):
        raise not_visible("town")
    return CaseEventScope(town_id=town_id)


async def live_case_events(
    ctx: Context, scope: CaseEventScope, after: str | None
) -> AsyncIterator[LiveCaseEvent]:
    """The case events of a scope after a cursor, replayed from the history, then live: no gap,
    no repeat (registered with the broker before replaying, ids telling repeats apart). Each is
    delivered only while the subscribing account is still active and unchanged."""
    broker = ctx.case_broker
    if broker is None:
        raise ClientError("Case feeds are not served here.", code="UNAVAILABLE")

    async def page_after(session: AsyncSession, last_seen: int) -> list[LiveCaseEvent]:
        rows = await session.execute(
            _live_query().where(CaseEvent.commit_order > last_seen, scope.condition()).limit(REPLAY_PAGE)
        )
        return [LiveCaseEvent(*row) for row in rows]

    # Closed with this generator, so the broker forgets the subscriber the moment the client leaves.
    async with aclosing(replay_then_follow(ctx, broker, scope, after, page_after, REPLAY_PAGE)) as events:
        async for live in events:
            yield live

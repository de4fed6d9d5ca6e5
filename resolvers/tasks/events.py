"""The task history as an outbox: appending events, and following them live.

The same design as order events (`resolvers.orders.events`): each move appends an event in
its transaction and queues a NOTIFY; the event's position is drawn at commit (migration
0019), so "after position N" never skips one; a subscription replays from a cursor and
continues with what the task broker announces. Task events are far fewer than order events
and each subscriber renders its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, String, and_, cast, func, insert, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Skill, Station, Task, TaskAction, TaskEvent, TaskStatus, Volunteer
from resolvers.access import may_follow_station, may_follow_volunteer, not_visible, require_role
from resolvers.context import Context, Viewer
from resolvers.feeds import replay_then_follow
from resolvers.tasks.live import LiveTaskEvent

TASK_EVENT_CHANNEL = "doorstep_task_events"
REPLAY_PAGE = 200
# The events that make a task open to volunteers: a volunteer's feed announces them when they qualify
# (a town's reassignment only when it opened the task again: `to_status` is OPEN).
OPENING = (TaskAction.POST, TaskAction.WITHDRAW, TaskAction.REASSIGN)


async def append_event(
    session: AsyncSession,
    task: Task,
    *,
    action: TaskAction,
    from_status: TaskStatus | None,
    actor: Viewer,
    volunteer_id: int | None,
    note: str = "",
) -> None:
    """Record a move of `task` (already applied) in its history, in the caller's transaction, and
    wake the listeners at commit. `volunteer_id` is the volunteer the move concerns (the holder
    before or after it), whose own feed carries it."""
    inserted = (
        insert(TaskEvent)
        .values(
            task_id=task.id,
            station_id=task.station_id,
            volunteer_id=volunteer_id,
            action=action,
            from_status=from_status,
            to_status=task.status,
            actor_id=actor.user_id,
            actor_role=actor.role,
            note=note,
        )
        .returning(TaskEvent.id)
        .cte("inserted")
    )
    await session.execute(select(func.pg_notify(TASK_EVENT_CHANNEL, cast(inserted.c.id, String))))


def _live_query() -> Select[TaskEvent, Task]:
    return select(TaskEvent, Task).join(Task, Task.id == TaskEvent.task_id).order_by(TaskEvent.commit_order)


async def events_after(
    sessionmaker: async_sessionmaker[AsyncSession], after: int, limit: int
) -> list[LiveTaskEvent]:
    """Committed task events after a position, in commit order (the broker's read)."""
    async with sessionmaker() as session:
        rows = await session.execute(_live_query().where(TaskEvent.commit_order > after).limit(limit))
        return [LiveTaskEvent(*row) for row in rows]


async def latest_event_id(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        latest = await session.scalar(select(func.max(TaskEvent.commit_order)))
        return latest or 0


@dataclass(frozen=True)
class TaskScope:
    """Which task events a subscription receives: a station's, or one volunteer's. For a volunteer,
    the events of the tasks they hold or held, and tasks opening at their station that they qualify
    for (their skills as they subscribed)."""

    station_id: int | None = None
    volunteer_id: int | None = None
    volunteer_station_id: int | None = None
    skills: frozenset[Skill] = frozenset()

    def accepts(self, live: LiveTaskEvent) -> bool:
        event, task = live.event, live.task
        if self.station_id is not None:
            return event.station_id == self.station_id
        if event.volunteer_id == self.volunteer_id:
            return True
        return (
            event.action in OPENING
            and event.station_id == self.volunteer_station_id
            and event.to_status is TaskStatus.OPEN
            and set(task.required_skills) <= self.skills
        )

    def condition(self) -> ColumnElement[bool]:
        if self.station_id is not None:
            return TaskEvent.station_id == self.station_id
        opening = and_(
            TaskEvent.action.in_(OPENING),
            TaskEvent.station_id == self.volunteer_station_id,
            TaskEvent.to_status == TaskStatus.OPEN,
            Task.required_skills.contained_by(sorted(self.skills, key=lambda skill: skill.name)),
        )
        return and_(true(), or_(TaskEvent.volunteer_id == self.volunteer_id, opening))


async def station_scope(ctx: Context, station_id: int) -> TaskScope:
    """Every task event of a station: for its staff, its town's staff and administrators."""
    viewer = require_role(ctx)
    async with ctx.db.session() as session:
        town_id = await session.scalar(select(Station.town_id).where(Station.id == station_id))
    if not may_follow_station(viewer, station_id, town_id):
        raise not_visible("station")
    return TaskScope(station_id=station_id)


async def volunteer_scope(ctx: Context) -> TaskScope:
    """The signed-in volunteer's own feed."""
    viewer = require_role(ctx)
    if viewer.user_id is None or not may_follow_volunteer(viewer, viewer.user_id):
        raise not_visible("volunteer")
    async with ctx.db.session() as session:
        skills = await session.scalar(select(Volunteer.skills).where(Volunteer.user_id == viewer.user_id))
    return TaskScope(
        volunteer_id=viewer.user_id,
        volunteer_station_id=viewer.station_id,
        skills=frozenset(skills or ()),
    )


async def live_events(ctx: Context, scope: TaskScope, after: str | None) -> AsyncIterator[LiveTaskEvent]:
    """The events of a scope after a cursor, replayed from the history, then live: no gap, no repeat;
    each delivered while the subscriber's account is active and unchanged (read once per event and
    subscriber: task events are a few a minute per station, not the orders' thousands)."""
    broker = ctx.task_broker

    async def page_after(session: AsyncSession, last_seen: int) -> list[LiveTaskEvent]:
        rows = await session.execute(
            _live_query().where(TaskEvent.commit_order > last_seen, scope.condition()).limit(REPLAY_PAGE)
        )
        return [LiveTaskEvent(*row) for row in rows]

    # Closed with this generator, so the broker forgets the subscriber the moment the client leaves.
    async with aclosing(replay_then_follow(ctx, broker, scope, after, page_after, REPLAY_PAGE)) as events:
        async for live in events:
            yield live

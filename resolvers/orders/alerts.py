"""Deadline alerts: events the server raises when a deadline an order, a case or a task still owes
nears or passes.

One scan serves the three: each subject names its alerted deadline rules
(`resolvers.orders.deadlines.AlertedRule`), its history table and what an event of it carries,
and how its listeners are woken; the alert lands in that history, so the feeds that follow it
(orders' `deadlineAlerts` and station feeds, the case feeds, the task feeds) carry it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import (
    Case,
    CaseAction,
    CaseEvent,
    Order,
    OrderAction,
    OrderEvent,
    Task,
    TaskAction,
    TaskEvent,
)
from resolvers.cases.events import CASE_EVENT_CHANNEL
from resolvers.orders.deadlines import CASE_DEADLINES, DEADLINES, TASK_DEADLINES, AlertedRule
from resolvers.orders.events import announce_events
from resolvers.tasks.events import TASK_EVENT_CHANNEL


async def _notify(session: AsyncSession, channel: str, ids: Sequence[int]) -> None:
    # One notification wakes a broker (doorstep.broker), which reads every event after its position.
    await session.execute(select(func.pg_notify(channel, str(max(ids)))))


@dataclass(frozen=True)
class Alerted:
    """A subject whose deadlines raise alerts: its table, its rules, its history and how to wake it."""

    subject: Any
    rules: tuple[AlertedRule, ...]
    event: Any
    key: str
    """The history's column naming the subject."""
    nearing: Any
    passed: Any
    carried: dict[str, Any]
    """What else an event of the subject carries, read from the subject's row."""
    announce: Callable[[AsyncSession, Sequence[int]], Awaitable[None]]


async def _announce_orders(session: AsyncSession, ids: Sequence[int]) -> None:
    await announce_events(session, max(ids))


async def _announce_cases(session: AsyncSession, ids: Sequence[int]) -> None:
    await _notify(session, CASE_EVENT_CHANNEL, ids)


async def _announce_tasks(session: AsyncSession, ids: Sequence[int]) -> None:
    await _notify(session, TASK_EVENT_CHANNEL, ids)


ALERTED = (
    Alerted(
        Order,
        DEADLINES,
        OrderEvent,
        "order_id",
        OrderAction.DEADLINE_NEARING,
        OrderAction.DEADLINE_PASSED,
        {},
        _announce_orders,
    ),
    Alerted(
        Case,
        CASE_DEADLINES,
        CaseEvent,
        "case_id",
        CaseAction.DEADLINE_NEARING,
        CaseAction.DEADLINE_PASSED,
        {"owner_id": Case.owner_id},
        _announce_cases,
    ),
    # A task's alert reaches its station's feed, and its holder's when it has one.
    Alerted(
        Task,
        TASK_DEADLINES,
        TaskEvent,
        "task_id",
        TaskAction.DEADLINE_NEARING,
        TaskAction.DEADLINE_PASSED,
        {"station_id": Task.station_id, "volunteer_id": Task.volunteer_id},
        _announce_tasks,
    ),
)


async def _raise(session: AsyncSession, alerted: Alerted) -> int:
    now = func.now()
    stages = []
    for rule in alerted.rules:
        stage = case((rule.due_at <= now, alerted.passed.name), else_=alerted.nearing.name)
        stages.append(
            select(
                alerted.subject.id.label(alerted.key),
                stage.label("action"),
                alerted.subject.status.label("from_status"),
                alerted.subject.status.label("to_status"),
                literal(rule.deadline.name).label("deadline"),
                *(column.label(name) for name, column in alerted.carried.items()),
            ).where(rule.owed(), rule.alert_at <= now)
        )
    due = union_all(*stages).subquery()
    event = alerted.event
    already = select(event.id).where(
        getattr(event, alerted.key) == due.c[alerted.key],
        event.deadline == due.c.deadline,
        event.action == due.c.action,
    )
    pending = select(due).where(~already.exists())
    if not (await session.execute(pending.limit(1))).first():
        return 0
    columns = [alerted.key, "action", "from_status", "to_status", "deadline", *alerted.carried]
    inserted = await session.execute(
        pg_insert(event).from_select(columns, pending).on_conflict_do_nothing().returning(event.id)
    )
    ids = inserted.scalars().all()
    if ids:
        await alerted.announce(session, ids)
    return len(ids)


async def raise_deadline_alerts(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """Append an alert event for each deadline newly near or past; return how many.

    Every process scans; the unique indexes on (subject, deadline, stage) let one claim
    each alert, so it is raised once however many processes run.
    """
    raised = 0
    for alerted in ALERTED:
        async with sessionmaker() as session, session.begin():
            raised += await _raise(session, alerted)
    return raised

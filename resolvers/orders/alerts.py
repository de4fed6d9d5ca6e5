"""Deadline alerts: events the server raises when a deadline an order still owes nears or passes."""

from __future__ import annotations

from sqlalchemy import case, func, literal, select, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Order, OrderAction, OrderEvent
from resolvers.orders.deadlines import DEADLINES
from resolvers.orders.events import announce_events


async def raise_deadline_alerts(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """Append an alert event for each deadline newly near or past; return how many.

    Every process scans; the unique index on (order, deadline, stage) lets one claim
    each alert, so it is raised once however many processes run.
    """
    now = func.now()
    stages = []
    for rule in DEADLINES:
        stage = case(
            (rule.due_at <= now, OrderAction.DEADLINE_PASSED.name), else_=OrderAction.DEADLINE_NEARING.name
        )
        stages.append(
            select(
                Order.id.label("order_id"),
                stage.label("action"),
                Order.status.label("from_status"),
                Order.status.label("to_status"),
                literal(rule.deadline.name).label("deadline"),
            ).where(rule.owed(), rule.alert_at <= now)
        )
    due = union_all(*stages).subquery()
    already = select(OrderEvent.id).where(
        OrderEvent.order_id == due.c.order_id,
        OrderEvent.deadline == due.c.deadline,
        OrderEvent.action == due.c.action,
    )
    pending = select(due).where(~already.exists())
    async with sessionmaker() as session, session.begin():
        if not (await session.execute(pending.limit(1))).first():
            return 0
        inserted = await session.execute(
            pg_insert(OrderEvent)
            .from_select(["order_id", "action", "from_status", "to_status", "deadline"], pending)
            .on_conflict_do_nothing()
            .returning(OrderEvent.id)
        )
        ids = inserted.scalars().all()
        if ids:
            await announce_events(session, max(ids))
        return len(ids)

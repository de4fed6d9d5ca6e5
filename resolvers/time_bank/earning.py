"""Earning points: confirmed work moves points from the station's ISSUED account to the volunteer's."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import EntryKind, LedgerAccount, LedgerAccountKind, Task
from resolvers.context import Viewer
from resolvers.time_bank.ledger import Movement, record, station_account
from resolvers.time_bank.rules import POINTS_PER_HOUR, points_for


async def credit_work(session: AsyncSession, task: Task, confirmed_by: Viewer) -> int:
    """Credit the volunteer of a just-confirmed task with its points, in the confirming transaction;
    the ledger pays a task once (a unique entry per task). Returns the points."""
    assert (
        task.volunteer_id is not None and task.hours_worked is not None and confirmed_by.user_id is not None
    )
    points = points_for(task.urgency, task.hours_worked)
    volunteer_account = (
        await session.execute(select(LedgerAccount.id).where(LedgerAccount.volunteer_id == task.volunteer_id))
    ).scalar_one()
    await record(
        session,
        Movement(
            kind=EntryKind.EARNING,
            station_id=task.station_id,
            source_account_id=await station_account(session, task.station_id, LedgerAccountKind.ISSUED),
            target_account_id=volunteer_account,
            points=points,
            memo=f"{task.title}: {task.hours_worked} h × {POINTS_PER_HOUR[task.urgency]}",
            recorded_by_id=confirmed_by.user_id,
            task_id=task.id,
        ),
    )
    return points

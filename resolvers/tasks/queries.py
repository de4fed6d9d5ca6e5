"""Reading tasks: loaders, the task filter and orderings, lists, a volunteer's tasks and a task's history.

Every read starts from `resolvers.access.visible_tasks`: a volunteer's list holds the open tasks of
their station they qualify for and the tasks they hold or held, nothing else.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from strawberry.dataloader import DataLoader

from models import Role, Skill, Station, Task, TaskEvent, TaskStatus, Town, Urgency
from resolvers.access import open_tasks_for, require_role, visible_task_events, visible_tasks
from resolvers.context import Context
from resolvers.loading import by_id
from resolvers.orders.deadlines import TASK_DEADLINES, aware, overdue_condition
from resolvers.pagination import Ordering, Page, PageRequest, child_pages, paginate


def task_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Task, visible_tasks(ctx.viewer))


class TaskOrderField(enum.Enum):
    CREATED_AT = "CREATED_AT"
    STARTS_AT = "STARTS_AT"


SORT_COLUMNS = {TaskOrderField.CREATED_AT: Task.created_at, TaskOrderField.STARTS_AT: Task.starts_at}


def task_ordering(field: TaskOrderField = TaskOrderField.CREATED_AT, descending: bool = True) -> Ordering:
    return Ordering(
        key=f"task.{field.name}", column=SORT_COLUMNS[field], tiebreaker=Task.id, descending=descending
    )


EVENT_ORDERING = Ordering(key="taskEvent.ID", column=TaskEvent.id, tiebreaker=TaskEvent.id)


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks to list; times without an offset are the district's local time."""

    status: tuple[TaskStatus, ...] = ()
    urgency: Urgency | None = None
    district_id: int | None = None
    town_id: int | None = None
    station_id: int | None = None
    volunteer_id: int | None = None
    demand_id: int | None = None
    skills: tuple[Skill, ...] = ()
    takeable: bool | None = None
    overdue: bool | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None


def tasks_query(ctx: Context, f: TaskFilter) -> Select[Any]:
    stmt = visible_tasks(ctx.viewer)
    if f.status:
        stmt = stmt.where(Task.status.in_(f.status))
    if f.district_id is not None:
        towns = select(Town.id).where(Town.district_id == f.district_id)
        stmt = stmt.where(Task.station_id.in_(select(Station.id).where(Station.town_id.in_(towns))))
    if f.town_id is not None:
        stmt = stmt.where(Task.station_id.in_(select(Station.id).where(Station.town_id == f.town_id)))
    for column, value in (
        (Task.urgency, f.urgency),
        (Task.station_id, f.station_id),
        (Task.volunteer_id, f.volunteer_id),
        (Task.demand_id, f.demand_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if f.skills:
        stmt = stmt.where(Task.required_skills.contains(list(f.skills)))
    if f.takeable is not None:
        volunteer = ctx.viewer.role is Role.VOLUNTEER
        takeable = open_tasks_for(ctx.viewer) if volunteer else Task.status == TaskStatus.OPEN
        stmt = stmt.where(takeable if f.takeable else ~takeable)
    if f.overdue is not None:
        stmt = stmt.where(
            overdue_condition(TASK_DEADLINES) if f.overdue else ~overdue_condition(TASK_DEADLINES)
        )
    if f.starts_after is not None:
        stmt = stmt.where(Task.starts_at >= aware(f.starts_after))
    if f.starts_before is not None:
        stmt = stmt.where(Task.starts_at < aware(f.starts_before))
    return stmt


async def list_tasks(ctx: Context, f: TaskFilter, ordering: Ordering, page: PageRequest) -> Page[Any]:
    require_role(ctx)
    return await paginate(ctx, tasks_query(ctx, f), ordering, page)


async def tasks_of_volunteer(
    ctx: Context, volunteer_id: int, f: TaskFilter, ordering: Ordering, page: PageRequest
) -> Page[Any]:
    """The tasks a volunteer holds or held (taken, in progress, completed)."""
    loader = child_pages(ctx, ("volunteer.tasks", f), tasks_query(ctx, f), Task.volunteer_id, ordering, page)
    return await loader.load(volunteer_id)


def task_event_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, TaskEvent, visible_task_events(ctx.viewer))


async def history_of_task(ctx: Context, task_id: int, page: PageRequest) -> Page[Any]:
    """The events of a task the caller has already seen, oldest first."""
    loader = child_pages(ctx, "task.history", select(TaskEvent), TaskEvent.task_id, EVENT_ORDERING, page)
    return await loader.load(task_id)

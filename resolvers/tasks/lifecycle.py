"""The task lifecycle: one table of moves, one guarded way to make them, and posting a task.

`TASK_LIFECYCLE` maps (status, action) to the next status and the roles that may act; the
mutations, `next_actions` and the refusals all read it. Moves of a volunteer's side are the
holder's alone (`HOLDER_ONLY`), taking aside. Every move locks the task row (SELECT … FOR
UPDATE), so two volunteers taking one task queue: the first takes it, the second then reads
it taken and is told so; and it appends an event to the task's history in the same transaction.
Confirming the work credits the volunteer's time-bank points in that transaction too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Demand, Role, Skill, Station, Task, TaskAction, TaskEvent, TaskStatus, Urgency, Volunteer
from models.volunteers import HELD
from resolvers.access import (
    STATION_SIDE,
    TASK_CANCELLERS,
    TASK_POSTERS,
    VOLUNTEER_SIDE,
    may_act_for_station,
    require_role,
    visible_demands,
    visible_tasks,
)
from resolvers.context import Context, Viewer
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.orders.checks import MAX_NAME, MAX_NOTE, MAX_REASON, check_phone, check_text
from resolvers.orders.deadlines import aware, now, task_deadlines
from resolvers.tasks.events import append_event
from resolvers.time_bank import rules
from resolvers.time_bank.earning import credit_work

S, A = TaskStatus, TaskAction
MAX_TITLE = 200
MAX_PLACE = 200
MAX_SKILLS = 5


@dataclass(frozen=True)
class Move:
    to: TaskStatus
    roles: frozenset[Role]


TASK_LIFECYCLE: dict[tuple[TaskStatus, TaskAction], Move] = {
    (S.OPEN, A.TAKE): Move(S.TAKEN, VOLUNTEER_SIDE),
    (S.OPEN, A.CANCEL): Move(S.CANCELLED, TASK_CANCELLERS),
    (S.TAKEN, A.WITHDRAW): Move(S.OPEN, VOLUNTEER_SIDE),
    (S.TAKEN, A.START): Move(S.IN_PROGRESS, VOLUNTEER_SIDE),
    (S.TAKEN, A.CANCEL): Move(S.CANCELLED, TASK_CANCELLERS),
    # The station confirms the work done, whether or not the volunteer pressed "start".
    (S.TAKEN, A.CONFIRM): Move(S.COMPLETED, STATION_SIDE),
    (S.IN_PROGRESS, A.CONFIRM): Move(S.COMPLETED, STATION_SIDE),
}
# Moves only the volunteer holding the task makes.
HOLDER_ONLY = frozenset({A.WITHDRAW, A.START})


def roles_for(action: TaskAction) -> set[Role]:
    return {role for (_, act), move in TASK_LIFECYCLE.items() if act is action for role in move.roles}


def next_actions(viewer: Viewer, task: Any) -> list[TaskAction]:
    """What the viewer may do next to a task they can see (seeing it places it in their scope)."""
    holds = task.volunteer_id is not None and task.volunteer_id == viewer.user_id
    return [
        action
        for (state, action), move in TASK_LIFECYCLE.items()
        if state is task.status and viewer.role in move.roles and (action not in HOLDER_ONLY or holds)
    ]


def _refused(task: Task, viewer: Viewer, code: ErrorCode, message: str) -> Refused:
    details = {"current_status": task.status, "allowed_actions": next_actions(viewer, task)}
    return Refused(UserError(code, message, details=details))


def _illegal(task: Task, action: TaskAction, viewer: Viewer) -> Refused:
    named = ", ".join(a.name for a in next_actions(viewer, task)) or "none"
    return _refused(
        task,
        viewer,
        ErrorCode.ILLEGAL_TRANSITION,
        f"The task is {task.status.name}: {action.name} is not possible now. You may: {named}.",
    )


TaskCheck = Callable[[AsyncSession, Task], Awaitable[None]]


@dataclass(frozen=True)
class Step:
    action: TaskAction
    changes: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""
    validate: TaskCheck | None = None
    then: TaskCheck | None = None
    """Work in the same transaction once the task changed (crediting points)."""


def _lockable(viewer: Viewer) -> Any:
    """The tasks a viewer's move reads (and locks): a volunteer's station's (whether or not it is still
    open, so the slower of two takers learns it was taken), else the tasks they may see."""
    if viewer.role is Role.VOLUNTEER:
        return select(Task).where(Task.station_id == viewer.station_id)
    return visible_tasks(viewer)


async def move(ctx: Context, task_id: int, step: Step) -> Task:
    """Make a move on a task in one transaction: lock it, check the move against the lifecycle (and
    `step.validate`), change it, append the event, run `step.then`."""
    viewer, action = require_role(ctx, *roles_for(step.action)), step.action
    async with ctx.transaction() as session:
        task = await session.scalar(
            _lockable(viewer)
            .where(Task.id == task_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if task is None:
            raise Refused(UserError(ErrorCode.NOT_FOUND, "No such task.", ["task_id"]))
        transition = TASK_LIFECYCLE.get((task.status, action))
        holds = task.volunteer_id == viewer.user_id
        if action is A.TAKE and task.status in HELD and not holds:
            raise _refused(task, viewer, ErrorCode.CONFLICT, "Another volunteer took this task first.")
        if transition is None or viewer.role not in transition.roles or (action in HOLDER_ONLY and not holds):
            raise _illegal(task, action, viewer)
        if step.validate is not None:
            await step.validate(session, task)
        from_status, held_by = task.status, task.volunteer_id
        updated = (
            await session.execute(
                update(Task)
                .where(Task.id == task.id)
                .values(status=transition.to, updated_at=func.now(), **step.changes)
                .returning(Task),
                execution_options={"populate_existing": True, "synchronize_session": False},
            )
        ).scalar_one()
        await append_event(
            session,
            updated,
            action=action,
            from_status=from_status,
            actor=viewer,
            volunteer_id=updated.volunteer_id or held_by,
            note=step.note,
        )
        if step.then is not None:
            await step.then(session, updated)
        return updated


async def take_task(ctx: Context, task_id: int) -> Task:
    """A volunteer takes an open task of their station they qualify for, once: not again after withdrawing."""
    viewer = require_role(ctx, *VOLUNTEER_SIDE)

    async def validate(session: AsyncSession, task: Task) -> None:
        skills = await session.scalar(select(Volunteer.skills).where(Volunteer.user_id == viewer.user_id))
        missing = set(task.required_skills) - set(skills or ())
        if missing:
            named = ", ".join(sorted(skill.name for skill in missing))
            raise Refused(UserError(ErrorCode.NOT_PERMITTED, f"The task requires skills you lack: {named}."))
        took_before = await session.scalar(
            select(
                exists().where(
                    TaskEvent.task_id == task.id,
                    TaskEvent.actor_id == viewer.user_id,
                    TaskEvent.action == A.TAKE,
                )
            )
        )
        if took_before:
            raise Refused(
                UserError(
                    ErrorCode.NOT_PERMITTED,
                    "You took this task before and withdrew: nobody takes a task twice.",
                )
            )

    changes = {"volunteer_id": viewer.user_id, "taken_at": func.now()}
    return await move(ctx, task_id, Step(A.TAKE, changes, validate=validate))


async def withdraw_task(ctx: Context, task_id: int, *, reason: str = "") -> Task:
    """The holder gives a taken task back before starting it; it is open to the others again."""
    check_text("reason", reason, MAX_REASON, required=False)
    return await move(
        ctx, task_id, Step(A.WITHDRAW, {"volunteer_id": None, "taken_at": None}, reason.strip())
    )


async def start_task(ctx: Context, task_id: int, *, note: str = "") -> Task:
    check_text("note", note, MAX_NOTE, required=False)
    return await move(ctx, task_id, Step(A.START, note=note.strip()))


async def cancel_task(ctx: Context, task_id: int, *, reason: str) -> Task:
    check_text("reason", reason, MAX_REASON, required=True)
    reason = reason.strip()
    changes = {"volunteer_id": None, "cancellation_reason": reason}
    return await move(ctx, task_id, Step(A.CANCEL, changes, reason))


async def confirm_task(ctx: Context, task_id: int, *, hours_worked: Decimal, note: str = "") -> Task:
    """The station confirms the work done with the hours actually worked; the volunteer's points
    are credited in the same transaction (`resolvers.time_bank.earning`)."""
    viewer = require_role(ctx, *roles_for(A.CONFIRM))
    checks = Checks()
    if not rules.is_whole_steps(hours_worked):
        checks.fail(
            "hours_worked",
            ErrorCode.OUT_OF_RANGE,
            f"`hours_worked` is counted in steps of {rules.HOUR_STEP} hours, up to {rules.MAX_HOURS}.",
        )
    checks.text("note", note, max_length=MAX_NOTE, required=False)
    checks.done()

    async def credit(session: AsyncSession, task: Task) -> None:
        await credit_work(session, task, viewer)

    changes = {"hours_worked": hours_worked, "completed_at": func.now()}
    return await move(ctx, task_id, Step(A.CONFIRM, changes, note.strip(), then=credit))


@dataclass(frozen=True)
class Resident:
    name: str
    phone: str
    address: str | None = None


@dataclass(frozen=True)
class NewTask:
    title: str
    urgency: Urgency
    place: str
    starts_at: datetime
    ends_at: datetime
    hours_expected: Decimal
    description: str = ""
    required_skills: tuple[Skill, ...] = ()
    station_id: int | None = None
    demand_id: int | None = None
    resident: Resident | None = None


def _check_task(checks: Checks, new: NewTask, moment: datetime) -> None:
    checks.text("title", new.title, max_length=MAX_TITLE)
    checks.text("description", new.description, max_length=MAX_NOTE, required=False)
    checks.text("place", new.place, max_length=MAX_PLACE)
    checks.not_in_past("ends_at", new.ends_at, moment)
    if new.ends_at <= new.starts_at:
        checks.fail("ends_at", ErrorCode.INVALID, "`ends_at` must be after `starts_at`.")
    if not rules.is_whole_steps(new.hours_expected):
        checks.fail(
            "hours_expected",
            ErrorCode.OUT_OF_RANGE,
            f"`hours_expected` is counted in steps of {rules.HOUR_STEP} hours, up to {rules.MAX_HOURS}.",
        )
    if len(set(new.required_skills)) != len(new.required_skills) or len(new.required_skills) > MAX_SKILLS:
        checks.fail(
            "required_skills",
            ErrorCode.INVALID,
            f"`required_skills` lists up to {MAX_SKILLS} distinct skills.",
        )
    if new.resident is not None:
        checks.text("resident.name", new.resident.name, max_length=MAX_NAME)
        check_phone(checks, "resident.phone", new.resident.phone)
        checks.text("resident.address", new.resident.address, max_length=MAX_PLACE, required=False)


def _station_to_post_for(viewer: Viewer, checks: Checks, station_id: int | None) -> int | None:
    """Station staff post for their own station; town staff and administrators name the station."""
    if viewer.role is Role.STATION_STAFF:
        if station_id is not None and station_id != viewer.station_id:
            checks.fail("station_id", ErrorCode.NOT_PERMITTED, "You post tasks for your own station only.")
        return viewer.station_id
    if station_id is None:
        checks.fail("station_id", ErrorCode.REQUIRED, "Name the station whose volunteers take the task.")
    return station_id


async def post_task(ctx: Context, new: NewTask) -> Task:
    """Post a task (派单) for a station's volunteers, optionally answering one of its demands.

    The urgency sets when it must be taken and done (`resolvers.orders.deadlines.task_deadlines`);
    the time window must end within the completion limit.
    """
    viewer = require_role(ctx, *TASK_POSTERS)
    new = replace(new, starts_at=aware(new.starts_at), ends_at=aware(new.ends_at))
    moment = now()
    checks = Checks()
    station_id = _station_to_post_for(viewer, checks, new.station_id)
    _check_task(checks, new, moment)
    due = task_deadlines(new.urgency, moment, new.starts_at)
    if new.ends_at > due.complete_due_at:
        checks.fail(
            "ends_at",
            ErrorCode.OUT_OF_RANGE,
            f"A {new.urgency.name} task is done by {due.complete_due_at.isoformat()}: end its window by then.",
        )
    checks.done()
    assert station_id is not None
    async with ctx.transaction() as session:
        town_id = await session.scalar(select(Station.town_id).where(Station.id == station_id))
        if town_id is None or not may_act_for_station(viewer, station_id, town_id):
            raise Refused(
                UserError(ErrorCode.NOT_FOUND, "No such station, or not one you post for.", ["station_id"])
            )
        if new.demand_id is not None:
            demand = await session.scalar(visible_demands(viewer).where(Demand.id == new.demand_id))
            if demand is None or demand.station_id != station_id:
                raise Refused(
                    UserError(ErrorCode.NOT_FOUND, "No such demand of the task's station.", ["demand_id"])
                )
        resident = new.resident
        task = Task(
            station_id=station_id,
            demand_id=new.demand_id,
            posted_by_id=viewer.user_id,
            title=new.title.strip(),
            description=new.description.strip(),
            urgency=new.urgency,
            place=new.place.strip(),
            starts_at=new.starts_at,
            ends_at=new.ends_at,
            required_skills=list(new.required_skills),
            hours_expected=new.hours_expected,
            status=TaskStatus.OPEN,
            resident_name=resident.name.strip() if resident else None,
            resident_phone=resident.phone.strip() if resident else None,
            resident_address=(resident.address or "").strip() or None if resident else None,
            take_due_at=due.take_due_at,
            complete_due_at=due.complete_due_at,
        )
        session.add(task)
        await session.flush()
        await session.refresh(task)
        await append_event(session, task, action=A.POST, from_status=None, actor=viewer, volunteer_id=None)
        return task

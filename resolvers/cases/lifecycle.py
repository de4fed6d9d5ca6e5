"""The case lifecycle: one table of steps, one guarded way to take them, and what each step writes.

`CASE_LIFECYCLE` maps (status, action) to the next status, the roles that may take the step,
and whether only the case's owner may (first-inquiry responsibility, 首问责任制: the owner
keeps the case until a hand-over names the next owner). Mutations, `next_case_actions` and
refusals all read it; a new way of taking a case on (a volunteer task, say) is one more
status, action and row. Every step is an UPDATE guarded by the version read, with an event
in the case's history in the same transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Case,
    CaseAction,
    CaseKind,
    CaseRoute,
    CaseStatus,
    Category,
    Demand,
    Order,
    OrderKind,
    Role,
    Urgency,
    User,
)
from models.cases import OPEN_CASES
from resolvers.access import (
    CASE_HANDLERS,
    SUPERVISORS,
    WHISTLERS,
    case_owners,
    owns_case,
    require_role,
    visible_cases,
    visible_demands,
    visible_orders,
)
from resolvers.cases.events import append_case_event
from resolvers.context import Context, Viewer
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.orders.checks import MAX_NAME, MAX_NOTE, MAX_REASON, check_phone, check_text
from resolvers.orders.deadlines import time_limit

S, A = CaseStatus, CaseAction
MAX_SUBJECT = 200


@dataclass(frozen=True)
class CaseTransition:
    to: CaseStatus
    roles: frozenset[Role]
    owner_only: bool = True


# Taking a case on: each way names the route the case took, kept after it closes.
TAKEN_ON = {
    A.HANDLE_ON_SPOT: (S.HANDLED, CaseRoute.ON_THE_SPOT),
    A.TURN_INTO_ORDER: (S.ORDERED, CaseRoute.ORDER),
    A.TURN_INTO_DEMAND: (S.DEMANDED, CaseRoute.DEMAND),
    A.WHISTLE: (S.WHISTLED, CaseRoute.WHISTLE),
}
# Town supervision (督办, resolvers.supervision) of an open case, by town staff who need not own it.
CASE_SUPERVISION = (A.URGE, A.ESCALATE, A.EXTEND_DEADLINE, A.REASSIGN)

CASE_LIFECYCLE: dict[tuple[CaseStatus, CaseAction], CaseTransition] = {
    **{
        (S.RECEIVED, action): CaseTransition(
            to, frozenset(WHISTLERS) if action is A.WHISTLE else CASE_HANDLERS
        )
        for action, (to, _) in TAKEN_ON.items()
    },
    **{
        (status, A.CLOSE): CaseTransition(S.CLOSED, CASE_HANDLERS)
        for status in OPEN_CASES
        if status is not S.RECEIVED
    },
    (S.CLOSED, A.EVALUATE): CaseTransition(S.EVALUATED, CASE_HANDLERS),
    **{(status, A.HAND_OVER): CaseTransition(status, CASE_HANDLERS) for status in OPEN_CASES},
    **{
        (status, action): CaseTransition(status, SUPERVISORS, owner_only=False)
        for status in OPEN_CASES
        for action in CASE_SUPERVISION
    },
}


def _allowed(viewer: Viewer, case: Case, transition: CaseTransition) -> bool:
    return viewer.role in transition.roles and (not transition.owner_only or owns_case(viewer, case.owner_id))


def next_case_actions(viewer: Viewer, case: Any) -> list[CaseAction]:
    """What the viewer may do next to a case they can see (its status and owner decide)."""
    return [
        action
        for (state, action), transition in CASE_LIFECYCLE.items()
        if state is case.status and _allowed(viewer, case, transition)
    ]


def roles_for(action: CaseAction) -> set[Role]:
    return {
        role for (_, act), transition in CASE_LIFECYCLE.items() if act is action for role in transition.roles
    }


def authorize_case(ctx: Context, action: CaseAction) -> Viewer:
    """The viewer, refused at once when their role can never take the action."""
    return require_role(ctx, *roles_for(action))


CaseCheck = Callable[[AsyncSession, Case], Awaitable[None]]


@dataclass(frozen=True)
class CaseStep:
    """A step to take: its action, what it writes on the case and in the history (`note`), and a
    last check of the case before it changes."""

    action: CaseAction
    changes: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""
    validate: CaseCheck | None = None


def _refused(case: Case, viewer: Viewer, code: ErrorCode, message: str) -> Refused:
    details = {"current_status": case.status, "allowed_actions": next_case_actions(viewer, case)}
    return Refused(UserError(code, message, details=details))


async def changing_case(session: AsyncSession, viewer: Viewer, case_id: int, step: CaseStep) -> Case:
    """Take a step on the case in the caller's transaction: check it against the lifecycle (and
    `step.validate`), update the row only if nobody changed it since it was read, append the event."""
    action = step.action
    case = await session.scalar(
        visible_cases(viewer).where(Case.id == case_id).execution_options(populate_existing=True)
    )
    if case is None:
        raise Refused(UserError(ErrorCode.NOT_FOUND, "No such case.", ["case_id"]))
    transition = CASE_LIFECYCLE.get((case.status, action))
    if transition is None or not _allowed(viewer, case, transition):
        named = ", ".join(a.name for a in next_case_actions(viewer, case)) or "none"
        owner = "" if transition is None else " (only its owner may, or town staff supervising)"
        raise _refused(
            case,
            viewer,
            ErrorCode.ILLEGAL_TRANSITION,
            f"The case is {case.status.name}: {action.name} is not possible for you now{owner}. You may: {named}.",
        )
    if step.validate is not None:
        await step.validate(session, case)
    from_status, read_version = case.status, case.version
    changes = dict(step.changes)
    if action in TAKEN_ON:
        changes.update(route=TAKEN_ON[action][1], answered_at=func.now())
    updated = await session.scalar(
        update(Case)
        .where(Case.id == case.id, Case.version == read_version)
        .values(status=transition.to, version=Case.version + 1, updated_at=func.now(), **changes)
        .returning(Case),
        execution_options={"populate_existing": True, "synchronize_session": False},
    )
    if updated is None:
        raise _refused(
            case,
            viewer,
            ErrorCode.CONFLICT,
            "Someone changed the case at the same moment. Reload it and decide again.",
        )
    await append_case_event(
        session, updated, action=action, from_status=from_status, actor=viewer, note=step.note
    )
    return updated


async def take_case_step(ctx: Context, case_id: int, step: CaseStep) -> Case:
    async with ctx.transaction() as session:
        return await changing_case(session, ctx.viewer, case_id, step)


@dataclass(frozen=True)
class ReceiveCase:
    kind: CaseKind
    urgency: Urgency
    subject: str
    description: str = ""
    category_id: int | None = None
    resident_name: str | None = None
    resident_phone: str | None = None


async def receive_case(ctx: Context, request: ReceiveCase) -> Case:
    """Record a resident's matter at the viewer's station; the viewer owns it (首问责任制)."""
    viewer = require_role(ctx, Role.STATION_STAFF)
    checks = Checks()
    checks.text("subject", request.subject, max_length=MAX_SUBJECT)
    checks.text("description", request.description, max_length=MAX_NOTE, required=False)
    if (request.resident_name is None) != (request.resident_phone is None):
        checks.fail(
            "resident_phone", ErrorCode.REQUIRED, "Give the resident's name and phone together, or neither."
        )
    if request.resident_name is not None and request.resident_phone is not None:
        checks.text("resident_name", request.resident_name, max_length=MAX_NAME)
        check_phone(checks, "resident_phone", request.resident_phone)
    checks.done()
    limit = time_limit({}, request.urgency)
    async with ctx.transaction() as session:
        if request.category_id is not None and await session.get(Category, request.category_id) is None:
            raise Refused(UserError(ErrorCode.NOT_FOUND, "No such category.", ["category_id"]))
        received_at = (await session.execute(select(func.now()))).scalar_one()
        case = Case(
            station_id=viewer.station_id,
            kind=request.kind,
            urgency=request.urgency,
            status=CaseStatus.RECEIVED,
            category_id=request.category_id,
            subject=request.subject.strip(),
            description=request.description.strip(),
            resident_name=request.resident_name.strip() if request.resident_name else None,
            resident_phone=request.resident_phone.strip() if request.resident_phone else None,
            received_by_id=viewer.user_id,
            owner_id=viewer.user_id,
            version=1,
            answer_due_at=received_at + timedelta(hours=limit.response_hours),
            closing_due_at=received_at + timedelta(hours=limit.delivery_hours),
            created_at=received_at,
            updated_at=received_at,
        )
        session.add(case)
        await session.flush()
        await append_case_event(session, case, action=CaseAction.RECEIVE, from_status=None, actor=viewer)
    return case


def _noted(
    ctx: Context, action: CaseAction, note: str, *, required: bool = False, max_length: int = MAX_NOTE
) -> str:
    authorize_case(ctx, action)
    check_text("note", note, max_length, required=required)
    return note.strip()


async def handle_on_spot(ctx: Context, case_id: int, *, note: str = "") -> Case:
    """The station settled the matter there and then (当场办结): it closes next, with its result."""
    note = _noted(ctx, CaseAction.HANDLE_ON_SPOT, note)
    return await take_case_step(ctx, case_id, CaseStep(CaseAction.HANDLE_ON_SPOT, note=note))


async def turn_into_order(ctx: Context, case_id: int, *, order_id: int, note: str = "") -> Case:
    """Take the case on as the catalog order the station placed for it (whistles: `blowWhistle`)."""
    viewer = ctx.viewer
    note = _noted(ctx, CaseAction.TURN_INTO_ORDER, note)

    async def validate(session: AsyncSession, case: Case) -> None:
        found = await session.scalar(
            visible_orders(viewer)
            .with_only_columns(Order.id)
            .where(Order.id == order_id, Order.station_id == case.station_id, Order.kind == OrderKind.CATALOG)
        )
        if found is None:
            raise Refused(
                UserError(ErrorCode.NOT_FOUND, "No such catalog order of the case's station.", ["order_id"])
            )

    step = CaseStep(CaseAction.TURN_INTO_ORDER, {"order_id": order_id}, note, validate)
    return await take_case_step(ctx, case_id, step)


async def turn_into_demand(ctx: Context, case_id: int, *, demand_id: int, note: str = "") -> Case:
    """Take the case on as a demand the station posted for it (需求清单)."""
    viewer = ctx.viewer
    note = _noted(ctx, CaseAction.TURN_INTO_DEMAND, note)

    async def validate(session: AsyncSession, case: Case) -> None:
        found = await session.scalar(
            visible_demands(viewer)
            .with_only_columns(Demand.id)
            .where(Demand.id == demand_id, Demand.station_id == case.station_id)
        )
        if found is None:
            raise Refused(
                UserError(ErrorCode.NOT_FOUND, "No such demand of the case's station.", ["demand_id"])
            )

    step = CaseStep(CaseAction.TURN_INTO_DEMAND, {"demand_id": demand_id}, note, validate)
    return await take_case_step(ctx, case_id, step)


async def hand_over(ctx: Context, case_id: int, *, owner_id: int, note: str = "") -> Case:
    """Hand the case to the next owner, a staff account of its station or its town."""
    viewer = authorize_case(ctx, CaseAction.HAND_OVER)
    return await move_owner(ctx, viewer, case_id, CaseAction.HAND_OVER, owner_id, note, required=False)


async def move_owner(
    ctx: Context,
    viewer: Viewer,
    case_id: int,
    action: CaseAction,
    owner_id: int,
    note: str,
    *,
    required: bool,
) -> Case:
    """A hand-over or a reassignment: the next owner must be active staff of the station or its town."""
    check_text("note" if action is CaseAction.HAND_OVER else "reason", note, MAX_REASON, required=required)

    async def validate(session: AsyncSession, case: Case) -> None:
        if owner_id == case.owner_id:
            raise Refused(UserError(ErrorCode.INVALID, "The case is already theirs.", ["owner_id"]))
        if (
            await session.scalar(select(User.id).where(User.id == owner_id, case_owners(case.station_id)))
            is None
        ):
            raise Refused(
                UserError(
                    ErrorCode.INVALID,
                    "The next owner must be an active staff account of the case's station or of its town.",
                    ["owner_id"],
                )
            )

    return await take_case_step(
        ctx, case_id, CaseStep(action, {"owner_id": owner_id}, note.strip(), validate)
    )


async def close_case(ctx: Context, case_id: int, *, result: str) -> Case:
    """Close the case with the result the resident is told."""
    authorize_case(ctx, CaseAction.CLOSE)
    check_text("result", result, MAX_NOTE, required=True)
    result = result.strip()
    changes = {"result": result, "closed_at": func.now()}
    return await take_case_step(ctx, case_id, CaseStep(CaseAction.CLOSE, changes, result))


async def evaluate_case(ctx: Context, case_id: int, *, satisfaction: int, comment: str = "") -> Case:
    """Record the resident's satisfaction with how the case was closed (0 to 100)."""
    authorize_case(ctx, CaseAction.EVALUATE)
    checks = Checks()
    checks.between("satisfaction", satisfaction, 0, 100)
    checks.text("comment", comment, max_length=MAX_NOTE, required=False)
    checks.done()
    step = CaseStep(CaseAction.EVALUATE, {"satisfaction": satisfaction}, comment.strip())
    return await take_case_step(ctx, case_id, step)

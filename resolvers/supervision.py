"""Town supervision (督办) of what the stations of a town handle: orders, whistles and cases.

Town staff urge a late matter on, escalate it to the district, extend a deadline with a
reason, or reassign it. Each is a step of the subject's own lifecycle table (the order's
`LIFECYCLE`, the case's `CASE_LIFECYCLE`), taken through its guarded change: it leaves the
status as it is, names who did it in the subject's history, and reaches the live feeds that
history feeds. A deadline extended moves the one due column its rule
(`resolvers.orders.deadlines`) reads, so overdue flags, filters, boards and statistics follow.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Case, CaseAction, CaseDeadline, Order, OrderAction, OrderKind, OrderStatus, User
from models.orders import Deadline
from resolvers.access import responsible_staff
from resolvers.cases.lifecycle import CaseStep, authorize_case, move_owner, take_case_step
from resolvers.context import Context
from resolvers.errors import ErrorCode, Refused, UserError
from resolvers.orders.checks import MAX_REASON, check_text
from resolvers.orders.deadlines import (
    CASE_ANSWER,
    CASE_CLOSING,
    DELIVERY,
    RESPONSE,
    AlertedRule,
    DeadlineRule,
    aware,
)
from resolvers.orders.lifecycle import Step, authorize, take
from resolvers.orders.whistles import department_of_district

ORDER_RULES: dict[Deadline, AlertedRule] = {Deadline.RESPONSE: RESPONSE, Deadline.DELIVERY: DELIVERY}
CASE_RULES: dict[CaseDeadline, DeadlineRule] = {
    CaseDeadline.ANSWER: CASE_ANSWER,
    CaseDeadline.CLOSING: CASE_CLOSING,
}


def _reason(field: str, reason: str, *, required: bool) -> str:
    check_text(field, reason, MAX_REASON, required=required)
    return reason.strip()


def _extension(rule: DeadlineRule, row: Order | Case, due_at: datetime) -> None:
    """A deadline is extended while it is still owed, and only later than it is now."""
    if row.status not in rule.statuses:
        raise Refused(
            UserError(
                ErrorCode.ILLEGAL_TRANSITION,
                f"The {rule.deadline.name} deadline is no longer owed: nothing to extend.",
                ["deadline"],
            )
        )
    current = rule.due(row)
    if due_at <= current:
        raise Refused(
            UserError(
                ErrorCode.OUT_OF_RANGE,
                f"An extension moves the deadline later than it is now ({current.isoformat()}).",
                ["due_at"],
            )
        )


async def urge_order(ctx: Context, order_id: int, *, note: str = "") -> Order:
    authorize(ctx, OrderAction.URGE)
    return await take(ctx, order_id, Step(OrderAction.URGE, note=_reason("note", note, required=False)))


async def escalate_order(ctx: Context, order_id: int, *, reason: str) -> Order:
    authorize(ctx, OrderAction.ESCALATE)
    return await take(
        ctx, order_id, Step(OrderAction.ESCALATE, note=_reason("reason", reason, required=True))
    )


async def extend_order_deadline(
    ctx: Context, order_id: int, *, deadline: Deadline, due_at: datetime, reason: str
) -> Order:
    """Move a deadline of the order later; its alert moves by as much."""
    authorize(ctx, OrderAction.EXTEND_DEADLINE)
    reason = _reason("reason", reason, required=True)
    rule, due_at = ORDER_RULES[deadline], aware(due_at)

    async def validate(session: AsyncSession, order: Order) -> None:
        _extension(rule, order, due_at)

    changes = rule.extended(due_at)
    note = f"{deadline.name} → {due_at.isoformat()}: {reason}"
    return await take(ctx, order_id, Step(OrderAction.EXTEND_DEADLINE, changes, note, validate))


async def reassign_order(
    ctx: Context,
    order_id: int,
    *,
    reason: str,
    responsible_user_id: int | None = None,
    provider_id: int | None = None,
) -> Order:
    """Another responsible person of the provider (taken from their staff account), or for a whistle
    another department: still to answer it when not yet accepted, else with the person it names."""
    authorize(ctx, OrderAction.REASSIGN)
    reason = _reason("reason", reason, required=True)
    if responsible_user_id is None and provider_id is None:
        raise Refused(
            UserError(
                ErrorCode.REQUIRED, "Name the next responsible person, or (for a whistle) the department."
            )
        )
    changes: dict[str, object] = {}

    async def validate(session: AsyncSession, order: Order) -> None:
        provider = order.provider_id if provider_id is None else provider_id
        if provider_id is not None:
            if order.kind is not OrderKind.WHISTLE:
                raise Refused(
                    UserError(
                        ErrorCode.INVALID, "Only a whistle moves to another department.", ["provider_id"]
                    )
                )
            if provider_id == order.provider_id or not await department_of_district(
                session, provider_id, order.station_id
            ):
                raise Refused(
                    UserError(ErrorCode.INVALID, "Name another department of the district.", ["provider_id"])
                )
            changes["provider_id"] = provider_id
        if responsible_user_id is None:
            if order.status is not OrderStatus.SUBMITTED:
                raise Refused(
                    UserError(
                        ErrorCode.REQUIRED,
                        "The order is accepted: name the person responsible for it now.",
                        ["responsible_user_id"],
                    )
                )
            return
        staff = await session.scalar(
            select(User).where(User.id == responsible_user_id, responsible_staff(provider))
        )
        if staff is None or not staff.phone:
            raise Refused(
                UserError(
                    ErrorCode.INVALID,
                    "The responsible person must be an active staff account, with a phone, of the provider.",
                    ["responsible_user_id"],
                )
            )
        if order.status is OrderStatus.SUBMITTED:
            raise Refused(
                UserError(
                    ErrorCode.INVALID,
                    "The order is not accepted yet: its provider names the responsible person as it accepts.",
                    ["responsible_user_id"],
                )
            )
        changes.update(
            responsible_name=staff.display_name[:50],
            responsible_phone=staff.phone,
            responsible_user_id=staff.id,
        )

    return await take(ctx, order_id, Step(OrderAction.REASSIGN, changes, reason, validate))


async def urge_case(ctx: Context, case_id: int, *, note: str = "") -> Case:
    authorize_case(ctx, CaseAction.URGE)
    return await take_case_step(
        ctx, case_id, CaseStep(CaseAction.URGE, note=_reason("note", note, required=False))
    )


async def escalate_case(ctx: Context, case_id: int, *, reason: str) -> Case:
    authorize_case(ctx, CaseAction.ESCALATE)
    step = CaseStep(
        CaseAction.ESCALATE, {"escalated_at": func.now()}, _reason("reason", reason, required=True)
    )
    return await take_case_step(ctx, case_id, step)


async def extend_case_deadline(
    ctx: Context, case_id: int, *, deadline: CaseDeadline, due_at: datetime, reason: str
) -> Case:
    authorize_case(ctx, CaseAction.EXTEND_DEADLINE)
    reason = _reason("reason", reason, required=True)
    rule, due_at = CASE_RULES[deadline], aware(due_at)

    async def validate(session: AsyncSession, case: Case) -> None:
        _extension(rule, case, due_at)

    note = f"{deadline.name} → {due_at.isoformat()}: {reason}"
    return await take_case_step(
        ctx, case_id, CaseStep(CaseAction.EXTEND_DEADLINE, rule.extended(due_at), note, validate)
    )


async def reassign_case(ctx: Context, case_id: int, *, owner_id: int, reason: str) -> Case:
    """The town names the case's next owner, a staff account of its station or its town."""
    viewer = authorize_case(ctx, CaseAction.REASSIGN)
    return await move_owner(ctx, viewer, case_id, CaseAction.REASSIGN, owner_id, reason, required=True)

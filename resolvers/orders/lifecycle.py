"""The order lifecycle: one table of steps, one guarded way to take them, and what each step writes.

`LIFECYCLE` maps (status, action) to the next status and the side (the roles of
`resolvers.access`) that may take the action; the mutations, `next_actions` and the
refusals all read it. Every step is an UPDATE guarded by the version the caller read,
and appends an event to the order's history in the same transaction (`changing`).
The status groups the tables index by (`AWAITING_DELIVERY`, `DEADLINE_ALERTS`, `RELEASED`) stay in
`models.orders`, which builds its partial indexes and constraints from them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Order, OrderAction, OrderKind, OrderStatus, Role, User
from models.orders import AWAITING_DELIVERY
from resolvers.access import (
    PROVIDER_SIDE,
    STATION_SIDE,
    SUPERVISORS,
    require_role,
    responsible_staff,
    visible_orders,
)
from resolvers.context import Context, Viewer
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.orders.checks import MAX_NAME, MAX_NOTE, MAX_REASON, check_phone, check_text
from resolvers.orders.deadlines import LOCAL_TIME, aware, now
from resolvers.orders.events import append_event

S, A = OrderStatus, OrderAction


@dataclass(frozen=True)
class Transition:
    to: OrderStatus
    roles: frozenset[Role]
    # The kinds of order the step is for: a whistle has no catalog subject to meet about, and
    # only a whistle is referred to another department (resolvers.orders.whistles).
    kinds: frozenset[OrderKind] = frozenset(OrderKind)


CATALOG, WHISTLE = frozenset({OrderKind.CATALOG}), frozenset({OrderKind.WHISTLE})
# Town supervision (督办, resolvers.supervision) of an order still owing its delivery: each leaves the
# status as it is and is an event of the order's history.
SUPERVISION = (A.URGE, A.ESCALATE, A.EXTEND_DEADLINE, A.REASSIGN)


LIFECYCLE: dict[tuple[OrderStatus, OrderAction], Transition] = {
    (S.SUBMITTED, A.ACCEPT): Transition(S.ACCEPTED, PROVIDER_SIDE),
    (S.SUBMITTED, A.DECLINE): Transition(S.DECLINED, PROVIDER_SIDE),
    (S.SUBMITTED, A.CANCEL): Transition(S.CANCELLED, STATION_SIDE),
    (S.ACCEPTED, A.SCHEDULE): Transition(S.SCHEDULED, PROVIDER_SIDE),
    (S.ACCEPTED, A.CANCEL): Transition(S.CANCELLED, STATION_SIDE),
    (S.ACCEPTED, A.RECORD_COORDINATION_MEETING): Transition(S.ACCEPTED, STATION_SIDE, CATALOG),
    (S.SCHEDULED, A.SCHEDULE): Transition(S.SCHEDULED, PROVIDER_SIDE),
    (S.SCHEDULED, A.START): Transition(S.IN_PROGRESS, PROVIDER_SIDE),
    (S.SCHEDULED, A.CANCEL): Transition(S.CANCELLED, STATION_SIDE),
    (S.SCHEDULED, A.RECORD_COORDINATION_MEETING): Transition(S.SCHEDULED, STATION_SIDE, CATALOG),
    (S.IN_PROGRESS, A.DELIVER): Transition(S.DELIVERED, PROVIDER_SIDE),
    (S.IN_PROGRESS, A.RECORD_COORDINATION_MEETING): Transition(S.IN_PROGRESS, STATION_SIDE, CATALOG),
    (S.DELIVERED, A.CONFIRM_DELIVERY): Transition(S.COMPLETED, STATION_SIDE),
    (S.DELIVERED, A.REJECT_DELIVERY): Transition(S.IN_PROGRESS, STATION_SIDE),
    (S.DELIVERED, A.RECORD_COORDINATION_MEETING): Transition(S.DELIVERED, STATION_SIDE, CATALOG),
    (S.COMPLETED, A.EVALUATE): Transition(S.EVALUATED, STATION_SIDE),
    (S.SUBMITTED, A.REFER): Transition(S.SUBMITTED, PROVIDER_SIDE, WHISTLE),
    **{
        (status, action): Transition(status, SUPERVISORS)
        for status in AWAITING_DELIVERY
        for action in SUPERVISION
    },
}


def roles_for(action: OrderAction) -> set[Role]:
    """The roles that may take the action in some state."""
    return {role for (_, act), transition in LIFECYCLE.items() if act is action for role in transition.roles}


def next_actions(
    viewer: Viewer, status: OrderStatus, kind: OrderKind = OrderKind.CATALOG
) -> list[OrderAction]:
    """What the viewer may do next to an order of `kind` in `status` that they can see.

    Seeing an order already places it in the viewer's scope (their station, their
    provider), so the role decides the rest.
    """
    return [
        action
        for (state, action), transition in LIFECYCLE.items()
        if state is status and viewer.role in transition.roles and kind in transition.kinds
    ]


def _refused_in(
    status: OrderStatus, viewer: Viewer, code: ErrorCode, message: str, kind: OrderKind = OrderKind.CATALOG
) -> Refused:
    """A refusal because of the order's state, naming the state and what the viewer may do in it."""
    details = {"current_status": status, "allowed_actions": next_actions(viewer, status, kind)}
    return Refused(UserError(code, message, details=details))


def _illegal(status: OrderStatus, action: OrderAction, viewer: Viewer, kind: OrderKind) -> Refused:
    named = ", ".join(a.name for a in next_actions(viewer, status, kind)) or "none"
    return _refused_in(
        status,
        viewer,
        ErrorCode.ILLEGAL_TRANSITION,
        f"The order is {status.name}: {action.name} is not possible now. You may: {named}.",
        kind,
    )


OrderCheck = Callable[[AsyncSession, Order], Awaitable[None]]
"""A check of the order an action is about to change, refusing with `Refused`."""


@dataclass(frozen=True)
class Step:
    """A step to take: its action, what it writes on the order and in the history (`note`),
    and a last check of the order before it changes."""

    action: OrderAction
    changes: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""
    validate: OrderCheck | None = None


def authorize(ctx: Context, action: OrderAction) -> Viewer:
    """The viewer, refused at once when their role can never take the action."""
    return require_role(ctx, *roles_for(action))


@asynccontextmanager
async def changing(ctx: Context, order_id: int, step: Step) -> AsyncIterator[tuple[AsyncSession, Order]]:
    """Take a step on the order in one transaction: check its state against the lifecycle (and
    the order against `step.validate`), update the row only if nobody changed it since it was
    read, append the event. The block runs in the same transaction with the changed order."""
    viewer, action = ctx.viewer, step.action
    async with ctx.transaction() as session:
        order = await session.scalar(
            visible_orders(viewer).where(Order.id == order_id).execution_options(populate_existing=True)
        )
        if order is None:
            raise Refused(UserError(ErrorCode.NOT_FOUND, "No such order.", ["order_id"]))
        transition = LIFECYCLE.get((order.status, action))
        if transition is None or viewer.role not in transition.roles or order.kind not in transition.kinds:
            raise _illegal(order.status, action, viewer, order.kind)
        if step.validate is not None:
            await step.validate(session, order)
        from_status, read_version = order.status, order.version
        updated = await session.scalar(
            update(Order)
            .where(Order.id == order.id, Order.version == read_version)
            .values(status=transition.to, version=Order.version + 1, **step.changes)
            .returning(Order),
            execution_options={"populate_existing": True, "synchronize_session": False},
        )
        if updated is None:
            current = (await session.execute(select(Order.status).where(Order.id == order.id))).scalar_one()
            raise _refused_in(
                current,
                viewer,
                ErrorCode.CONFLICT,
                f"Someone changed the order at the same moment; it is now {current.name}. "
                "Reload it and decide again.",
                order.kind,
            )
        await append_event(
            session, updated, action=action, from_status=from_status, actor=viewer, note=step.note
        )
        yield session, updated


async def take(ctx: Context, order_id: int, step: Step) -> Order:
    """A step that changes nothing but the order (see `changing`)."""
    async with changing(ctx, order_id, step) as (_, order):
        return order


async def accept_order(
    ctx: Context,
    order_id: int,
    *,
    responsible_name: str,
    responsible_phone: str,
    responsible_user_id: int | None = None,
    note: str = "",
) -> Order:
    """Accept an order, naming the person responsible (指定责任制)."""
    authorize(ctx, OrderAction.ACCEPT)
    checks = Checks()
    checks.text("responsible_name", responsible_name, max_length=MAX_NAME)
    check_phone(checks, "responsible_phone", responsible_phone)
    checks.text("note", note, max_length=MAX_NOTE, required=False)
    checks.done()

    async def validate(session: AsyncSession, order: Order) -> None:
        if responsible_user_id is None:
            return
        staff = await session.scalar(
            select(User.id).where(User.id == responsible_user_id, responsible_staff(order.provider_id))
        )
        if staff is None:
            raise Refused(
                UserError(
                    ErrorCode.INVALID,
                    "The responsible user must be an active staff account of the delivering provider.",
                    ["responsible_user_id"],
                )
            )

    changes = {
        "responsible_name": responsible_name.strip(),
        "responsible_phone": responsible_phone.strip(),
        "responsible_user_id": responsible_user_id,
        "responded_at": func.now(),
    }
    return await take(ctx, order_id, Step(OrderAction.ACCEPT, changes, note.strip(), validate))


async def decline_order(ctx: Context, order_id: int, *, reason: str) -> Order:
    return await _with_reason(
        ctx, order_id, OrderAction.DECLINE, "decline_reason", reason, also={"responded_at": func.now()}
    )


async def schedule_order(ctx: Context, order_id: int, *, scheduled_at: datetime, note: str = "") -> Order:
    authorize(ctx, OrderAction.SCHEDULE)
    scheduled_at = aware(scheduled_at)
    checks = Checks()
    checks.not_in_past("scheduled_at", scheduled_at, now())
    checks.text("note", note, max_length=MAX_NOTE, required=False)
    checks.done()

    async def validate(session: AsyncSession, order: Order) -> None:
        day = scheduled_at.astimezone(LOCAL_TIME).date()
        if not order.requested_start <= day <= order.requested_end:
            raise Refused(
                UserError(
                    ErrorCode.OUT_OF_RANGE,
                    f"The station asked for {order.requested_start.isoformat()} to "
                    f"{order.requested_end.isoformat()} (Asia/Shanghai); schedule it within those days.",
                    ["scheduled_at"],
                )
            )

    return await take(
        ctx, order_id, Step(OrderAction.SCHEDULE, {"scheduled_at": scheduled_at}, note.strip(), validate)
    )


async def _with_note(
    ctx: Context, order_id: int, action: OrderAction, note: str, changes: Mapping[str, Any] | None = None
) -> Order:
    """A step that writes the status, the note in the history and the given `changes`."""
    authorize(ctx, action)
    check_text("note", note, MAX_NOTE, required=False)
    return await take(ctx, order_id, Step(action, changes or {}, note=note.strip()))


async def start_order(ctx: Context, order_id: int, *, note: str = "") -> Order:
    return await _with_note(ctx, order_id, OrderAction.START, note)


async def deliver_order(ctx: Context, order_id: int, *, note: str = "") -> Order:
    return await _with_note(ctx, order_id, OrderAction.DELIVER, note, {"delivered_at": func.now()})


async def confirm_delivery(ctx: Context, order_id: int, *, note: str = "") -> Order:
    return await _with_note(ctx, order_id, OrderAction.CONFIRM_DELIVERY, note)


async def _with_reason(
    ctx: Context,
    order_id: int,
    action: OrderAction,
    column: str,
    reason: str,
    *,
    required: bool = True,
    also: Mapping[str, Any] | None = None,
) -> Order:
    """A step that writes its reason on the order (null when none is given) and in the history,
    and the `also` changes."""
    authorize(ctx, action)
    check_text("reason", reason, MAX_REASON, required=required)
    reason = reason.strip()
    return await take(ctx, order_id, Step(action, {column: reason or None, **(also or {})}, reason))


async def reject_delivery(ctx: Context, order_id: int, *, reason: str) -> Order:
    # The delivery the station rejects did not meet the delivery deadline: the next one may.
    return await _with_reason(
        ctx, order_id, OrderAction.REJECT_DELIVERY, "rejection_reason", reason, also={"delivered_at": None}
    )


async def cancel_order(ctx: Context, order_id: int, *, reason: str = "") -> Order:
    return await _with_reason(
        ctx, order_id, OrderAction.CANCEL, "cancellation_reason", reason, required=False
    )

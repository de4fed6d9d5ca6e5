"""The three meetings (三会) a station holds with its residents about what it orders.

A hearing (听证会) decides whether to order a service or project, before any order;
coordination meetings (协调会) are held during delivery and the evaluation meeting
(评议会) closes a completed order, both as steps of the order's lifecycle.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Self

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from models import Demand, HearingDecision, Meeting, MeetingKind, Order, OrderAction
from resolvers.access import ORDERERS, require_role
from resolvers.context import Context, Viewer
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.lists.demand_lifecycle import lock_demand, order_evaluated
from resolvers.orders.checks import MAX_ATTENDEES, MAX_MINUTES, MAX_NOTE, MAX_QUANTITY
from resolvers.orders.deadlines import aware, now
from resolvers.orders.lifecycle import OrderCheck, Step, authorize, changing
from resolvers.orders.placement import lock_orderable


@dataclass(frozen=True)
class MeetingRecord:
    """What every meeting record holds; a time without an offset is the district's local time."""

    held_at: datetime
    attendees: int
    minutes: str

    def localized(self) -> Self:
        return replace(self, held_at=aware(self.held_at))


VOTES = ("votes_for", "votes_against", "votes_abstaining")


@dataclass(frozen=True)
class Hearing(MeetingRecord):
    votes_for: int
    votes_against: int
    votes_abstaining: int
    decision: HearingDecision
    service_id: int | None = None
    project_id: int | None = None
    orders_authorized: int | None = None
    """How many orders an approval authorizes; one when not given."""


def _check_meeting(checks: Checks, prefix: str, record: MeetingRecord) -> None:
    if record.held_at > now():
        checks.fail(f"{prefix}held_at", ErrorCode.OUT_OF_RANGE, "A meeting is recorded after it was held.")
    checks.between(f"{prefix}attendees", record.attendees, 1, MAX_ATTENDEES)
    checks.text(f"{prefix}minutes", record.minutes, max_length=MAX_MINUTES)


def _held_since_placement(record: MeetingRecord, prefix: str) -> OrderCheck:
    async def check(session: AsyncSession, order: Order) -> None:
        if record.held_at < order.created_at:
            raise Refused(
                UserError(
                    ErrorCode.OUT_OF_RANGE,
                    "The meeting cannot precede the order it is about.",
                    f"{prefix}held_at".split("."),
                )
            )

    return check


async def _add_meeting(
    session: AsyncSession, viewer: Viewer, kind: MeetingKind, record: MeetingRecord, **about: Any
) -> Meeting:
    """Write the record of a meeting; `about` names its station, provider, subject and order,
    and for a hearing the votes and decision."""
    meeting = Meeting(
        kind=kind,
        held_at=record.held_at,
        attendees=record.attendees,
        minutes=record.minutes.strip(),
        recorded_by_id=viewer.user_id,
        **about,
    )
    session.add(meeting)
    await session.flush()
    return meeting


def _of_order(order: Order) -> dict[str, Any]:
    """A meeting held for an order is about its station, provider and subject."""
    return {
        "station_id": order.station_id,
        "provider_id": order.provider_id,
        "service_id": order.service_id,
        "project_id": order.project_id,
        "order_id": order.id,
    }


async def evaluate_order(
    ctx: Context,
    order_id: int,
    *,
    rating: int,
    satisfaction: int,
    comment: str = "",
    meeting: MeetingRecord | None = None,
) -> Order:
    """Close a completed order with its evaluation and, optionally, the evaluation meeting (评议会)."""
    viewer = authorize(ctx, OrderAction.EVALUATE)
    meeting = meeting.localized() if meeting is not None else None
    checks = Checks()
    checks.between("rating", rating, 1, 5)
    checks.between("satisfaction", satisfaction, 0, 100)
    checks.text("comment", comment, max_length=MAX_NOTE, required=False)
    if meeting is not None:
        _check_meeting(checks, "meeting.", meeting)
    checks.done()

    changes = {
        "rating": rating,
        "satisfaction": satisfaction,
        "evaluation_comment": comment.strip() or None,
        "evaluated_at": func.now(),
    }
    held_since_placement = _held_since_placement(meeting, "meeting.") if meeting else None
    demand: Demand | None = None

    async def validate(session: AsyncSession, order: Order) -> None:
        nonlocal demand
        if held_since_placement is not None:
            await held_since_placement(session, order)
        # Locked before the order changes, as placement locks it: the demand's evaluations take turns.
        if order.demand_id is not None:
            demand = await lock_demand(session, order.demand_id)

    step = Step(OrderAction.EVALUATE, changes, comment.strip(), validate)
    async with changing(ctx, order_id, step) as (session, order):
        if meeting is not None:
            await _add_meeting(session, viewer, MeetingKind.EVALUATION, meeting, **_of_order(order))
        if demand is not None:
            await order_evaluated(session, demand, order, viewer)
    return order


async def record_coordination_meeting(
    ctx: Context, order_id: int, record: MeetingRecord
) -> tuple[Order, Meeting]:
    """Record a coordination meeting (协调会) held while the order is being delivered."""
    viewer = authorize(ctx, OrderAction.RECORD_COORDINATION_MEETING)
    record = record.localized()
    checks = Checks()
    _check_meeting(checks, "", record)
    checks.done()
    step = Step(OrderAction.RECORD_COORDINATION_MEETING, validate=_held_since_placement(record, ""))
    async with changing(ctx, order_id, step) as (session, order):
        meeting = await _add_meeting(session, viewer, MeetingKind.COORDINATION, record, **_of_order(order))
    return order, meeting


async def record_hearing(ctx: Context, hearing: Hearing) -> Meeting:
    """Record a hearing (听证会) where the station's residents decide whether to order something."""
    viewer = require_role(ctx, *ORDERERS)
    hearing = hearing.localized()
    checks = Checks()
    if (hearing.service_id is None) == (hearing.project_id is None):
        checks.fail(
            "service_id", ErrorCode.REQUIRED, "Give either the `service_id` or the `project_id` discussed."
        )
    _check_meeting(checks, "", hearing)
    for field in VOTES:
        checks.between(field, getattr(hearing, field), 0, MAX_ATTENDEES)
    if hearing.votes_for + hearing.votes_against + hearing.votes_abstaining > hearing.attendees:
        checks.fail("attendees", ErrorCode.INVALID, "More votes were cast than people attended.")
    if hearing.decision is HearingDecision.APPROVED and hearing.votes_for <= hearing.votes_against:
        checks.fail("decision", ErrorCode.INVALID, "An approval needs more votes for than against.")
    orders_authorized = hearing.orders_authorized
    if hearing.decision is HearingDecision.APPROVED:
        orders_authorized = 1 if orders_authorized is None else orders_authorized
        checks.between("orders_authorized", orders_authorized, 1, MAX_QUANTITY)
    elif orders_authorized is not None:
        checks.fail("orders_authorized", ErrorCode.INVALID, "Only an approval authorizes orders.")
    checks.done()
    async with ctx.transaction() as session:
        subject = await lock_orderable(session, viewer, hearing.service_id, hearing.project_id)
        return await _add_meeting(
            session,
            viewer,
            MeetingKind.HEARING,
            hearing,
            station_id=viewer.station_id,
            provider_id=subject.provider_id,
            service_id=hearing.service_id,
            project_id=hearing.project_id,
            decision=hearing.decision,
            orders_authorized=orders_authorized,
            **{field: getattr(hearing, field) for field in VOTES},
        )

"""The three meetings (三会) a station holds with its residents about what it orders.

A hearing (听证会) decides whether to order a service or project, before any order;
coordination meetings (协调会) are held during delivery and the evaluation meeting
(评议会) closes a completed order, both as steps of the order's lifecycle.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Self

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Demand, HearingDecision, Meeting, MeetingKind, Order, OrderAction, OrderKind
from resolvers.access import ORDERERS, require_role
from resolvers.context import Context, Viewer
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.lists.demand_lifecycle import lock_demand, order_evaluated
from resolvers.orders.checks import MAX_ATTENDEES, MAX_MINUTES, MAX_NOTE, MAX_QUANTITY
from resolvers.orders.deadlines import aware, now
from resolvers.orders.lifecycle import OrderCheck, Step, authorize, changing
from resolvers.orders.placement import orderable


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
    hearing_id: int | None = None
    """The planned hearing whose outcome this is, if it was planned ahead."""


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
        if meeting is not None and order.kind is OrderKind.WHISTLE:
            # A meeting is about a catalog subject; a whistle has none.
            raise Refused(
                UserError(ErrorCode.INVALID, "A whistle is evaluated without a meeting.", ["meeting"])
            )
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


@dataclass(frozen=True)
class PlannedHearing:
    """A hearing announced ahead; a time without an offset is the district's local time."""

    held_at: datetime
    agenda: str
    service_id: int | None = None
    project_id: int | None = None


def _check_subject(checks: Checks, service_id: int | None, project_id: int | None) -> None:
    if (service_id is None) == (project_id is None):
        checks.fail(
            "service_id", ErrorCode.REQUIRED, "Give either the `service_id` or the `project_id` discussed."
        )


async def plan_hearing(ctx: Context, plan: PlannedHearing) -> Meeting:
    """Announce a hearing (听证会) the station will hold, so residents and screens see it coming."""
    viewer = require_role(ctx, *ORDERERS)
    held_at = aware(plan.held_at)
    checks = Checks()
    _check_subject(checks, plan.service_id, plan.project_id)
    if held_at <= now():
        checks.fail(
            "held_at", ErrorCode.IN_THE_PAST, "A planned hearing lies ahead; record a held one instead."
        )
    checks.text("agenda", plan.agenda, max_length=MAX_MINUTES)
    checks.done()
    async with ctx.transaction() as session:
        subject = await orderable(session, viewer, plan.service_id, plan.project_id)
        meeting = Meeting(
            kind=MeetingKind.HEARING,
            held_at=held_at,
            minutes=plan.agenda.strip(),
            recorded_by_id=viewer.user_id,
            station_id=viewer.station_id,
            provider_id=subject.provider_id,
            service_id=plan.service_id,
            project_id=plan.project_id,
        )
        session.add(meeting)
        await session.flush()
        return meeting


async def _planned(session: AsyncSession, viewer: Viewer, hearing: Hearing) -> Meeting:
    """The planned hearing whose outcome is recorded, locked; it must be the station's and not yet held."""
    planned = await session.scalar(
        select(Meeting)
        .where(
            Meeting.id == hearing.hearing_id,
            Meeting.kind == MeetingKind.HEARING,
            Meeting.station_id == viewer.station_id,
        )
        .with_for_update()
    )
    if planned is None:
        raise Refused(UserError(ErrorCode.NOT_FOUND, "No such hearing of your station.", ["hearing_id"]))
    if planned.decision is not None:
        raise Refused(
            UserError(
                ErrorCode.ILLEGAL_TRANSITION, "The hearing's outcome is already recorded.", ["hearing_id"]
            )
        )
    for field in ("service_id", "project_id"):
        given = getattr(hearing, field)
        if given is not None and given != getattr(planned, field):
            raise Refused(
                UserError(
                    ErrorCode.INVALID, "The planned hearing is about another service or project.", [field]
                )
            )
    return planned


async def record_hearing(ctx: Context, hearing: Hearing) -> Meeting:
    """Record a hearing (听证会) where the station's residents decided whether to order something: a
    new record, or the outcome of a hearing planned ahead (`hearing_id`)."""
    viewer = require_role(ctx, *ORDERERS)
    hearing = hearing.localized()
    checks = Checks()
    if hearing.hearing_id is None:
        _check_subject(checks, hearing.service_id, hearing.project_id)
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
    outcome: dict[str, Any] = {
        "decision": hearing.decision,
        "orders_authorized": orders_authorized,
        **{field: getattr(hearing, field) for field in VOTES},
    }
    async with ctx.transaction() as session:
        if hearing.hearing_id is not None:
            planned = await _planned(session, viewer, hearing)
            await orderable(session, viewer, planned.service_id, planned.project_id)
            for name, value in {
                **outcome,
                "held_at": hearing.held_at,
                "attendees": hearing.attendees,
                "minutes": hearing.minutes.strip(),
                "recorded_by_id": viewer.user_id,
            }.items():
                setattr(planned, name, value)
            await session.flush()
            await session.refresh(planned)
            return planned
        subject = await orderable(session, viewer, hearing.service_id, hearing.project_id)
        return await _add_meeting(
            session,
            viewer,
            MeetingKind.HEARING,
            hearing,
            station_id=viewer.station_id,
            provider_id=subject.provider_id,
            service_id=hearing.service_id,
            project_id=hearing.project_id,
            **outcome,
        )

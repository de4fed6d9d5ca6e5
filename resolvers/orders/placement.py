"""Placing an order: idempotent retries, orderability, lead time, capacity and the hearing it rests on."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CapacityPeriod,
    Demand,
    HearingDecision,
    Meeting,
    MeetingKind,
    Order,
    OrderAction,
    OrderStatus,
    Project,
    Provider,
    PublicationStatus,
    Service,
    Station,
    Town,
    Urgency,
)
from models.orders import RELEASED
from resolvers.access import ORDERERS, require_role
from resolvers.context import Context, Viewer
from resolvers.errors import Checks, ErrorCode, Refused, UserError
from resolvers.lists.demand_lifecycle import UNMET, lock_demand, order_placed
from resolvers.orders.checks import (
    MAX_DAYS_AHEAD,
    MAX_IDEMPOTENCY_KEY,
    MAX_NAME,
    MAX_NOTE,
    MAX_QUANTITY,
    check_phone,
)
from resolvers.orders.deadlines import LOCAL_TIME, capacity_period, deadlines, today
from resolvers.orders.events import append_event

# Serialises placements that carry the same idempotency key (pg_advisory_xact_lock(namespace, hash)).
PLACEMENT_LOCK_NAMESPACE = 0x6F726472


@dataclass(frozen=True)
class Resident:
    """The resident a proxy order (代办) is placed for."""

    name: str
    phone: str


@dataclass(frozen=True)
class PlaceOrder:
    idempotency_key: str
    quantity: int
    requested_start: date
    requested_end: date
    urgency: Urgency
    service_id: int | None = None
    project_id: int | None = None
    notes: str = ""
    demand_id: int | None = None
    hearing_id: int | None = None
    resident: Resident | None = None


def _check_placement(request: PlaceOrder) -> None:
    checks = Checks()
    first_day = today()
    checks.text("idempotency_key", request.idempotency_key, max_length=MAX_IDEMPOTENCY_KEY)
    if request.service_id is None and request.project_id is None:
        checks.fail("service_id", ErrorCode.REQUIRED, "Give the `service_id` or the `project_id` to order.")
    elif request.service_id is not None and request.project_id is not None:
        checks.fail("project_id", ErrorCode.INVALID, "Order either a service or a project, not both.")
    checks.between("quantity", request.quantity, 1, MAX_QUANTITY)
    checks.not_in_past("requested_start", request.requested_start, first_day)
    checks.ordered("requested_start", request.requested_start, "requested_end", request.requested_end)
    if request.requested_end > first_day + timedelta(days=MAX_DAYS_AHEAD):
        checks.fail(
            "requested_end", ErrorCode.OUT_OF_RANGE, f"Orders reach at most {MAX_DAYS_AHEAD} days ahead."
        )
    checks.text("notes", request.notes, max_length=MAX_NOTE, required=False)
    if request.resident is not None:
        checks.text("resident.name", request.resident.name, max_length=MAX_NAME)
        check_phone(checks, "resident.phone", request.resident.phone)
    checks.done()


def _normalized(request: PlaceOrder) -> dict[str, object]:
    """The request as the order keeps it: texts trimmed, dates and the urgency spelled out."""
    return {
        "service_id": request.service_id,
        "project_id": request.project_id,
        "quantity": request.quantity,
        "requested_start": request.requested_start.isoformat(),
        "requested_end": request.requested_end.isoformat(),
        "urgency": request.urgency.name,
        "notes": request.notes.strip(),
        "demand_id": request.demand_id,
        "hearing_id": request.hearing_id,
        "resident": [request.resident.name.strip(), request.resident.phone.strip()]
        if request.resident
        else None,
    }


def request_hash(request: PlaceOrder) -> str:
    """A digest of the whole normalized request, kept with the order its key placed."""
    text = json.dumps(_normalized(request), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _same_request(order: Order, request: PlaceOrder) -> bool:
    """Whether a retry asks for exactly what the order with its key was placed with."""
    if order.request_hash is not None:
        return order.request_hash == request_hash(request)
    # Placed before requests were hashed: compared with what the order holds. Its hearing
    # may have been found for it, so only a hearing the retry names is compared.
    held = {
        "service_id": order.service_id,
        "project_id": order.project_id,
        "quantity": order.quantity,
        "requested_start": order.requested_start.isoformat(),
        "requested_end": order.requested_end.isoformat(),
        "urgency": order.urgency.name,
        "notes": order.notes,
        "demand_id": order.demand_id,
        "hearing_id": order.hearing_id,
        "resident": [order.resident_name, order.resident_phone] if order.resident_name is not None else None,
    }
    asked = _normalized(request)
    if request.hearing_id is None:
        asked["hearing_id"] = order.hearing_id
    return held == asked


async def place_order(ctx: Context, request: PlaceOrder) -> Order:
    """Place an order for the viewer's station; a retry with the same key returns the first order."""
    viewer = require_role(ctx, *ORDERERS)
    _check_placement(request)
    async with ctx.transaction() as session:
        # Concurrent retries wait here for the first one, then find its order.
        await session.execute(
            select(
                func.pg_advisory_xact_lock(
                    PLACEMENT_LOCK_NAMESPACE, func.hashtext(f"{viewer.user_id}:{request.idempotency_key}")
                )
            )
        )
        existing = await session.scalar(
            select(Order).where(
                Order.placed_by_id == viewer.user_id, Order.idempotency_key == request.idempotency_key
            )
        )
        if existing is not None:
            if not _same_request(existing, request):
                raise Refused(
                    UserError(
                        ErrorCode.IDEMPOTENCY_KEY_REUSED,
                        "This idempotency key was used for a different order; use a new key for a new order.",
                        ["idempotency_key"],
                    )
                )
            return existing
        subject, placed_at = await _orderable(session, viewer, request.service_id, request.project_id)
        demand = await _check_subject_rules(session, viewer, request, subject)
        hearing_id = await _hearing_for(session, viewer, request, subject)
        due = deadlines(subject, request.urgency, placed_at, request.requested_start)
        order = Order(
            station_id=viewer.station_id,
            provider_id=subject.provider_id,
            service_id=request.service_id,
            project_id=request.project_id,
            demand_id=request.demand_id,
            hearing_id=hearing_id,
            placed_by_id=viewer.user_id,
            idempotency_key=request.idempotency_key,
            request_hash=request_hash(request),
            quantity=request.quantity,
            requested_start=request.requested_start,
            requested_end=request.requested_end,
            notes=request.notes.strip(),
            urgency=request.urgency,
            status=OrderStatus.SUBMITTED,
            version=1,
            response_due_at=due.response_due_at,
            delivery_due_at=due.delivery_due_at,
            response_alert_at=due.response_alert_at,
            delivery_alert_at=due.delivery_alert_at,
            resident_name=request.resident.name.strip() if request.resident else None,
            resident_phone=request.resident.phone.strip() if request.resident else None,
            created_at=placed_at,
            updated_at=placed_at,
        )
        session.add(order)
        await session.flush()
        if demand is not None:
            await order_placed(session, demand, order, viewer)
        await append_event(
            session, order, action=OrderAction.PLACE, from_status=None, actor=viewer, note=order.notes
        )
    return order


async def lock_orderable(
    session: AsyncSession, viewer: Viewer, service_id: int | None, project_id: int | None
) -> Service | Project:
    """The service or project the station orders (or holds a hearing on), locked until the
    transaction ends when it has a capacity, so that concurrent placements count each other's
    quantities against it."""
    subject, _ = await _orderable(session, viewer, service_id, project_id)
    return subject


async def _orderable(
    session: AsyncSession, viewer: Viewer, service_id: int | None, project_id: int | None
) -> tuple[Service | Project, datetime]:
    """`lock_orderable`, with the transaction's time (`now()`), read in the same statement.

    Only a subject with a capacity is locked (FOR NO KEY UPDATE, until the transaction ends):
    placements of it must count each other's quantities one after another. Placements of an
    unlimited subject have nothing to count, so they go side by side; the order's foreign key
    still keeps the subject from being deleted under them. Stations see published entries
    only: anything else answers like a missing one. One statement reads the subject, whether
    its provider serves the station's district and the time: a placement's round trips are
    most of its time under load.
    """
    field = "service_id" if service_id is not None else "project_id"
    model: type[Service] | type[Project] = Service if service_id is not None else Project
    identity = service_id if service_id is not None else project_id
    same_district = (
        select(Provider.id)
        .join(Town, Town.district_id == Provider.district_id)
        .join(Station, Station.town_id == Town.id)
        .where(Provider.id == model.provider_id, Station.id == viewer.station_id)
        .exists()
    )
    row = (
        await session.execute(select(model, same_district, func.now()).where(model.id == identity))
    ).one_or_none()
    subject = cast(Service | Project | None, row[0] if row is not None else None)
    serves_station: bool = row is not None and row[1]
    now: datetime | None = row[2] if row is not None else None
    if subject is not None and subject.capacity_per_period is not None:
        # Read again under the lock: the capacity that counts is the one of the locked row.
        locked = select(model).where(model.id == identity).with_for_update(key_share=True)
        subject = cast(
            Service | Project | None,
            await session.scalar(locked.execution_options(populate_existing=True)),
        )
    if subject is None or subject.status is not PublicationStatus.PUBLISHED:
        raise Refused(UserError(ErrorCode.NOT_FOUND, f"No such {model.__name__.lower()}.", [field]))
    if not serves_station:
        raise Refused(
            UserError(
                ErrorCode.NOT_ORDERABLE, "Its provider serves another district than your station's.", [field]
            )
        )
    assert now is not None
    return subject, now


async def _check_subject_rules(
    session: AsyncSession, viewer: Viewer, request: PlaceOrder, subject: Service | Project
) -> Demand | None:
    """Refuse what the subject and the demand do not allow; the demand ordered for, locked."""
    checks = Checks()
    capacity = subject.capacity_per_period
    if capacity is not None and request.quantity > capacity:
        checks.fail("quantity", ErrorCode.OUT_OF_RANGE, f"`quantity` must be between 1 and {capacity}.")
    lead_time = subject.lead_time_days if isinstance(subject, Service) else 0
    earliest = today() + timedelta(days=lead_time)
    if request.requested_start < earliest:
        checks.fail(
            "requested_start",
            ErrorCode.OUT_OF_RANGE,
            f"The provider needs {lead_time} days of notice: start on {earliest.isoformat()} or later.",
        )
    demand = None
    if request.demand_id is not None:
        demand = await lock_demand(session, request.demand_id)
        if demand is None or demand.station_id != viewer.station_id:
            checks.fail("demand_id", ErrorCode.NOT_FOUND, "No such demand of your station.")
        elif demand.status not in UNMET:
            checks.fail("demand_id", ErrorCode.INVALID, "The demand is already resolved or closed.")
    checks.done()
    if capacity is not None and subject.capacity_period is not None:
        await _check_capacity(session, request, subject, capacity, subject.capacity_period)
    return demand


async def _check_capacity(
    session: AsyncSession,
    request: PlaceOrder,
    subject: Service | Project,
    capacity: int,
    period: CapacityPeriod,
) -> None:
    """Refuse an order that would book more of the subject than its capacity in the period."""
    first, after = capacity_period(request.requested_start, period)
    subject_column = Order.service_id if isinstance(subject, Service) else Order.project_id
    booked = (
        await session.execute(
            select(func.coalesce(func.sum(Order.quantity), 0)).where(
                subject_column == subject.id,
                Order.requested_start >= first,
                Order.requested_start < after,
                Order.status.not_in(RELEASED),
            )
        )
    ).scalar_one()
    if booked + request.quantity > capacity:
        raise Refused(
            UserError(
                ErrorCode.CAPACITY_EXCEEDED,
                f"{booked} of {capacity} are already booked from {first.isoformat()} to "
                f"{(after - timedelta(days=1)).isoformat()}; {capacity - booked} remain.",
                ["quantity"],
            )
        )


async def _hearing_for(
    session: AsyncSession, viewer: Viewer, request: PlaceOrder, subject: Service | Project
) -> int | None:
    """The hearing (听证会) the order is placed on, by the rule that a hearing's decision stands
    until a later one: the station's latest held hearing about the subject decides (planned
    ones decide nothing until their outcome is recorded).

    A latest hearing that rejected it stops every new order of it. An order rests on an
    approving hearing when it names one or the project requires the three meetings; the
    hearing must then be the latest, and authorizes as many orders as it names (declined
    and cancelled ones give theirs back). The latest hearing stays locked until the
    transaction ends, so concurrent placements count each other against it.
    """
    subject_column = Meeting.service_id if isinstance(subject, Service) else Meeting.project_id
    field = "service_id" if isinstance(subject, Service) else "project_id"
    latest = await session.scalar(
        select(Meeting)
        .where(
            subject_column == subject.id,
            Meeting.station_id == viewer.station_id,
            Meeting.kind == MeetingKind.HEARING,
            Meeting.decision.is_not(None),
        )
        .order_by(Meeting.held_at.desc(), Meeting.id.desc())
        .limit(1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    required = isinstance(subject, Project) and subject.requires_three_meetings
    if request.hearing_id is not None:
        await _check_named_hearing(session, viewer, request.hearing_id, subject_column.key, subject.id)
        if latest is not None and latest.id != request.hearing_id:
            raise Refused(
                UserError(
                    ErrorCode.HEARING_SUPERSEDED,
                    f"A later hearing ({_day(latest)}) decided on it since; that decision stands.",
                    ["hearing_id"],
                )
            )
    elif latest is None:
        if required:
            raise Refused(
                UserError(
                    ErrorCode.HEARING_REQUIRED,
                    "This project requires the three meetings (三会): record a hearing (听证会) "
                    "where residents approve it first.",
                    [field],
                )
            )
        return None
    assert latest is not None  # the named hearing exists and is the latest
    if latest.decision is HearingDecision.REJECTED:
        raise Refused(
            UserError(
                ErrorCode.HEARING_REJECTED,
                f"Your residents rejected it at the hearing of {_day(latest)}; that decision stands until a "
                "later hearing approves it.",
                ["hearing_id" if request.hearing_id is not None else field],
            )
        )
    if request.hearing_id is None and not required:
        return None
    await _check_authorized(session, latest, "hearing_id" if request.hearing_id is not None else field)
    return latest.id


def _day(hearing: Meeting) -> str:
    return hearing.held_at.astimezone(LOCAL_TIME).date().isoformat()


async def _check_authorized(session: AsyncSession, hearing: Meeting, field: str) -> None:
    """Refuse an order beyond the number the approving hearing authorized."""
    authorized = hearing.orders_authorized or 0
    placed = (
        await session.execute(
            select(func.count()).where(Order.hearing_id == hearing.id, Order.status.not_in(RELEASED))
        )
    ).scalar_one()
    if placed >= authorized:
        raise Refused(
            UserError(
                ErrorCode.HEARING_USED_UP,
                f"The hearing of {_day(hearing)} authorized {authorized} order(s) and {placed} are placed on "
                "it; hold a new hearing to order more.",
                [field],
            )
        )


async def _check_named_hearing(
    session: AsyncSession, viewer: Viewer, hearing_id: int, subject_key: str, subject_id: int
) -> None:
    """The hearing a placement names must be one of the station's, about the subject."""
    hearing = await session.scalar(
        select(Meeting).where(
            Meeting.id == hearing_id,
            Meeting.kind == MeetingKind.HEARING,
            Meeting.station_id == viewer.station_id,
        )
    )
    if hearing is None:
        raise Refused(UserError(ErrorCode.NOT_FOUND, "No such hearing of your station.", ["hearing_id"]))
    if getattr(hearing, subject_key) != subject_id:
        raise Refused(
            UserError(ErrorCode.INVALID, "The hearing was about another service or project.", ["hearing_id"])
        )
    if hearing.decision is None:
        raise Refused(
            UserError(
                ErrorCode.HEARING_REQUIRED,
                "The hearing is planned and not yet held: record its outcome first.",
                ["hearing_id"],
            )
        )

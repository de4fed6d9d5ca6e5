"""Placing an order: the request and its checks, orderability and lead time, then the insert its
idempotency key allows (`idempotency`) on the hearing it rests on (`hearing_rule`); a capacity
exceeded, counted as the order commits (migration 0026), answered as a refusal."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Demand,
    Order,
    OrderAction,
    Project,
    Provider,
    PublicationStatus,
    Service,
    Station,
    Town,
    Urgency,
)
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
from resolvers.orders.deadlines import deadlines, today
from resolvers.orders.events import append_event
from resolvers.orders.hearing_rule import hearing_decided, hearing_for
from resolvers.orders.idempotency import insert_unless_placed, placed_with_key, with_key

# The SQLSTATE of an order beyond its subject's capacity, raised as it commits (migration 0026).
CAPACITY_EXCEEDED = "DS001"


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


def _retried(order: Order, request: PlaceOrder) -> Order:
    """The order a retry's key placed, if the retry asks for the same; refused otherwise."""
    if not _same_request(order, request):
        raise Refused(
            UserError(
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
                "This idempotency key was used for a different order; use a new key for a new order.",
                ["idempotency_key"],
            )
        )
    return order


async def place_order(ctx: Context, request: PlaceOrder) -> Order:
    """Place an order for the viewer's station; a retry with the same key returns the first order.

    Under load a placement's time is mostly its round trips, each a turn of a busy worker, so it
    makes few, and holds no lock across them that other placements wait for: one statement reads
    the subject, the time, the order a retry's key placed and whether a hearing decided on the
    subject; the order is inserted unless its key already placed one (the unique key makes a
    retry racing its original wait for it, then find it); its event follows; the capacity of a
    limited subject is counted as the transaction commits (migration 0026).
    """
    viewer = require_role(ctx, *ORDERERS)
    _check_placement(request)
    try:
        async with ctx.transaction() as session:
            return await _place(session, viewer, request)
    except DBAPIError as error:
        if getattr(error.orig, "sqlstate", None) != CAPACITY_EXCEEDED:
            raise
        raise _capacity_refusal(getattr(error.orig, "detail", None) or "{}") from None


async def _place(session: AsyncSession, viewer: Viewer, request: PlaceOrder) -> Order:
    facts = await _placement_facts(session, viewer, request)
    if facts.placed_id is not None:
        placed = await session.get(Order, facts.placed_id)
        assert placed is not None  # read in this transaction, and orders are never deleted
        return _retried(placed, request)
    subject = _orderable_subject(facts.subject, facts.serves_station, _subject_field(request.service_id))
    try:
        demand = await _check_subject_rules(session, viewer, request, subject)
        hearing_id = await hearing_for(session, viewer, request.hearing_id, subject, decided=facts.decided)
    except Refused:
        # A retry racing its original waits for it on the demand's or the hearing's lock, and may
        # then be refused for what the original took: it answers with the original's order.
        twin = await placed_with_key(session, viewer.user_id, request.idempotency_key)
        if twin is None:
            raise
        return _retried(twin, request)
    due = deadlines(subject, request.urgency, facts.now, request.requested_start)
    values = {
        "station_id": viewer.station_id,
        "provider_id": subject.provider_id,
        "service_id": request.service_id,
        "project_id": request.project_id,
        "demand_id": request.demand_id,
        "hearing_id": hearing_id,
        "placed_by_id": viewer.user_id,
        "idempotency_key": request.idempotency_key,
        "request_hash": request_hash(request),
        "quantity": request.quantity,
        "requested_start": request.requested_start,
        "requested_end": request.requested_end,
        "notes": request.notes.strip(),
        "urgency": request.urgency,
        "resident_name": request.resident.name.strip() if request.resident else None,
        "resident_phone": request.resident.phone.strip() if request.resident else None,
        **due.submitted(facts.now),
    }
    order = await insert_unless_placed(session, values)
    if order is None:
        # The original committed since this retry's first read: the insert waited for it.
        twin = await placed_with_key(session, viewer.user_id, request.idempotency_key)
        assert twin is not None  # the conflicting order is committed, and orders are never deleted
        return _retried(twin, request)
    if demand is not None:
        await order_placed(session, demand, order, viewer)
    await append_event(
        session, order, action=OrderAction.PLACE, from_status=None, actor=viewer, note=order.notes
    )
    return order


def _capacity_refusal(detail: str) -> Refused:
    """CAPACITY_EXCEEDED, with what the capacity check at commit found (its DETAIL, as JSON)."""
    found = json.loads(detail)
    booked, capacity = found.get("booked", 0), found.get("capacity", 0)
    return Refused(
        UserError(
            ErrorCode.CAPACITY_EXCEEDED,
            f"{booked} of {capacity} are already booked from {found.get('first_day')} to "
            f"{found.get('last_day')}; {max(capacity - booked, 0)} remain.",
            ["quantity"],
        )
    )


@dataclass(frozen=True)
class _PlacementFacts:
    """What one statement reads for a placement."""

    subject: Service | Project | None
    serves_station: bool
    now: datetime
    placed_id: int | None
    """The order the placement's idempotency key placed already, if any."""
    decided: bool
    """Whether a hearing of the station decided on the subject (whose decision then stands)."""


async def _placement_facts(session: AsyncSession, viewer: Viewer, request: PlaceOrder) -> _PlacementFacts:
    model: type[Service] | type[Project] = Service if request.service_id is not None else Project
    identity = request.service_id if request.service_id is not None else request.project_id
    placed_id = select(Order.id).where(with_key(viewer.user_id, request.idempotency_key)).scalar_subquery()
    decided = hearing_decided(model, identity, viewer.station_id)
    # From a one-row select, so that the retry's order and the time come back without a subject.
    facts = select(func.now().label("now"), placed_id.label("placed_id"), decided.label("decided")).subquery()
    row = (
        await session.execute(
            select(facts, model, _serves_station(viewer, model)).outerjoin(model, model.id == identity)
        )
    ).one()
    return _PlacementFacts(
        subject=cast(Service | Project | None, row[3]),
        serves_station=bool(row[4]),
        now=row.now,
        placed_id=row.placed_id,
        decided=row.decided,
    )


def _serves_station(viewer: Viewer, model: type[Service] | type[Project]) -> ColumnElement[bool]:
    """Whether the subject's provider serves the district of the viewer's station."""
    return (
        select(Provider.id)
        .join(Town, Town.district_id == Provider.district_id)
        .join(Station, Station.town_id == Town.id)
        .where(Provider.id == model.provider_id, Station.id == viewer.station_id)
        .exists()
    )


def _orderable_subject(
    subject: Service | Project | None, serves_station: bool, field: str
) -> Service | Project:
    """The subject the station orders (or holds a hearing on): published, of a provider serving its
    district. Stations see published entries only: anything else answers like a missing one."""
    if subject is None or subject.status is not PublicationStatus.PUBLISHED:
        raise Refused(UserError(ErrorCode.NOT_FOUND, f"No such {field.removesuffix('_id')}.", [field]))
    if not serves_station:
        raise Refused(
            UserError(
                ErrorCode.NOT_ORDERABLE, "Its provider serves another district than your station's.", [field]
            )
        )
    return subject


async def orderable(
    session: AsyncSession, viewer: Viewer, service_id: int | None, project_id: int | None
) -> Service | Project:
    """The service or project the station holds a hearing on (`_orderable_subject`)."""
    model: type[Service] | type[Project] = Service if service_id is not None else Project
    identity = service_id if service_id is not None else project_id
    row = (
        await session.execute(select(model, _serves_station(viewer, model)).where(model.id == identity))
    ).one_or_none()
    subject = cast(Service | Project | None, row[0] if row is not None else None)
    return _orderable_subject(subject, row is not None and bool(row[1]), _subject_field(service_id))


def _subject_field(service_id: int | None) -> str:
    return "service_id" if service_id is not None else "project_id"


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
    return demand

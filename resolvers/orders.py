"""Orders: stations order, departments deliver (基层订购、部门送订单).

The lifecycle is one table, `LIFECYCLE`, from (status, action) to the next status and
the roles that may take the action; the mutations and `next_actions` both read it.
Every change is an UPDATE guarded by the version the caller read, and appends an
event to the order's history in the same transaction (`append_event`).
"""

from __future__ import annotations

import base64
import binascii
import enum
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Select,
    and_,
    case,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CapacityPeriod,
    Demand,
    DemandStatus,
    HearingDecision,
    Meeting,
    MeetingKind,
    Order,
    OrderAction,
    OrderEvent,
    OrderStatus,
    Project,
    Provider,
    PublicationStatus,
    Role,
    Service,
    Station,
    Town,
    Urgency,
    User,
)
from models.orders import AWAITING_DELIVERY, DEADLINE_ALERTS, RELEASED, Deadline
from resolvers.access import (
    ORDERERS,
    PROVIDER_SIDE,
    STATION_SIDE,
    alert_scope,
    may_follow_provider,
    may_follow_station,
    not_visible,
    require_role,
    visible_meetings,
    visible_orders,
)
from resolvers.context import Context, Viewer
from resolvers.errors import Checks, ClientError, ErrorCode, Refused, UserError
from resolvers.loading import by_id
from resolvers.pagination import Ordering, Page, PageRequest, child_pages, paginate

# Days, deadlines and capacity periods follow the calendar of the district.
LOCAL_TIME = ZoneInfo("Asia/Shanghai")
MAX_QUANTITY = 10_000
MAX_DAYS_AHEAD = 366
MAX_IDEMPOTENCY_KEY = 100
MAX_NOTE = 2000
MAX_REASON = 1000
MAX_NAME = 50
MAX_MINUTES = 20_000
MAX_ATTENDEES = 10_000
PHONE = re.compile(r"\+?[0-9][0-9 \-]{2,30}")
# Serialises the writers of events to the commit (see claim_event_ids).
EVENT_LOCK = 0x6576656E74
EVENT_CHANNEL = "doorstep_order_events"
# Serialises placements that carry the same idempotency key (pg_advisory_xact_lock(namespace, hash)).
PLACEMENT_LOCK_NAMESPACE = 0x6F726472

S, A = OrderStatus, OrderAction


@dataclass(frozen=True)
class Transition:
    to: OrderStatus
    roles: frozenset[Role]


LIFECYCLE: dict[tuple[OrderStatus, OrderAction], Transition] = {
    (S.SUBMITTED, A.ACCEPT): Transition(S.ACCEPTED, PROVIDER_SIDE),
    (S.SUBMITTED, A.DECLINE): Transition(S.DECLINED, PROVIDER_SIDE),
    (S.SUBMITTED, A.CANCEL): Transition(S.CANCELLED, STATION_SIDE),
    (S.ACCEPTED, A.SCHEDULE): Transition(S.SCHEDULED, PROVIDER_SIDE),
    (S.ACCEPTED, A.CANCEL): Transition(S.CANCELLED, STATION_SIDE),
    (S.ACCEPTED, A.RECORD_COORDINATION_MEETING): Transition(S.ACCEPTED, STATION_SIDE),
    (S.SCHEDULED, A.SCHEDULE): Transition(S.SCHEDULED, PROVIDER_SIDE),
    (S.SCHEDULED, A.START): Transition(S.IN_PROGRESS, PROVIDER_SIDE),
    (S.SCHEDULED, A.CANCEL): Transition(S.CANCELLED, STATION_SIDE),
    (S.SCHEDULED, A.RECORD_COORDINATION_MEETING): Transition(S.SCHEDULED, STATION_SIDE),
    (S.IN_PROGRESS, A.DELIVER): Transition(S.DELIVERED, PROVIDER_SIDE),
    (S.IN_PROGRESS, A.RECORD_COORDINATION_MEETING): Transition(S.IN_PROGRESS, STATION_SIDE),
    (S.DELIVERED, A.CONFIRM_DELIVERY): Transition(S.COMPLETED, STATION_SIDE),
    (S.DELIVERED, A.REJECT_DELIVERY): Transition(S.IN_PROGRESS, STATION_SIDE),
    (S.DELIVERED, A.RECORD_COORDINATION_MEETING): Transition(S.DELIVERED, STATION_SIDE),
    (S.COMPLETED, A.EVALUATE): Transition(S.EVALUATED, STATION_SIDE),
}


def roles_for(action: OrderAction) -> set[Role]:
    """The roles that may take the action in some state."""
    return {role for (_, act), transition in LIFECYCLE.items() if act is action for role in transition.roles}


def next_actions(viewer: Viewer, status: OrderStatus) -> list[OrderAction]:
    """What the viewer may do next to an order in `status` that they can see.

    Seeing an order already places it in the viewer's scope (their station, their
    provider), so the role decides the rest.
    """
    return [
        action
        for (state, action), transition in LIFECYCLE.items()
        if state is status and viewer.role in transition.roles
    ]


@dataclass(frozen=True)
class TimeLimit:
    response_hours: int
    delivery_hours: int


DEFAULT_TIME_LIMITS = {
    Urgency.EMERGENCY: TimeLimit(response_hours=2, delivery_hours=24),
    Urgency.KEY: TimeLimit(response_hours=24, delivery_hours=72),
    # Routine requests are answered within a day, "never overnight" (不过夜).
    Urgency.ROUTINE: TimeLimit(response_hours=24, delivery_hours=15 * 24),
}


def time_limit(overrides: dict[str, tuple[int | None, int | None]], urgency: Urgency) -> TimeLimit:
    """The time limits of an urgency for a service or project: its own overrides, else the defaults."""
    response_hours, delivery_hours = overrides.get(urgency.name, (None, None))
    default = DEFAULT_TIME_LIMITS[urgency]
    return TimeLimit(
        response_hours=response_hours or default.response_hours,
        delivery_hours=delivery_hours or default.delivery_hours,
    )


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), LOCAL_TIME)


@dataclass(frozen=True)
class Deadlines:
    response_due_at: datetime
    delivery_due_at: datetime
    response_alert_at: datetime
    delivery_alert_at: datetime


def deadlines(subject: Service | Project, urgency: Urgency, placed_at: datetime, start: date) -> Deadlines:
    """When the provider must answer, and deliver, an order placed at `placed_at`, and when
    to alert that a deadline nears: with a quarter of its time limit left.

    The response is due counted from placement. Delivery is counted from when work may
    begin: placement, or the first requested day when the station asked for a later one.
    """
    limit = time_limit(subject.time_limit_overrides, urgency)
    work_may_begin = max(placed_at, local_midnight(start).astimezone(UTC))
    response, delivery = timedelta(hours=limit.response_hours), timedelta(hours=limit.delivery_hours)
    return Deadlines(
        response_due_at=placed_at + response,
        delivery_due_at=work_may_begin + delivery,
        response_alert_at=placed_at + response * 3 / 4,
        delivery_alert_at=work_may_begin + delivery * 3 / 4,
    )


def capacity_period(day: date, period: CapacityPeriod) -> tuple[date, date]:
    """The first day of the period holding `day`, and the first day after it (weeks start on Monday)."""
    if period is CapacityPeriod.DAY:
        return day, day + timedelta(days=1)
    if period is CapacityPeriod.WEEK:
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=7)
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


def is_response_overdue(order: Order, now: datetime) -> bool:
    return order.status is OrderStatus.SUBMITTED and order.response_due_at < now


def is_delivery_overdue(order: Order, now: datetime) -> bool:
    return order.status in AWAITING_DELIVERY and order.delivery_due_at < now


def _status_is(*statuses: OrderStatus):
    # Literal values, not parameters, so the planner matches the partial overdue indexes.
    return Order.status.in_([literal_column(f"'{status.name}'") for status in statuses])


def overdue_condition():
    now = func.now()
    return or_(
        and_(_status_is(OrderStatus.SUBMITTED), Order.response_due_at < now),
        and_(_status_is(*AWAITING_DELIVERY), Order.delivery_due_at < now),
    )


# Visibility


def order_loader(ctx: Context):
    return by_id(ctx, Order, visible_orders(ctx.viewer))


def meeting_loader(ctx: Context):
    return by_id(ctx, Meeting, visible_meetings(ctx.viewer))


def event_loader(ctx: Context):
    visible_ids = visible_orders(ctx.viewer).with_only_columns(Order.id)
    return by_id(ctx, OrderEvent, select(OrderEvent).where(OrderEvent.order_id.in_(visible_ids)))


def subject_loader(ctx: Context, model: type[Service] | type[Project]):
    """Services or projects of visible orders, whatever their publication status now: a station
    keeps seeing what it ordered after the provider withdraws it."""

    async def load(ids: list[int]) -> list:
        async with ctx.db.session() as session:
            rows = (await session.scalars(select(model).where(model.id.in_(ids)))).all()
        found = {row.id: row for row in rows}
        return [found.get(identity) for identity in ids]

    return ctx.loaders.get(("order.subject", model), load)


def meetings_of_order(ctx: Context):
    """A loader from order id to its meetings: the hearing it was placed on and those held for it."""

    async def load(order_ids: list[int]) -> list[list[Meeting]]:
        stmt = (
            select(Meeting, Order.id)
            .join(Order, or_(Meeting.order_id == Order.id, Meeting.id == Order.hearing_id))
            .where(Order.id.in_(order_ids))
            .order_by(Meeting.held_at, Meeting.id)
        )
        async with ctx.db.session() as session:
            rows = (await session.execute(stmt)).all()
        meetings: dict[int, list[Meeting]] = {order_id: [] for order_id in order_ids}
        for meeting, order_id in rows:
            meetings[order_id].append(meeting)
        return [meetings[order_id] for order_id in order_ids]

    return ctx.loaders.get("order.meetings", load)


# Lists


class OrderSortField(enum.Enum):
    CREATED_AT = "CREATED_AT"
    REQUESTED_START = "REQUESTED_START"
    RESPONSE_DUE_AT = "RESPONSE_DUE_AT"
    DELIVERY_DUE_AT = "DELIVERY_DUE_AT"


def order_ordering(field: OrderSortField = OrderSortField.CREATED_AT, descending: bool = True) -> Ordering:
    column = {
        OrderSortField.CREATED_AT: Order.created_at,
        OrderSortField.REQUESTED_START: Order.requested_start,
        OrderSortField.RESPONSE_DUE_AT: Order.response_due_at,
        OrderSortField.DELIVERY_DUE_AT: Order.delivery_due_at,
    }[field]
    return Ordering(key=f"order.{field.name}", column=column, tiebreaker=Order.id, descending=descending)


EVENT_ORDERING = Ordering(key="event.ID", column=OrderEvent.id, tiebreaker=OrderEvent.id)


@dataclass(frozen=True)
class OrderFilter:
    statuses: tuple[OrderStatus, ...] = ()
    urgency: Urgency | None = None
    district_id: int | None = None
    town_id: int | None = None
    station_id: int | None = None
    provider_id: int | None = None
    service_id: int | None = None
    project_id: int | None = None
    demand_id: int | None = None
    overdue: bool | None = None
    placed_after: datetime | None = None
    placed_before: datetime | None = None


def orders_query(ctx: Context, f: OrderFilter) -> Select:
    stmt = visible_orders(ctx.viewer)
    if f.statuses:
        stmt = stmt.where(Order.status.in_(f.statuses))
    if f.urgency is not None:
        stmt = stmt.where(Order.urgency == f.urgency)
    if f.district_id is not None:
        stations = (
            select(Station.id).join(Town, Town.id == Station.town_id).where(Town.district_id == f.district_id)
        )
        stmt = stmt.where(Order.station_id.in_(stations))
    if f.town_id is not None:
        stmt = stmt.where(Order.station_id.in_(select(Station.id).where(Station.town_id == f.town_id)))
    for column, value in (
        (Order.station_id, f.station_id),
        (Order.provider_id, f.provider_id),
        (Order.service_id, f.service_id),
        (Order.project_id, f.project_id),
        (Order.demand_id, f.demand_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if f.overdue is not None:
        stmt = stmt.where(overdue_condition() if f.overdue else ~overdue_condition())
    if f.placed_after is not None:
        stmt = stmt.where(Order.created_at >= f.placed_after)
    if f.placed_before is not None:
        stmt = stmt.where(Order.created_at < f.placed_before)
    return stmt


async def list_orders(ctx: Context, f: OrderFilter, ordering: Ordering, page: PageRequest) -> Page:
    return await paginate(ctx, orders_query(ctx, f), ordering, page)


async def orders_of_station(
    ctx: Context, station_id: int, f: OrderFilter, ordering: Ordering, page: PageRequest
) -> Page:
    loader = child_pages(ctx, ("station.orders", f), orders_query(ctx, f), Order.station_id, ordering, page)
    return await loader.load(station_id)


async def orders_of_provider(
    ctx: Context, provider_id: int, f: OrderFilter, ordering: Ordering, page: PageRequest
) -> Page:
    loader = child_pages(ctx, ("provider.orders", f), orders_query(ctx, f), Order.provider_id, ordering, page)
    return await loader.load(provider_id)


async def history_of_order(ctx: Context, order_id: int, page: PageRequest) -> Page:
    """The events of an order the caller has already seen, oldest first."""
    loader = child_pages(ctx, "order.history", select(OrderEvent), OrderEvent.order_id, EVENT_ORDERING, page)
    return await loader.load(order_id)


# Writing


async def append_event(
    session: AsyncSession,
    order: Order,
    *,
    action: OrderAction,
    from_status: OrderStatus | None,
    actor: Viewer,
    note: str = "",
) -> None:
    """Record a change of `order` (already applied) in its history, in the caller's transaction.

    The one place people's events are written, so the history stays complete and ordered.
    Call it last in the transaction: it holds the event lock until the commit.
    """
    await claim_event_ids(session)
    event_id = await session.scalar(
        insert(OrderEvent)
        .values(
            order_id=order.id,
            action=action,
            from_status=from_status,
            to_status=order.status,
            actor_id=actor.user_id,
            actor_role=actor.role,
            note=note,
        )
        .returning(OrderEvent.id)
    )
    await announce_events(session, event_id)


async def claim_event_ids(session: AsyncSession) -> None:
    """Make event ids grow in commit order, so a cursor "after id N" never skips an event.

    A sequence hands out ids at insert, not at commit: a transaction holding id 10 may
    commit after the one holding 11, and a reader that saw 11 would never see 10. Taking
    this lock before inserting, and holding it to the commit, lets one writer at a time
    take ids and commit; writers of events wait for each other only at their very end.
    """
    await session.execute(select(func.pg_advisory_xact_lock(EVENT_LOCK)))


async def announce_events(session: AsyncSession, newest_id: int) -> None:
    """Wake the listeners of every process when the transaction commits (NOTIFY is transactional).

    The notification carries the id only: listeners read the events from the table.
    """
    await session.execute(select(func.pg_notify(EVENT_CHANNEL, str(newest_id))))


def now() -> datetime:
    return datetime.now(UTC)


def _today() -> date:
    return now().astimezone(LOCAL_TIME).date()


def aware(moment: datetime | None) -> datetime | None:
    """A time given without an offset is the district's local time."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=LOCAL_TIME)


def _check_phone(checks: Checks, field: str, value: str) -> None:
    checks.text(field, value, max_length=32)
    if value and value.strip() and len(value) <= 32 and not PHONE.fullmatch(value.strip()):
        checks.fail(field, ErrorCode.INVALID, f"`{field}` is not a phone number.")


@dataclass(frozen=True)
class Resident:
    """The resident a proxy order (代办) is placed for."""

    name: str
    phone: str


@dataclass(frozen=True)
class PlaceOrder:
    idempotency_key: str
    service_id: int | None
    project_id: int | None
    quantity: int
    requested_start: date
    requested_end: date
    urgency: Urgency
    notes: str = ""
    demand_id: int | None = None
    hearing_id: int | None = None
    resident: Resident | None = None


def _check_placement(request: PlaceOrder) -> None:
    checks = Checks()
    today = _today()
    checks.text("idempotencyKey", request.idempotency_key, max_length=MAX_IDEMPOTENCY_KEY)
    if request.service_id is None and request.project_id is None:
        checks.fail("serviceId", ErrorCode.REQUIRED, "Give the `serviceId` or the `projectId` to order.")
    elif request.service_id is not None and request.project_id is not None:
        checks.fail("projectId", ErrorCode.INVALID, "Order either a service or a project, not both.")
    checks.between("quantity", request.quantity, 1, MAX_QUANTITY)
    checks.not_in_past("requestedStart", request.requested_start, today)
    checks.ordered("requestedStart", request.requested_start, "requestedEnd", request.requested_end)
    if request.requested_end > today + timedelta(days=MAX_DAYS_AHEAD):
        checks.fail(
            "requestedEnd", ErrorCode.OUT_OF_RANGE, f"Orders reach at most {MAX_DAYS_AHEAD} days ahead."
        )
    checks.text("notes", request.notes, max_length=MAX_NOTE, required=False)
    if request.resident is not None:
        checks.text("resident.name", request.resident.name, max_length=MAX_NAME)
        _check_phone(checks, "resident.phone", request.resident.phone)
    checks.done()


def _same_request(order: Order, request: PlaceOrder) -> bool:
    """Whether a retry asks for what the order with its key holds."""
    fields = ("service_id", "project_id", "quantity", "requested_start", "requested_end", "urgency")
    return all(getattr(order, name) == getattr(request, name) for name in fields)


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
                        ErrorCode.TAKEN,
                        "This idempotency key was used for a different order; use a new key for a new order.",
                        ["idempotencyKey"],
                    )
                )
            return existing
        subject = await _lock_orderable(session, viewer, request.service_id, request.project_id)
        await _check_subject_rules(session, viewer, request, subject)
        hearing_id = await _hearing_for(session, viewer, request, subject)
        placed_at = await session.scalar(select(func.now()))
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
        await append_event(
            session, order, action=OrderAction.PLACE, from_status=None, actor=viewer, note=order.notes
        )
    return order


async def _lock_orderable(
    session: AsyncSession, viewer: Viewer, service_id: int | None, project_id: int | None
) -> Service | Project:
    """The service or project the station orders (or holds a hearing on), locked until the
    transaction ends so that concurrent placements count each other's quantities against
    its capacity."""
    model, identity, field = (
        (Service, service_id, "serviceId") if service_id is not None else (Project, project_id, "projectId")
    )
    subject = await session.scalar(select(model).where(model.id == identity).with_for_update(key_share=True))
    # Stations see published entries only: anything else answers like a missing one.
    if subject is None or subject.status is not PublicationStatus.PUBLISHED:
        raise Refused(UserError(ErrorCode.NOT_FOUND, f"No such {model.__name__.lower()}.", [field]))
    same_district = await session.scalar(
        select(Provider.id)
        .join(Town, Town.district_id == Provider.district_id)
        .join(Station, Station.town_id == Town.id)
        .where(Provider.id == subject.provider_id, Station.id == viewer.station_id)
    )
    if same_district is None:
        raise Refused(
            UserError(
                ErrorCode.NOT_ORDERABLE, "Its provider serves another district than your station's.", [field]
            )
        )
    return subject


async def _check_subject_rules(
    session: AsyncSession, viewer: Viewer, request: PlaceOrder, subject: Service | Project
) -> None:
    checks = Checks()
    capacity = subject.capacity_per_period
    if capacity is not None and request.quantity > capacity:
        checks.fail("quantity", ErrorCode.OUT_OF_RANGE, f"`quantity` must be between 1 and {capacity}.")
    lead_time = subject.lead_time_days if isinstance(subject, Service) else 0
    earliest = _today() + timedelta(days=lead_time)
    if request.requested_start < earliest:
        checks.fail(
            "requestedStart",
            ErrorCode.OUT_OF_RANGE,
            f"The provider needs {lead_time} days of notice: start on {earliest.isoformat()} or later.",
        )
    if request.demand_id is not None:
        demand_status = await session.scalar(
            select(Demand.status).where(
                Demand.id == request.demand_id, Demand.station_id == viewer.station_id
            )
        )
        if demand_status is None:
            checks.fail("demandId", ErrorCode.NOT_FOUND, "No such demand of your station.")
        elif demand_status in (DemandStatus.RESOLVED, DemandStatus.CLOSED):
            checks.fail("demandId", ErrorCode.INVALID, "The demand is already resolved or closed.")
    checks.done()
    if capacity is not None:
        first, after = capacity_period(request.requested_start, subject.capacity_period)
        subject_column = Order.service_id if isinstance(subject, Service) else Order.project_id
        booked = await session.scalar(
            select(func.coalesce(func.sum(Order.quantity), 0)).where(
                subject_column == subject.id,
                Order.requested_start >= first,
                Order.requested_start < after,
                Order.status.not_in(RELEASED),
            )
        )
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
    """The hearing (听证会) the order is placed on: the one named, or for a project that requires
    the three meetings the station's latest approving hearing about it."""
    subject_column = Meeting.service_id if isinstance(subject, Service) else Meeting.project_id
    field = "serviceId" if isinstance(subject, Service) else "projectId"
    if request.hearing_id is not None:
        hearing = await session.scalar(
            select(Meeting).where(
                Meeting.id == request.hearing_id,
                Meeting.kind == MeetingKind.HEARING,
                Meeting.station_id == viewer.station_id,
            )
        )
        if hearing is None:
            raise Refused(UserError(ErrorCode.NOT_FOUND, "No such hearing of your station.", ["hearingId"]))
        if getattr(hearing, subject_column.key) != subject.id:
            raise Refused(
                UserError(
                    ErrorCode.INVALID, "The hearing was about another service or project.", ["hearingId"]
                )
            )
        if hearing.decision is not HearingDecision.APPROVED:
            raise Refused(
                UserError(
                    ErrorCode.HEARING_REQUIRED,
                    "The residents did not approve it at that hearing.",
                    ["hearingId"],
                )
            )
        return hearing.id
    if not (isinstance(subject, Project) and subject.requires_three_meetings):
        return None
    hearing_id = await session.scalar(
        select(Meeting.id)
        .where(
            subject_column == subject.id,
            Meeting.station_id == viewer.station_id,
            Meeting.kind == MeetingKind.HEARING,
            Meeting.decision == HearingDecision.APPROVED,
        )
        .order_by(Meeting.held_at.desc(), Meeting.id.desc())
        .limit(1)
    )
    if hearing_id is None:
        raise Refused(
            UserError(
                ErrorCode.HEARING_REQUIRED,
                "This project requires the three meetings (三会): record a hearing (听证会) "
                "where residents approve it first.",
                [field],
            )
        )
    return hearing_id


def _illegal(order_status: OrderStatus, action: OrderAction, viewer: Viewer) -> UserError:
    allowed = next_actions(viewer, order_status)
    named = ", ".join(a.name for a in allowed) or "none"
    return UserError(
        ErrorCode.ILLEGAL_TRANSITION,
        f"The order is {order_status.name}: {action.name} is not possible now. You may: {named}.",
        details={"current_status": order_status, "allowed_actions": allowed},
    )


OrderCheck = Callable[[AsyncSession, Order], Awaitable[None]]
"""A check of the order an action is about to change, refusing with `Refused`."""


def _authorize(ctx: Context, action: OrderAction) -> Viewer:
    """The viewer, refused at once when their role can never take the action."""
    return require_role(ctx, *roles_for(action))


@asynccontextmanager
async def _changing(
    ctx: Context,
    order_id: int,
    action: OrderAction,
    *,
    changes: dict[str, Any] | None = None,
    note: str = "",
    validate: OrderCheck | None = None,
) -> AsyncIterator[tuple[AsyncSession, Order]]:
    """Apply `action` to the order in one transaction: check its state against the lifecycle
    (and the order against `validate`), update the row only if nobody changed it since it
    was read, append the event. The block runs in the same transaction with the changed order."""
    viewer = ctx.viewer
    async with ctx.transaction() as session:
        order = await session.scalar(
            visible_orders(ctx.viewer).where(Order.id == order_id).execution_options(populate_existing=True)
        )
        if order is None:
            raise Refused(UserError(ErrorCode.NOT_FOUND, "No such order.", ["orderId"]))
        transition = LIFECYCLE.get((order.status, action))
        if transition is None or viewer.role not in transition.roles:
            raise Refused(_illegal(order.status, action, viewer))
        if validate is not None:
            await validate(session, order)
        from_status, read_version = order.status, order.version
        updated = await session.scalar(
            update(Order)
            .where(Order.id == order.id, Order.version == read_version)
            .values(status=transition.to, version=Order.version + 1, **(changes or {}))
            .returning(Order),
            execution_options={"populate_existing": True, "synchronize_session": False},
        )
        if updated is None:
            current = await session.scalar(
                select(Order).where(Order.id == order.id).execution_options(populate_existing=True)
            )
            raise Refused(
                UserError(
                    ErrorCode.CONFLICT,
                    f"Someone changed the order at the same moment; it is now {current.status.name}. "
                    "Reload it and decide again.",
                    details={
                        "current_status": current.status,
                        "allowed_actions": next_actions(viewer, current.status),
                    },
                )
            )
        await append_event(session, updated, action=action, from_status=from_status, actor=viewer, note=note)
        yield session, updated


async def _transition(ctx: Context, order_id: int, action: OrderAction, **options) -> Order:
    """An action that changes nothing but the order (see `_changing`)."""
    async with _changing(ctx, order_id, action, **options) as (_, order):
        return order


@dataclass(frozen=True)
class ResponsiblePerson:
    """The person the provider designates (指定责任制)."""

    name: str
    phone: str
    user_id: int | None = None


async def accept_order(ctx: Context, order_id: int, responsible: ResponsiblePerson, note: str = "") -> Order:
    _authorize(ctx, OrderAction.ACCEPT)
    checks = Checks()
    checks.text("responsibleName", responsible.name, max_length=MAX_NAME)
    _check_phone(checks, "responsiblePhone", responsible.phone)
    checks.text("note", note, max_length=MAX_NOTE, required=False)
    checks.done()

    async def validate(session: AsyncSession, order: Order) -> None:
        if responsible.user_id is None:
            return
        staff = await session.scalar(
            select(User.id).where(
                User.id == responsible.user_id,
                User.role == Role.PROVIDER_STAFF,
                User.provider_id == order.provider_id,
                User.is_active,
            )
        )
        if staff is None:
            raise Refused(
                UserError(
                    ErrorCode.INVALID,
                    "The responsible user must be an active staff account of the delivering provider.",
                    ["responsibleUserId"],
                )
            )

    return await _transition(
        ctx,
        order_id,
        OrderAction.ACCEPT,
        changes={
            "responsible_name": responsible.name.strip(),
            "responsible_phone": responsible.phone.strip(),
            "responsible_user_id": responsible.user_id,
        },
        note=note.strip(),
        validate=validate,
    )


async def decline_order(ctx: Context, order_id: int, reason: str) -> Order:
    _authorize(ctx, OrderAction.DECLINE)
    checks = Checks()
    checks.text("reason", reason, max_length=MAX_REASON)
    checks.done()
    return await _transition(
        ctx, order_id, OrderAction.DECLINE, changes={"decline_reason": reason.strip()}, note=reason.strip()
    )


async def schedule_order(ctx: Context, order_id: int, scheduled_at: datetime, note: str = "") -> Order:
    _authorize(ctx, OrderAction.SCHEDULE)
    checks = Checks()
    checks.not_in_past("scheduledAt", scheduled_at, now())
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
                    ["scheduledAt"],
                )
            )

    return await _transition(
        ctx,
        order_id,
        OrderAction.SCHEDULE,
        changes={"scheduled_at": scheduled_at},
        note=note.strip(),
        validate=validate,
    )


def _note_only(action: OrderAction):
    async def act(ctx: Context, order_id: int, note: str = "") -> Order:
        _authorize(ctx, action)
        checks = Checks()
        checks.text("note", note, max_length=MAX_NOTE, required=False)
        checks.done()
        return await _transition(ctx, order_id, action, note=note.strip())

    return act


start_order = _note_only(OrderAction.START)
deliver_order = _note_only(OrderAction.DELIVER)
confirm_delivery = _note_only(OrderAction.CONFIRM_DELIVERY)


async def reject_delivery(ctx: Context, order_id: int, reason: str) -> Order:
    _authorize(ctx, OrderAction.REJECT_DELIVERY)
    checks = Checks()
    checks.text("reason", reason, max_length=MAX_REASON)
    checks.done()
    return await _transition(
        ctx,
        order_id,
        OrderAction.REJECT_DELIVERY,
        changes={"rejection_reason": reason.strip()},
        note=reason.strip(),
    )


async def cancel_order(ctx: Context, order_id: int, reason: str = "") -> Order:
    _authorize(ctx, OrderAction.CANCEL)
    checks = Checks()
    checks.text("reason", reason, max_length=MAX_REASON, required=False)
    checks.done()
    return await _transition(
        ctx,
        order_id,
        OrderAction.CANCEL,
        changes={"cancellation_reason": reason.strip() or None},
        note=reason.strip(),
    )


@dataclass(frozen=True)
class MeetingRecord:
    """What every meeting record holds."""

    held_at: datetime
    attendees: int
    minutes: str


def _check_meeting(checks: Checks, prefix: str, record: MeetingRecord) -> None:
    if record.held_at > now():
        checks.fail(f"{prefix}heldAt", ErrorCode.OUT_OF_RANGE, "A meeting is recorded after it was held.")
    checks.between(f"{prefix}attendees", record.attendees, 1, MAX_ATTENDEES)
    checks.text(f"{prefix}minutes", record.minutes, max_length=MAX_MINUTES)


def _held_since_placement(record: MeetingRecord, prefix: str) -> OrderCheck:
    async def check(session: AsyncSession, order: Order) -> None:
        if record.held_at < order.created_at:
            raise Refused(
                UserError(
                    ErrorCode.OUT_OF_RANGE,
                    "The meeting cannot precede the order it is about.",
                    f"{prefix}heldAt".split("."),
                )
            )

    return check


async def _add_meeting(
    session: AsyncSession, kind: MeetingKind, order: Order, record: MeetingRecord, viewer: Viewer
) -> Meeting:
    meeting = Meeting(
        kind=kind,
        station_id=order.station_id,
        provider_id=order.provider_id,
        service_id=order.service_id,
        project_id=order.project_id,
        order_id=order.id,
        held_at=record.held_at,
        attendees=record.attendees,
        minutes=record.minutes.strip(),
        recorded_by_id=viewer.user_id,
    )
    session.add(meeting)
    await session.flush()
    return meeting


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
    viewer = _authorize(ctx, OrderAction.EVALUATE)
    checks = Checks()
    checks.between("rating", rating, 1, 5)
    checks.between("satisfaction", satisfaction, 0, 100)
    checks.text("comment", comment, max_length=MAX_NOTE, required=False)
    if meeting is not None:
        _check_meeting(checks, "meeting.", meeting)
    checks.done()

    async with _changing(
        ctx,
        order_id,
        OrderAction.EVALUATE,
        changes={
            "rating": rating,
            "satisfaction": satisfaction,
            "evaluation_comment": comment.strip() or None,
            "evaluated_at": func.now(),
        },
        note=comment.strip(),
        validate=_held_since_placement(meeting, "meeting.") if meeting else None,
    ) as (session, order):
        if meeting is not None:
            await _add_meeting(session, MeetingKind.EVALUATION, order, meeting, viewer)
    return order


async def record_coordination_meeting(
    ctx: Context, order_id: int, record: MeetingRecord
) -> tuple[Order, Meeting]:
    """Record a coordination meeting (协调会) held while the order is being delivered."""
    viewer = _authorize(ctx, OrderAction.RECORD_COORDINATION_MEETING)
    checks = Checks()
    _check_meeting(checks, "", record)
    checks.done()
    async with _changing(
        ctx, order_id, OrderAction.RECORD_COORDINATION_MEETING, validate=_held_since_placement(record, "")
    ) as (session, order):
        meeting = await _add_meeting(session, MeetingKind.COORDINATION, order, record, viewer)
    return order, meeting


@dataclass(frozen=True)
class Hearing:
    service_id: int | None
    project_id: int | None
    record: MeetingRecord
    votes_for: int
    votes_against: int
    votes_abstaining: int
    decision: HearingDecision


async def record_hearing(ctx: Context, hearing: Hearing) -> Meeting:
    """Record a hearing (听证会) where the station's residents decide whether to order something."""
    viewer = require_role(ctx, *ORDERERS)
    checks = Checks()
    if (hearing.service_id is None) == (hearing.project_id is None):
        checks.fail(
            "serviceId", ErrorCode.REQUIRED, "Give either the `serviceId` or the `projectId` discussed."
        )
    _check_meeting(checks, "", hearing.record)
    for field, votes in (
        ("votesFor", hearing.votes_for),
        ("votesAgainst", hearing.votes_against),
        ("votesAbstaining", hearing.votes_abstaining),
    ):
        checks.between(field, votes, 0, MAX_ATTENDEES)
    if hearing.votes_for + hearing.votes_against + hearing.votes_abstaining > hearing.record.attendees:
        checks.fail("attendees", ErrorCode.INVALID, "More votes were cast than people attended.")
    if hearing.decision is HearingDecision.APPROVED and hearing.votes_for <= hearing.votes_against:
        checks.fail("decision", ErrorCode.INVALID, "An approval needs more votes for than against.")
    checks.done()
    async with ctx.transaction() as session:
        subject = await _lock_orderable(session, viewer, hearing.service_id, hearing.project_id)
        meeting = Meeting(
            kind=MeetingKind.HEARING,
            station_id=viewer.station_id,
            provider_id=subject.provider_id,
            service_id=hearing.service_id,
            project_id=hearing.project_id,
            held_at=hearing.record.held_at,
            attendees=hearing.record.attendees,
            votes_for=hearing.votes_for,
            votes_against=hearing.votes_against,
            votes_abstaining=hearing.votes_abstaining,
            decision=hearing.decision,
            minutes=hearing.record.minutes.strip(),
            recorded_by_id=viewer.user_id,
        )
        session.add(meeting)
        await session.flush()
    return meeting


# Live events: subscriptions and deadline alerts

REPLAY_PAGE = 200


@dataclass(frozen=True)
class LiveEvent:
    """An event with the facts subscriptions are filtered by."""

    event: OrderEvent
    station_id: int
    provider_id: int
    town_id: int

    @property
    def id(self) -> int:
        return self.event.id


def _live_events_query() -> Select:
    return (
        select(OrderEvent, Order.station_id, Order.provider_id, Station.town_id)
        .join(Order, Order.id == OrderEvent.order_id)
        .join(Station, Station.id == Order.station_id)
        .order_by(OrderEvent.id)
    )


async def events_after(sessionmaker, after_id: int, limit: int) -> list[LiveEvent]:
    """Committed events after an id, in commit order (the broker's read)."""
    async with sessionmaker() as session:
        rows = await session.execute(_live_events_query().where(OrderEvent.id > after_id).limit(limit))
        return [LiveEvent(*row) for row in rows]


async def latest_event_id(sessionmaker) -> int:
    async with sessionmaker() as session:
        return await session.scalar(select(func.coalesce(func.max(OrderEvent.id), 0)))


@dataclass(frozen=True)
class EventScope:
    """Which events a subscription receives; None means any."""

    order_id: int | None = None
    station_id: int | None = None
    provider_id: int | None = None
    town_id: int | None = None
    alerts_only: bool = False

    def accepts(self, live: LiveEvent) -> bool:
        return (
            (self.order_id is None or live.event.order_id == self.order_id)
            and (self.station_id is None or live.station_id == self.station_id)
            and (self.provider_id is None or live.provider_id == self.provider_id)
            and (self.town_id is None or live.town_id == self.town_id)
            and (not self.alerts_only or live.event.action in DEADLINE_ALERTS)
        )

    def condition(self):
        conditions = [
            column == value
            for column, value in (
                (OrderEvent.order_id, self.order_id),
                (Order.station_id, self.station_id),
                (Order.provider_id, self.provider_id),
                (Station.town_id, self.town_id),
            )
            if value is not None
        ]
        if self.alerts_only:
            conditions.append(OrderEvent.action.in_(DEADLINE_ALERTS))
        return and_(true(), *conditions)


async def order_scope(ctx: Context, order_id: int) -> EventScope:
    """Every event of one order the viewer may see."""
    require_role(ctx)
    if await order_loader(ctx).load(order_id) is None:
        raise not_visible("order")
    return EventScope(order_id=order_id)


async def station_scope(ctx: Context, station_id: int) -> EventScope:
    """Every event of a station's orders."""
    viewer = require_role(ctx)
    async with ctx.db.session() as session:
        town_id = await session.scalar(select(Station.town_id).where(Station.id == station_id))
    if not may_follow_station(viewer, station_id, town_id):
        raise not_visible("station")
    return EventScope(station_id=station_id)


async def provider_scope(ctx: Context, provider_id: int) -> EventScope:
    """New orders and every change of the orders addressed to a provider."""
    if not may_follow_provider(require_role(ctx), provider_id):
        raise not_visible("provider")
    return EventScope(provider_id=provider_id)


def alerts_scope(ctx: Context) -> EventScope:
    """Deadline alerts of the orders the viewer may see."""
    return EventScope(**alert_scope(require_role(ctx)), alerts_only=True)


def event_cursor(event_id: int) -> str:
    return base64.urlsafe_b64encode(f"event:{event_id}".encode()).decode().rstrip("=")


def parse_event_cursor(cursor: str) -> int:
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().partition(":")
        if kind != "event" or not value.isdigit():
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ClientError(
            "Invalid cursor: pass the `cursor` of the last event you received.", code="INVALID_CURSOR"
        ) from None


async def live_events(ctx: Context, scope: EventScope, after: str | None) -> AsyncIterator[OrderEvent]:
    """The events of a scope after a cursor, replayed from the history, then live: no gap, no repeat.

    The subscriber registers with the broker before replaying, so an event committed
    during the replay is both read and queued; ids tell the repeat apart.
    """
    broker = ctx.broker
    cursor = parse_event_cursor(after) if after is not None else None
    await broker.started.wait()
    last_seen = cursor if cursor is not None else broker.last_id
    subscriber = broker.subscribe(scope.accepts)
    try:
        if after is not None:
            while True:
                async with ctx.db.session() as session:
                    rows = await session.execute(
                        _live_events_query()
                        .where(OrderEvent.id > last_seen, scope.condition())
                        .limit(REPLAY_PAGE)
                    )
                    page = [row[0] for row in rows]
                for event in page:
                    yield event
                    last_seen = event.id
                    await _between_events(ctx)
                if len(page) < REPLAY_PAGE:
                    break
        async for live in subscriber.events():
            if live.id <= last_seen:
                continue
            yield live.event
            last_seen = live.id
            await _between_events(ctx)
    finally:
        broker.unsubscribe(subscriber)


async def _between_events(ctx: Context) -> None:
    """A subscription lives for hours: hold no connection and cache nothing between its events."""
    await ctx.db.close()
    ctx.loaders.clear()


async def raise_deadline_alerts(sessionmaker) -> int:
    """Append an alert event for each deadline newly near or past; return how many.

    Every process scans; the unique index on (order, deadline, stage) lets one claim
    each alert, so it is raised once however many processes run.
    """
    now = func.now()
    stages = []
    for deadline, alert_at, due_at, statuses in (
        (Deadline.RESPONSE, Order.response_alert_at, Order.response_due_at, (OrderStatus.SUBMITTED,)),
        (Deadline.DELIVERY, Order.delivery_alert_at, Order.delivery_due_at, AWAITING_DELIVERY),
    ):
        stage = case(
            (due_at <= now, OrderAction.DEADLINE_PASSED.name), else_=OrderAction.DEADLINE_NEARING.name
        )
        stages.append(
            select(
                Order.id.label("order_id"),
                stage.label("action"),
                Order.status.label("from_status"),
                Order.status.label("to_status"),
                literal(deadline.name).label("deadline"),
            ).where(Order.status.in_(statuses), alert_at <= now)
        )
    due = union_all(*stages).subquery()
    already = select(OrderEvent.id).where(
        OrderEvent.order_id == due.c.order_id,
        OrderEvent.deadline == due.c.deadline,
        OrderEvent.action == due.c.action,
    )
    pending = select(due).where(~already.exists())
    async with sessionmaker() as session, session.begin():
        if not (await session.execute(pending.limit(1))).first():
            return 0
        await claim_event_ids(session)
        inserted = await session.execute(
            pg_insert(OrderEvent)
            .from_select(["order_id", "action", "from_status", "to_status", "deadline"], pending)
            .on_conflict_do_nothing()
            .returning(OrderEvent.id)
        )
        ids = inserted.scalars().all()
        if ids:
            await announce_events(session, max(ids))
        return len(ids)

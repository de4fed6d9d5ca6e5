"""Reading orders: loaders, the order filter and orderings, lists, nested lists and history.

Every read starts from `resolvers.access.visible_orders` (or `visible_meetings`), so a
list, a lookup by id and a nested list show a viewer the same orders.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select
from strawberry.dataloader import DataLoader

from models import (
    HearingDecision,
    Meeting,
    MeetingKind,
    Order,
    OrderEvent,
    OrderKind,
    OrderStatus,
    Project,
    Service,
    Station,
    Town,
    Urgency,
)
from models.orders import RELEASED
from resolvers.access import visible_meetings, visible_orders
from resolvers.context import Context
from resolvers.loading import among, by_id
from resolvers.orders.deadlines import aware, overdue_condition
from resolvers.pagination import Ordering, Page, PageRequest, child_pages, paginate

# The two kinds of things a station orders.
Subject = TypeVar("Subject", Service, Project)


def order_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Order, visible_orders(ctx.viewer))


def meeting_loader(ctx: Context) -> DataLoader[int, Any]:
    return by_id(ctx, Meeting, visible_meetings(ctx.viewer))


def event_loader(ctx: Context) -> DataLoader[int, Any]:
    visible_ids = visible_orders(ctx.viewer).with_only_columns(Order.id)
    return by_id(ctx, OrderEvent, select(OrderEvent).where(OrderEvent.order_id.in_(visible_ids)))


def subject_loader(ctx: Context, model: type[Subject]) -> DataLoader[int, Subject | None]:
    """Services or projects of visible orders, whatever their publication status now: a station
    keeps seeing what it ordered after the provider withdraws it."""

    async def load(ids: list[int]) -> list[Subject | None]:
        async with ctx.db.session() as session:
            rows = (await session.scalars(select(model).where(among(model.id, ids)))).all()
        found = {row.id: row for row in rows}
        return [found.get(identity) for identity in ids]

    return ctx.loaders.get(("order.subject", model), load)


def meetings_of_order(ctx: Context) -> DataLoader[int, list[Meeting]]:
    """A loader from order id to its meetings: the hearing it was placed on and those held for it."""

    async def load(order_ids: list[int]) -> list[list[Meeting]]:
        stmt = (
            select(Meeting, Order.id)
            .join(Order, or_(Meeting.order_id == Order.id, Meeting.id == Order.hearing_id))
            .where(among(Order.id, order_ids))
            .order_by(Meeting.held_at, Meeting.id)
        )
        async with ctx.db.session() as session:
            rows = (await session.execute(stmt)).all()
        meetings: dict[int, list[Meeting]] = {order_id: [] for order_id in order_ids}
        for meeting, order_id in rows:
            meetings[order_id].append(meeting)
        return [meetings[order_id] for order_id in order_ids]

    return ctx.loaders.get("order.meetings", load)


class OrderSortField(enum.Enum):
    CREATED_AT = "CREATED_AT"
    REQUESTED_START = "REQUESTED_START"
    RESPONSE_DUE_AT = "RESPONSE_DUE_AT"
    DELIVERY_DUE_AT = "DELIVERY_DUE_AT"


SORT_COLUMNS = {
    OrderSortField.CREATED_AT: Order.created_at,
    OrderSortField.REQUESTED_START: Order.requested_start,
    OrderSortField.RESPONSE_DUE_AT: Order.response_due_at,
    OrderSortField.DELIVERY_DUE_AT: Order.delivery_due_at,
}


def order_ordering(field: OrderSortField = OrderSortField.CREATED_AT, descending: bool = True) -> Ordering:
    return Ordering(
        key=f"order.{field.name}", column=SORT_COLUMNS[field], tiebreaker=Order.id, descending=descending
    )


EVENT_ORDERING = Ordering(key="event.ID", column=OrderEvent.id, tiebreaker=OrderEvent.id)


@dataclass(frozen=True)
class OrderFilter:
    """Which orders to list; times without an offset are the district's local time."""

    status: tuple[OrderStatus, ...] = ()
    urgency: Urgency | None = None
    kind: OrderKind | None = None
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


def orders_query(ctx: Context, f: OrderFilter) -> Select[Any]:
    stmt = visible_orders(ctx.viewer)
    if f.status:
        stmt = stmt.where(Order.status.in_(f.status))
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
        (Order.kind, f.kind),
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
        stmt = stmt.where(Order.created_at >= aware(f.placed_after))
    if f.placed_before is not None:
        stmt = stmt.where(Order.created_at < aware(f.placed_before))
    return stmt


async def list_orders(ctx: Context, f: OrderFilter, ordering: Ordering, page: PageRequest) -> Page[Order]:
    return await paginate(ctx, orders_query(ctx, f), ordering, page)


async def orders_of_station(
    ctx: Context, station_id: int, f: OrderFilter, ordering: Ordering, page: PageRequest
) -> Page[Order]:
    loader = child_pages(ctx, ("station.orders", f), orders_query(ctx, f), Order.station_id, ordering, page)
    return await loader.load(station_id)


async def orders_of_provider(
    ctx: Context, provider_id: int, f: OrderFilter, ordering: Ordering, page: PageRequest
) -> Page[Order]:
    loader = child_pages(ctx, ("provider.orders", f), orders_query(ctx, f), Order.provider_id, ordering, page)
    return await loader.load(provider_id)


async def history_of_order(ctx: Context, order_id: int, page: PageRequest) -> Page[OrderEvent]:
    """The events of an order the caller has already seen, oldest first."""
    loader = child_pages(ctx, "order.history", select(OrderEvent), OrderEvent.order_id, EVENT_ORDERING, page)
    return await loader.load(order_id)


def orders_on_hearing(ctx: Context) -> DataLoader[int, int]:
    """A loader from hearing id to how many orders rest on it, declined and cancelled ones aside."""

    async def load(hearing_ids: list[int]) -> list[int]:
        stmt = (
            select(Order.hearing_id, func.count())
            .where(among(Order.hearing_id, hearing_ids), Order.status.not_in(RELEASED))
            .group_by(Order.hearing_id)
        )
        async with ctx.db.session() as session:
            counts = dict((await session.execute(stmt)).all())
        return [counts.get(hearing_id, 0) for hearing_id in hearing_ids]

    return ctx.loaders.get("hearing.orders", load)


class MeetingSortField(enum.Enum):
    HELD_AT = "HELD_AT"


def meeting_ordering(field: MeetingSortField = MeetingSortField.HELD_AT, descending: bool = True) -> Ordering:
    return Ordering(
        key=f"meeting.{field.name}", column=Meeting.held_at, tiebreaker=Meeting.id, descending=descending
    )


@dataclass(frozen=True)
class MeetingFilter:
    """Which meetings of a station to list; times without an offset are the district's local time.

    Every condition is served by an index on (station, …, held_at, id) or (subject, station).
    """

    kind: tuple[MeetingKind, ...] = ()
    decision: HearingDecision | None = None
    service_id: int | None = None
    project_id: int | None = None
    held_after: datetime | None = None
    held_before: datetime | None = None
    upcoming: bool | None = None


def meetings_query(ctx: Context, f: MeetingFilter) -> Select[Any]:
    stmt = visible_meetings(ctx.viewer)
    if f.kind:
        stmt = stmt.where(Meeting.kind.in_(f.kind))
    for column, value in (
        (Meeting.decision, f.decision),
        (Meeting.service_id, f.service_id),
        (Meeting.project_id, f.project_id),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if f.held_after is not None:
        stmt = stmt.where(Meeting.held_at >= aware(f.held_after))
    if f.held_before is not None:
        stmt = stmt.where(Meeting.held_at < aware(f.held_before))
    if f.upcoming is not None:
        stmt = stmt.where(Meeting.held_at >= func.now() if f.upcoming else Meeting.held_at < func.now())
    return stmt


async def meetings_of_station(
    ctx: Context, station_id: int, f: MeetingFilter, ordering: Ordering, page: PageRequest
) -> Page[Meeting]:
    loader = child_pages(
        ctx, ("station.meetings", f), meetings_query(ctx, f), Meeting.station_id, ordering, page
    )
    return await loader.load(station_id)

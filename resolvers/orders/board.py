"""The boards a station screen and a provider console draw in one query, then keep current live.

A board is the first read of a screen: what needs attention today. It notes the
broker's position before anything is read, so a subscription started `after` that
cursor replays every change committed since (some of which the board may already
show: a client applies events by order id and status, so a repeat changes nothing).
Each of its lists is one bounded page read by one statement, and its counts one
GROUP BY, so a board costs the same few statements however many orders exist.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, func, literal, select
from sqlalchemy.dialects.postgresql import INTERVAL

from models import Demand, Meeting, Order, OrderStatus, Station
from models.cases import OPEN_CASES
from models.volunteers import AWAITING_COMPLETION
from resolvers.access import (
    may_follow_provider,
    may_follow_station,
    not_visible,
    require_role,
    visible_demands,
)
from resolvers.cases.queries import CaseFilter, case_ordering, cases_query
from resolvers.context import Context
from resolvers.errors import ClientError
from resolvers.lists.demand_lifecycle import UNMET
from resolvers.lists.queries import demand_ordering
from resolvers.orders.deadlines import due_soon_condition, local_midnight, overdue_condition, today
from resolvers.orders.events import event_cursor
from resolvers.orders.queries import (
    MeetingFilter,
    OrderFilter,
    OrderSortField,
    meeting_ordering,
    meetings_query,
    order_ordering,
    orders_query,
)
from resolvers.pagination import Page, PageRequest, paginate
from resolvers.tasks.queries import TaskFilter, TaskOrderField, task_ordering, tasks_query

# "Due soon" on a station's board: within the hour.
DUE_SOON = timedelta(hours=1)
# Whose board: a station's orders are those it placed, a provider's those addressed to it.
Side = Literal["station", "provider"]


@dataclass(frozen=True)
class Board:
    """Whose board it is, the local day it shows, and where the live feed stood before it was read."""

    owner_id: int
    day: date
    live_position: int

    @property
    def live_cursor(self) -> str:
        return event_cursor(self.live_position)

    @property
    def day_starts_at(self) -> datetime:
        return local_midnight(self.day)

    @property
    def day_ends_at(self) -> datetime:
        return local_midnight(self.day + timedelta(days=1))


async def station_board(ctx: Context, station_id: int | None) -> Board:
    """The board of a station: its own staff's by default; its town's staff and administrators name it."""
    viewer = require_role(ctx)
    station_id = station_id if station_id is not None else viewer.station_id
    if station_id is None:
        raise ClientError("Name the station whose board to show: `stationId`.", code="BAD_REQUEST")
    async with ctx.db.session() as session:
        town_id = await session.scalar(select(Station.town_id).where(Station.id == station_id))
    if not may_follow_station(viewer, station_id, town_id):
        raise not_visible("station")
    return Board(station_id, today(), await ctx.broker.position())


async def provider_board(ctx: Context, provider_id: int | None) -> Board:
    """The board of a provider: its own staff's by default; administrators name it."""
    viewer = require_role(ctx)
    provider_id = provider_id if provider_id is not None else viewer.provider_id
    if provider_id is None:
        raise ClientError("Name the provider whose board to show: `providerId`.", code="BAD_REQUEST")
    if not may_follow_provider(viewer, provider_id):
        raise not_visible("provider")
    return Board(provider_id, today(), await ctx.broker.position())


async def placed_today_by_status(ctx: Context, board: Board, side: Side) -> dict[OrderStatus, int]:
    """How many of the orders placed on the board's day (in the district's time zone) are in each status."""
    owner = Order.station_id if side == "station" else Order.provider_id
    stmt = (
        orders_query(ctx, OrderFilter())
        .with_only_columns(Order.status, func.count())
        .where(
            owner == board.owner_id,
            Order.created_at >= board.day_starts_at,
            Order.created_at < board.day_ends_at,
        )
        .group_by(Order.status)
    )
    async with ctx.db.session() as session:
        counts = dict((await session.execute(stmt)).all())
    return {status: counts.get(status, 0) for status in OrderStatus}


OrderList = Callable[[Context, Board, PageRequest], Awaitable[Page[Order]]]


def order_list(
    side: Side,
    condition: Callable[[Board], ColumnElement[bool]],
    field: OrderSortField = OrderSortField.CREATED_AT,
    *,
    descending: bool = False,
) -> OrderList:
    """A board's list of the orders of its station or provider that meet `condition`."""

    async def load(ctx: Context, board: Board, page: PageRequest) -> Page[Order]:
        owner = (
            OrderFilter(station_id=board.owner_id)
            if side == "station"
            else OrderFilter(provider_id=board.owner_id)
        )
        stmt = orders_query(ctx, owner).where(condition(board))
        return await paginate(ctx, stmt, order_ordering(field, descending), page)

    return load


def _in_status(status: OrderStatus) -> Callable[[Board], ColumnElement[bool]]:
    return lambda board: Order.status == status


def _overdue(board: Board) -> ColumnElement[bool]:
    return overdue_condition()


def _due_within_the_hour(board: Board) -> ColumnElement[bool]:
    return due_soon_condition(func.now() + literal(DUE_SOON, INTERVAL()))


def _due_today(board: Board) -> ColumnElement[bool]:
    return due_soon_condition(board.day_ends_at)


station_overdue = order_list("station", _overdue)
station_due_soon = order_list("station", _due_within_the_hour)
awaiting_confirmation = order_list("station", _in_status(OrderStatus.DELIVERED))
awaiting_evaluation = order_list("station", _in_status(OrderStatus.COMPLETED))
provider_new_orders = order_list("provider", _in_status(OrderStatus.SUBMITTED))
provider_overdue = order_list("provider", _overdue)
provider_due_today = order_list("provider", _due_today)


async def open_demands(ctx: Context, board: Board, page: PageRequest) -> Page[Any]:
    """The station's demands still to be met, newest first."""
    stmt = visible_demands(ctx.viewer).where(Demand.station_id == board.owner_id, Demand.status.in_(UNMET))
    return await paginate(ctx, stmt, demand_ordering(), page)


async def next_meetings(ctx: Context, board: Board, page: PageRequest) -> Page[Meeting]:
    """The station's meetings still ahead (planned hearings), soonest first."""
    stmt = meetings_query(ctx, MeetingFilter(upcoming=True)).where(Meeting.station_id == board.owner_id)
    return await paginate(ctx, stmt, meeting_ordering(descending=False), page)


async def open_cases(ctx: Context, board: Board, page: PageRequest) -> Page[Any]:
    """The station's cases not yet closed (received, or taken on and still open), oldest first."""
    stmt = cases_query(ctx, CaseFilter(station_id=board.owner_id, status=OPEN_CASES))
    return await paginate(ctx, stmt, case_ordering(descending=False), page)


async def open_tasks(ctx: Context, board: Board, page: PageRequest) -> Page[Any]:
    """The station's volunteer tasks not yet done (open, taken, in progress), soonest first."""
    stmt = tasks_query(ctx, TaskFilter(station_id=board.owner_id, status=AWAITING_COMPLETION))
    return await paginate(ctx, stmt, task_ordering(TaskOrderField.STARTS_AT, descending=False), page)

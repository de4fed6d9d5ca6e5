"""Time in the district, the deadlines of orders and volunteer tasks, and when a deadline is overdue.

Each deadline is defined once (`RESPONSE`, `DELIVERY` of orders; `TASK_TAKE`, `TASK_COMPLETION`
of tasks): the statuses in which the order or task still owes it and the column of its due time. The seconds left, the overdue
check of an order, the SQL condition of the `overdue` filter and the boards' lists of
orders overdue and due soon all derive from it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol, overload
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, literal_column, or_
from sqlalchemy.orm import InstrumentedAttribute

from models import (
    CapacityPeriod,
    Order,
    OrderStatus,
    Project,
    Service,
    Task,
    TaskDeadline,
    TaskStatus,
    Urgency,
)
from models.orders import AWAITING_DELIVERY, Deadline
from models.volunteers import AWAITING_COMPLETION
from resolvers.context import reads_the_moment

# Days, deadlines and capacity periods follow the calendar of the district.
LOCAL_TIME = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    # An answer computed from the clock changes with no table changing: never cached.
    reads_the_moment("the clock")
    return datetime.now(UTC)


def today() -> date:
    return now().astimezone(LOCAL_TIME).date()


@overload
def aware(moment: datetime) -> datetime: ...
@overload
def aware(moment: None) -> None: ...
def aware(moment: datetime | None) -> datetime | None:
    """A time given without an offset is the district's local time."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=LOCAL_TIME)


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), LOCAL_TIME)


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


class Dated(Protocol):
    """An order or task as a row or as the API shows it: its status (due times are read by name)."""

    @property
    def status(self) -> enum.Enum: ...


class Met(Dated, Protocol):
    """An order or task, with the times its deadlines were met (read by name)."""


@dataclass(frozen=True)
class DeadlineRule:
    """A deadline: the statuses in which the order (or task) still owes it, the columns of its due and
    alert times, and of when it was met. The status column is the one of the due time's table.

    Whether an order kept it (`kept`, and its SQL twin `kept_sql`) is judged once it was met,
    or once it is overdue and still owed; an order cancelled before is not judged.
    """

    deadline: Deadline | TaskDeadline
    statuses: tuple[OrderStatus, ...] | tuple[TaskStatus, ...]
    due_at: InstrumentedAttribute[datetime]
    alert_at: InstrumentedAttribute[datetime]
    met_at: InstrumentedAttribute[datetime | None]

    def seconds_left(self, order: Dated, moment: datetime) -> int | None:
        """Seconds until it is due, negative when overdue; None once the order no longer owes it."""
        if order.status not in self.statuses:
            return None
        return int((self._due(order) - moment).total_seconds())

    def is_overdue(self, order: Dated, moment: datetime) -> bool:
        return order.status in self.statuses and self._due(order) < moment

    def owed(self) -> ColumnElement[bool]:
        """The orders that still owe it."""
        status: InstrumentedAttribute[enum.Enum] = self.due_at.class_.status
        # Literal values, not parameters, so the planner matches the partial indexes.
        return status.in_([literal_column(f"'{status.name}'") for status in self.statuses])

    def overdue(self) -> ColumnElement[bool]:
        return and_(self.owed(), self.due_at < func.now())

    def due_before(self, end: ColumnElement[datetime] | datetime) -> ColumnElement[bool]:
        """The orders that owe it, not yet overdue, due before `end`."""
        return and_(self.owed(), self.due_at >= func.now(), self.due_at < end)

    def kept(self, order: Met, moment: datetime) -> bool | None:
        """Whether the order met it in time; None while it is not yet judged."""
        met: datetime | None = getattr(order, self.met_at.key)
        if met is not None:
            return met <= self._due(order)
        return False if self.is_overdue(order, moment) else None

    def judged_sql(self) -> ColumnElement[bool]:
        """The orders `kept` judges: met, or overdue and still owed."""
        return or_(self.met_at.is_not(None), self.overdue())

    def kept_sql(self) -> ColumnElement[bool]:
        """The orders that met it in time (`kept` is True)."""
        return and_(self.met_at.is_not(None), self.met_at <= self.due_at)

    def _due(self, order: Dated) -> datetime:
        due: datetime = getattr(order, self.due_at.key)
        return due


# The provider answers (accepts or declines) while the order is submitted.
RESPONSE = DeadlineRule(
    Deadline.RESPONSE,
    (OrderStatus.SUBMITTED,),
    Order.response_due_at,
    Order.response_alert_at,
    Order.responded_at,
)
# Delivery is owed until the order is delivered, declined or cancelled.
DELIVERY = DeadlineRule(
    Deadline.DELIVERY, AWAITING_DELIVERY, Order.delivery_due_at, Order.delivery_alert_at, Order.delivered_at
)
DEADLINES = (RESPONSE, DELIVERY)


# Tasks raise no deadline alerts (resolvers.orders.alerts scans orders): their alert column is the due one.
# A task is taken while it is open: within the urgency's response limit (即接即办).
TASK_TAKE = DeadlineRule(
    TaskDeadline.TAKE, (TaskStatus.OPEN,), Task.take_due_at, Task.take_due_at, Task.taken_at
)
# A task is done and confirmed within the urgency's delivery limit (限时办结).
TASK_COMPLETION = DeadlineRule(
    TaskDeadline.COMPLETION,
    AWAITING_COMPLETION,
    Task.complete_due_at,
    Task.complete_due_at,
    Task.completed_at,
)
TASK_DEADLINES = (TASK_TAKE, TASK_COMPLETION)


@dataclass(frozen=True)
class TaskDeadlines:
    take_due_at: datetime
    complete_due_at: datetime


def task_deadlines(urgency: Urgency, posted_at: datetime, starts_at: datetime) -> TaskDeadlines:
    """When a volunteer must have taken a task posted at `posted_at`, and when it must be done:
    the urgency's response and delivery limits (`DEFAULT_TIME_LIMITS`), as for an order. The
    completion is counted from when work may begin: posting, or the window's start if later."""
    limit = DEFAULT_TIME_LIMITS[urgency]
    return TaskDeadlines(
        take_due_at=posted_at + timedelta(hours=limit.response_hours),
        complete_due_at=max(posted_at, starts_at) + timedelta(hours=limit.delivery_hours),
    )


def task_overdue_condition() -> ColumnElement[bool]:
    """The tasks past a deadline they still owe."""
    return or_(*(rule.overdue() for rule in TASK_DEADLINES))


def overdue_condition() -> ColumnElement[bool]:
    """The orders past a deadline they still owe."""
    return or_(*(rule.overdue() for rule in DEADLINES))


def due_soon_condition(end: ColumnElement[datetime] | datetime) -> ColumnElement[bool]:
    """The orders that will be past a deadline they still owe at `end`, and are not yet."""
    return or_(*(rule.due_before(end) for rule in DEADLINES))

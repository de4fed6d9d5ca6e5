"""Time in the district, the deadlines of orders, cases and volunteer tasks, and when a deadline is overdue.

Each deadline is defined once (`RESPONSE`, `DELIVERY` of orders and whistles; `CASE_ANSWER`,
`CASE_CLOSING` of cases; `TASK_TAKE`, `TASK_COMPLETION` of tasks): the statuses in which the row still owes it and the columns of its
due time and of when it was met. The seconds left, the overdue check, the SQL condition of
the `overdue` filters, the boards' lists of orders overdue and due soon, the statistics'
on-time counts and a town's extension of the deadline (`extended`) all derive from it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol, overload
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, func, literal_column, or_
from sqlalchemy.orm import InstrumentedAttribute

from models import (
    CapacityPeriod,
    Case,
    CaseDeadline,
    CaseStatus,
    Order,
    OrderStatus,
    Project,
    Service,
    Task,
    TaskDeadline,
    TaskStatus,
    Urgency,
)
from models.cases import OPEN_CASES
from models.orders import AWAITING_DELIVERY, Deadline
from models.statistics import LOCAL_ZONE
from models.volunteers import AWAITING_COMPLETION
from resolvers.context import reads_the_moment

# Days, deadlines and capacity periods follow the calendar of the district.
LOCAL_TIME = ZoneInfo(LOCAL_ZONE)


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

    def submitted(self, placed_at: datetime) -> dict[str, Any]:
        """The columns every new order (or whistle) starts with: submitted at `placed_at`, version
        1, these deadlines."""
        return {
            "status": OrderStatus.SUBMITTED,
            "version": 1,
            "response_due_at": self.response_due_at,
            "delivery_due_at": self.delivery_due_at,
            "response_alert_at": self.response_alert_at,
            "delivery_alert_at": self.delivery_alert_at,
            "created_at": placed_at,
            "updated_at": placed_at,
        }


def deadlines(
    subject: Service | Project | None, urgency: Urgency, placed_at: datetime, start: date
) -> Deadlines:
    """When the provider must answer, and deliver, an order placed at `placed_at`, and when
    to alert that a deadline nears: with a quarter of its time limit left.

    The response is due counted from placement. Delivery is counted from when work may
    begin: placement, or the first requested day when the station asked for a later one.
    A whistle has no subject: the urgency's own limits apply.
    """
    limit = time_limit(subject.time_limit_overrides if subject is not None else {}, urgency)
    work_may_begin = max(placed_at, local_midnight(start).astimezone(UTC))
    response, delivery = timedelta(hours=limit.response_hours), timedelta(hours=limit.delivery_hours)
    return Deadlines(
        response_due_at=placed_at + response,
        delivery_due_at=work_may_begin + delivery,
        response_alert_at=placed_at + response * 3 / 4,
        delivery_alert_at=work_may_begin + delivery * 3 / 4,
    )


def capacity_period(day: date, period: CapacityPeriod) -> tuple[date, date]:
    """The first day of the period holding `day`, and the first day after it (weeks start on Monday).

    The database counts bookings by the same periods (`date_trunc`, in the capacity trigger of
    migration 0026); the seed keeps its history within them with this."""
    if period is CapacityPeriod.DAY:
        return day, day + timedelta(days=1)
    if period is CapacityPeriod.WEEK:
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=7)
    first = day.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


class Owing(Protocol):
    """A row (order or case) as a row or as the API shows it: its status and due times."""

    @property
    def status(self) -> enum.Enum: ...


@dataclass(frozen=True)
class DeadlineRule:
    """A deadline: the statuses in which the row (an order, a case) still owes it, the columns
    of its status, of its due time and of when it was met.

    Whether a row kept it (`kept`, and its SQL twin `kept_sql`) is judged once it was met,
    or once it is overdue and still owed; a row closed otherwise before is not judged.
    Extending a deadline moves its due column, so every judgement here follows.
    """

    deadline: enum.Enum
    statuses: tuple[enum.Enum, ...]
    status: InstrumentedAttribute[Any]
    due_at: InstrumentedAttribute[datetime]
    met_at: InstrumentedAttribute[datetime | None]

    def seconds_left(self, order: Owing, moment: datetime) -> int | None:
        """Seconds until it is due, negative when overdue; None once the order no longer owes it."""
        if order.status not in self.statuses:
            return None
        return int((self.due(order) - moment).total_seconds())

    def is_overdue(self, order: Owing, moment: datetime) -> bool:
        return order.status in self.statuses and self.due(order) < moment

    def owed(self) -> ColumnElement[bool]:
        """The orders that still owe it."""
        # Literal values, not parameters, so the planner matches the partial indexes.
        return self.status.in_([literal_column(f"'{status.name}'") for status in self.statuses])

    def overdue(self) -> ColumnElement[bool]:
        return and_(self.owed(), self.due_at < func.now())

    def due_before(self, end: ColumnElement[datetime] | datetime) -> ColumnElement[bool]:
        """The orders that owe it, not yet overdue, due before `end`."""
        return and_(self.owed(), self.due_at >= func.now(), self.due_at < end)

    def kept(self, order: Owing, moment: datetime) -> bool | None:
        """Whether the order met it in time; None while it is not yet judged."""
        met: datetime | None = getattr(order, self.met_at.key)
        if met is not None:
            return met <= self.due(order)
        return False if self.is_overdue(order, moment) else None

    def judged_sql(self) -> ColumnElement[bool]:
        """The orders `kept` judges: met, or overdue and still owed."""
        return or_(self.met_at.is_not(None), self.overdue())

    def kept_sql(self) -> ColumnElement[bool]:
        """The orders that met it in time (`kept` is True)."""
        return and_(self.met_at.is_not(None), self.met_at <= self.due_at)

    def extended(self, due_at: datetime) -> dict[str, Any]:
        """The changes that extend it to `due_at` (town supervision): every judgement above follows."""
        return {self.due_at.key: due_at}

    def due(self, order: Owing) -> datetime:
        due: datetime = getattr(order, self.due_at.key)
        return due


@dataclass(frozen=True)
class AlertedRule(DeadlineRule):
    """A deadline whose nearing and passing are announced (resolvers.orders.alerts), from its alert column."""

    alert_at: InstrumentedAttribute[datetime]

    def extended(self, due_at: datetime) -> dict[str, Any]:
        """The alert keeps its distance before the deadline."""
        return {**super().extended(due_at), self.alert_at.key: self.alert_at + (due_at - self.due_at)}


# The provider answers (accepts or declines) while the order is submitted.
RESPONSE = AlertedRule(
    deadline=Deadline.RESPONSE,
    statuses=(OrderStatus.SUBMITTED,),
    status=Order.status,
    due_at=Order.response_due_at,
    met_at=Order.responded_at,
    alert_at=Order.response_alert_at,
)
# Delivery is owed until the order is delivered, declined or cancelled.
DELIVERY = AlertedRule(
    deadline=Deadline.DELIVERY,
    statuses=AWAITING_DELIVERY,
    status=Order.status,
    due_at=Order.delivery_due_at,
    met_at=Order.delivered_at,
    alert_at=Order.delivery_alert_at,
)
DEADLINES = (RESPONSE, DELIVERY)

# A case is taken on (handled on the spot, or turned into an order, demand or whistle) within the
# urgency's response limit, and closed, its result told to the resident, within its delivery limit.
CASE_ANSWER = AlertedRule(
    deadline=CaseDeadline.ANSWER,
    statuses=(CaseStatus.RECEIVED,),
    status=Case.status,
    due_at=Case.answer_due_at,
    met_at=Case.answered_at,
    alert_at=Case.answer_alert_at,
)
CASE_CLOSING = AlertedRule(
    deadline=CaseDeadline.CLOSING,
    statuses=OPEN_CASES,
    status=Case.status,
    due_at=Case.closing_due_at,
    met_at=Case.closed_at,
    alert_at=Case.closing_alert_at,
)
CASE_DEADLINES = (CASE_ANSWER, CASE_CLOSING)

# A task is taken while it is open: within the urgency's response limit (即接即办).
TASK_TAKE = AlertedRule(
    deadline=TaskDeadline.TAKE,
    statuses=(TaskStatus.OPEN,),
    status=Task.status,
    due_at=Task.take_due_at,
    met_at=Task.taken_at,
    alert_at=Task.take_alert_at,
)
# A task is done and confirmed within the urgency's delivery limit (限时办结).
TASK_COMPLETION = AlertedRule(
    deadline=TaskDeadline.COMPLETION,
    statuses=AWAITING_COMPLETION,
    status=Task.status,
    due_at=Task.complete_due_at,
    met_at=Task.completed_at,
    alert_at=Task.complete_alert_at,
)
TASK_DEADLINES = (TASK_TAKE, TASK_COMPLETION)


@dataclass(frozen=True)
class TaskDeadlines:
    take_due_at: datetime
    complete_due_at: datetime
    take_alert_at: datetime
    complete_alert_at: datetime


def task_deadlines(urgency: Urgency, posted_at: datetime, starts_at: datetime) -> TaskDeadlines:
    """When a volunteer must have taken a task posted at `posted_at`, and when it must be done:
    the urgency's response and delivery limits (`DEFAULT_TIME_LIMITS`), as for an order. The
    completion is counted from when work may begin: posting, or the window's start if later.
    Each alert, as an order's, comes with a quarter of its limit left."""
    limit = DEFAULT_TIME_LIMITS[urgency]
    response, delivery = timedelta(hours=limit.response_hours), timedelta(hours=limit.delivery_hours)
    work_may_begin = max(posted_at, starts_at)
    return TaskDeadlines(
        take_due_at=posted_at + response,
        complete_due_at=work_may_begin + delivery,
        take_alert_at=posted_at + response * 3 / 4,
        complete_alert_at=work_may_begin + delivery * 3 / 4,
    )


@dataclass(frozen=True)
class CaseDeadlines:
    answer_due_at: datetime
    closing_due_at: datetime
    answer_alert_at: datetime
    closing_alert_at: datetime


def case_deadlines(urgency: Urgency, received_at: datetime) -> CaseDeadlines:
    """When a case received at `received_at` must be taken on and closed: the urgency's response and
    delivery limits, as an order's answer and delivery; each alert with a quarter of its limit left."""
    limit = DEFAULT_TIME_LIMITS[urgency]
    response, delivery = timedelta(hours=limit.response_hours), timedelta(hours=limit.delivery_hours)
    return CaseDeadlines(
        answer_due_at=received_at + response,
        closing_due_at=received_at + delivery,
        answer_alert_at=received_at + response * 3 / 4,
        closing_alert_at=received_at + delivery * 3 / 4,
    )


def overdue_condition(rules: tuple[DeadlineRule, ...] = DEADLINES) -> ColumnElement[bool]:
    """The orders (or the rows of `rules`) past a deadline they still owe."""
    return or_(*(rule.overdue() for rule in rules))


def due_soon_condition(end: ColumnElement[datetime] | datetime) -> ColumnElement[bool]:
    """The orders that will be past a deadline they still owe at `end`, and are not yet."""
    return or_(*(rule.due_before(end) for rule in DEADLINES))

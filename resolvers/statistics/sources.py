"""What statistics count: the three sources (orders, demands, hearings), the dimensions each is
grouped and filtered by, and the SQL aggregates of its figures.

Every figure is an aggregate PostgreSQL computes (`count(*) FILTER (WHERE …)`, `avg`,
`percentile_cont … WITHIN GROUP`): no row is loaded into Python. A dimension is an expression
over the source's table and the joins it needs, added only when a grouping or filter uses it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    FromClause,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from models import (
    Case,
    CaseStatus,
    Category,
    Demand,
    DemandStatus,
    HearingDecision,
    Meeting,
    MeetingKind,
    Order,
    OrderStatus,
    Project,
    Service,
    Station,
    Task,
    TaskStatus,
    Town,
)
from resolvers.loading import among
from resolvers.orders.deadlines import (
    CASE_ANSWER,
    CASE_CLOSING,
    DELIVERY,
    LOCAL_TIME,
    RESPONSE,
    TASK_COMPLETION,
    TASK_TAKE,
)
from resolvers.statistics.durations import ACCEPTED, DELIVERED, DURATIONS, PERCENTILES, median_and_p90
from resolvers.time_bank.rules import POINTS_PER_HOUR


class StatisticsDimension(enum.Enum):
    """What figures are grouped and filtered by."""

    DISTRICT = "district"
    TOWN = "town"
    STATION = "station"
    PROVIDER = "provider"
    CATEGORY = "category"
    MAJOR_CATEGORY = "major_category"
    TIER = "tier"
    URGENCY = "urgency"
    KIND = "kind"


class StatisticsPeriod(enum.Enum):
    """Calendar periods in the district's time zone (weeks start on Monday)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True)
class Join:
    target: Any
    on: ColumnElement[bool]
    outer: bool = False
    needs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """A table figures are counted over: its moment (what the date range and periods use), the
    joins its dimensions need, and each dimension it has as (expression, joins needed)."""

    name: str
    table: Any
    moment: Any
    station: Any
    joins: dict[str, Join]
    dimensions: dict[StatisticsDimension, tuple[Any, tuple[str, ...]]]
    condition: ColumnElement[bool] | None = None
    aggregates: dict[str, Any] = field(default_factory=dict)

    def figures(self, *, percentiles: bool) -> dict[str, Any]:
        """The aggregates to compute; without the percentiles, which cost a sort per group and keep
        PostgreSQL from hashing the groups or aggregating in parallel workers."""
        if percentiles:
            return self.aggregates
        return {name: value for name, value in self.aggregates.items() if name not in PERCENTILES}

    def times(self) -> dict[str, Any]:
        """The percentile aggregates alone (orders have them; other sources none)."""
        return {name: value for name, value in self.aggregates.items() if name in PERCENTILES}

    def has(self, dimensions: Iterable[StatisticsDimension]) -> bool:
        return all(dimension in self.dimensions for dimension in dimensions)

    def frame(self, dimensions: Iterable[StatisticsDimension]) -> FromClause:
        """The table joined to what the dimensions need, each join once and after those it needs."""
        wanted: list[str] = []

        def want(name: str) -> None:
            for before in self.joins[name].needs:
                want(before)
            if name not in wanted:
                wanted.append(name)

        for dimension in dimensions:
            for name in self.dimensions[dimension][1]:
                want(name)
        frame = self.table.__table__ if hasattr(self.table, "__table__") else self.table
        for name in wanted:
            join = self.joins[name]
            frame = frame.join(join.target, join.on, isouter=join.outer)
        return frame

    def expression(self, dimension: StatisticsDimension) -> Any:
        return self.dimensions[dimension][0]

    def period_start(self, period: StatisticsPeriod) -> ColumnElement[date]:
        """The first day of the period the row's moment falls in, in the district's calendar."""
        # Literals, not parameters: the select list and GROUP BY must spell the same expression.
        local = func.timezone(literal_column(f"'{LOCAL_TIME.key}'"), self.moment)
        return cast(func.date_trunc(literal_column(f"'{period.value}'"), local), Date)


def _places(
    station_id: Any,
) -> tuple[dict[str, Join], dict[StatisticsDimension, tuple[Any, tuple[str, ...]]]]:
    """The joins and dimensions of a row of a station: its town and district."""
    joins = {
        "station": Join(Station, Station.id == station_id),
        "town": Join(Town, Town.id == Station.town_id, needs=("station",)),
    }
    dimensions: dict[StatisticsDimension, tuple[Any, tuple[str, ...]]] = {
        StatisticsDimension.DISTRICT: (Town.district_id, ("town",)),
        StatisticsDimension.TOWN: (Station.town_id, ("station",)),
        StatisticsDimension.STATION: (station_id, ()),
    }
    return joins, dimensions


def _subject(service_id: Any, project_id: Any) -> tuple[dict[str, Join], dict[StatisticsDimension, Any]]:
    """The joins and dimensions of a row about a service or a project: its category and tier."""
    category = aliased(Category, name="subject_category")
    category_id = func.coalesce(Service.category_id, Project.category_id)
    joins = {
        "service": Join(Service, Service.id == service_id, outer=True),
        "project": Join(Project, Project.id == project_id, outer=True),
        "category": Join(category, category.id == category_id, needs=("service", "project")),
    }
    dimensions = {
        StatisticsDimension.CATEGORY: (category_id, ("service", "project")),
        # The taxonomy has two levels: a major category is its own major.
        StatisticsDimension.MAJOR_CATEGORY: (func.coalesce(category.parent_id, category.id), ("category",)),
        StatisticsDimension.TIER: (func.coalesce(Service.tier, Project.tier), ("service", "project")),
    }
    return joins, dimensions


def order_aggregates() -> dict[str, Any]:
    """The figures of orders: counts by status and by step, times, deadlines kept, evaluations."""
    done = (OrderStatus.COMPLETED, OrderStatus.EVALUATED)
    return {
        "placed": func.count(),
        **{f"status_{status.name}": func.count().filter(Order.status == status) for status in OrderStatus},
        "accepted": func.count().filter(ACCEPTED),
        "declined": func.count().filter(Order.status == OrderStatus.DECLINED),
        "cancelled": func.count().filter(Order.status == OrderStatus.CANCELLED),
        "delivered": func.count().filter(DELIVERED),
        "completed": func.count().filter(Order.status.in_(done)),
        "evaluated": func.count().filter(Order.status == OrderStatus.EVALUATED),
        **{duration.figure: median_and_p90(duration) for duration in DURATIONS},
        "responses_judged": func.count().filter(RESPONSE.judged_sql()),
        "responses_on_time": func.count().filter(RESPONSE.kept_sql()),
        "deliveries_judged": func.count().filter(DELIVERY.judged_sql()),
        "deliveries_on_time": func.count().filter(DELIVERY.kept_sql()),
        "mean_rating": func.avg(Order.rating),
        "mean_satisfaction": func.avg(Order.satisfaction),
    }


# Demands that found a match, whatever happened next; those resolved by the work done for them.
MATCHED = (DemandStatus.MATCHED, DemandStatus.IN_PROGRESS, DemandStatus.RESOLVED)


def demand_aggregates() -> dict[str, Any]:
    return {
        "posted": func.count(),
        "matched": func.count().filter(Demand.status.in_(MATCHED)),
        "resolved": func.count().filter(Demand.status == DemandStatus.RESOLVED),
        "closed": func.count().filter(Demand.status == DemandStatus.CLOSED),
    }


def hearing_aggregates() -> dict[str, Any]:
    return {
        "held": func.count(),
        "approved": func.count().filter(Meeting.decision == HearingDecision.APPROVED),
        "rejected": func.count().filter(Meeting.decision == HearingDecision.REJECTED),
        "attendees": func.coalesce(func.sum(Meeting.attendees), literal(0)),
        "votes_for": func.coalesce(func.sum(Meeting.votes_for), literal(0)),
        "votes_against": func.coalesce(func.sum(Meeting.votes_against), literal(0)),
        "votes_abstaining": func.coalesce(func.sum(Meeting.votes_abstaining), literal(0)),
    }


def _orders() -> Source:
    place_joins, place_dimensions = _places(Order.station_id)
    subject_joins, subject_dimensions = _subject(Order.service_id, Order.project_id)
    return Source(
        name="orders",
        table=Order,
        moment=Order.created_at,
        station=Order.station_id,
        joins={**place_joins, **subject_joins},
        dimensions={
            **place_dimensions,
            **subject_dimensions,
            StatisticsDimension.PROVIDER: (Order.provider_id, ()),
            StatisticsDimension.URGENCY: (Order.urgency, ()),
            # Whistles (吹哨) are orders of kind WHISTLE: this shows them apart.
            StatisticsDimension.KIND: (Order.kind, ()),
        },
        aggregates=order_aggregates(),
    )


def _demands() -> Source:
    place_joins, place_dimensions = _places(Demand.station_id)
    category = aliased(Category, name="demand_category")
    return Source(
        name="demands",
        table=Demand,
        moment=Demand.posted_at,
        station=Demand.station_id,
        joins={**place_joins, "category": Join(category, category.id == Demand.category_id)},
        dimensions={
            **place_dimensions,
            StatisticsDimension.CATEGORY: (Demand.category_id, ()),
            StatisticsDimension.MAJOR_CATEGORY: (
                func.coalesce(category.parent_id, category.id),
                ("category",),
            ),
            StatisticsDimension.TIER: (Demand.tier, ()),
            StatisticsDimension.URGENCY: (Demand.urgency, ()),
        },
        aggregates=demand_aggregates(),
    )


def _hearings() -> Source:
    place_joins, place_dimensions = _places(Meeting.station_id)
    subject_joins, subject_dimensions = _subject(Meeting.service_id, Meeting.project_id)
    return Source(
        name="hearings",
        table=Meeting,
        moment=Meeting.held_at,
        station=Meeting.station_id,
        joins={**place_joins, **subject_joins},
        dimensions={
            **place_dimensions,
            **subject_dimensions,
            StatisticsDimension.PROVIDER: (Meeting.provider_id, ()),
        },
        # A literal, not a parameter, so the planner matches the partial index of hearings.
        condition=Meeting.kind == literal_column(f"'{MeetingKind.HEARING.name}'"),
        aggregates=hearing_aggregates(),
    )


# Cases closed (the result told), evaluated or not: resolved.
CLOSED_CASES = (CaseStatus.CLOSED, CaseStatus.EVALUATED)


def case_aggregates() -> dict[str, Any]:
    """The figures of cases: counts by status, answered and closed on time (the case deadline rules,
    as orders' on-time counts), the resolution rate's parts and the residents' satisfaction."""
    return {
        "received": func.count(),
        **{f"case_status_{status.name}": func.count().filter(Case.status == status) for status in CaseStatus},
        "answers_judged": func.count().filter(CASE_ANSWER.judged_sql()),
        "answered_on_time": func.count().filter(CASE_ANSWER.kept_sql()),
        "closings_judged": func.count().filter(CASE_CLOSING.judged_sql()),
        "closed_on_time": func.count().filter(CASE_CLOSING.kept_sql()),
        "closed": func.count().filter(Case.status.in_(CLOSED_CASES)),
        "evaluated": func.count().filter(Case.satisfaction.is_not(None)),
        "mean_satisfaction": func.avg(Case.satisfaction),
    }


def task_aggregates() -> dict[str, Any]:
    """The figures of volunteer tasks: posted, taken, completed, cancelled; taken and completed on time;
    hours worked and the points they earned by the published rule (hours × the urgency's factor)."""
    factor = case(*((Task.urgency == urgency, points) for urgency, points in POINTS_PER_HOUR.items()))
    return {
        "posted": func.count(),
        "taken": func.count().filter(Task.taken_at.is_not(None)),
        "completed": func.count().filter(Task.status == TaskStatus.COMPLETED),
        "cancelled": func.count().filter(Task.status == TaskStatus.CANCELLED),
        "takes_judged": func.count().filter(TASK_TAKE.judged_sql()),
        "taken_on_time": func.count().filter(TASK_TAKE.kept_sql()),
        "completions_judged": func.count().filter(TASK_COMPLETION.judged_sql()),
        "completed_on_time": func.count().filter(TASK_COMPLETION.kept_sql()),
        "hours_worked": func.coalesce(func.sum(Task.hours_worked), literal(0)),
        "points": cast(func.coalesce(func.sum(Task.hours_worked * factor), literal(0)), Integer),
    }


def _cases() -> Source:
    place_joins, place_dimensions = _places(Case.station_id)
    return Source(
        name="cases",
        table=Case,
        moment=Case.created_at,
        station=Case.station_id,
        joins=place_joins,
        dimensions={
            **place_dimensions,
            StatisticsDimension.URGENCY: (Case.urgency, ()),
        },
        aggregates=case_aggregates(),
    )


def _tasks() -> Source:
    place_joins, place_dimensions = _places(Task.station_id)
    return Source(
        name="tasks",
        table=Task,
        moment=Task.created_at,
        station=Task.station_id,
        joins=place_joins,
        dimensions={**place_dimensions, StatisticsDimension.URGENCY: (Task.urgency, ())},
        aggregates=task_aggregates(),
    )


SOURCES = {source.name: source for source in (_orders(), _demands(), _hearings(), _cases(), _tasks())}


def in_range(source: Source, start: datetime, end: datetime) -> ColumnElement[bool]:
    """Rows whose moment falls from `start` up to (not including) `end`."""
    return and_(source.moment >= start, source.moment < end)


# Places a filter reads through the stations they hold (`matches`).
PLACES = {StatisticsDimension.DISTRICT: Town.district_id, StatisticsDimension.TOWN: Station.town_id}


def matches(source: Source, dimension: StatisticsDimension, values: list[Any]) -> ColumnElement[bool]:
    """A filter by one dimension: a category matches its own rows and those of its subcategories;
    a district or a town the rows of its stations."""
    if dimension in PLACES:
        # `station_id IN (its stations)`, not a join filtered by the district: PostgreSQL then reads
        # the place's rows from the (station_id, moment) index instead of every row of the range.
        stations = select(Station.id).join(Town, Town.id == Station.town_id)
        return source.station.in_(stations.where(among(PLACES[dimension], values)))
    expression = source.expression(dimension)
    if dimension is StatisticsDimension.CATEGORY:
        major = source.expression(StatisticsDimension.MAJOR_CATEGORY)
        return or_(among(expression, values), among(major, values))
    return among(expression, values)


def filter_joins(dimension: StatisticsDimension) -> tuple[StatisticsDimension, ...]:
    """The dimensions whose joins a filter by `dimension` needs (a category filter also reads majors;
    a place filter none, `matches` reads it in a subquery)."""
    if dimension in PLACES:
        return ()
    if dimension is StatisticsDimension.CATEGORY:
        return (StatisticsDimension.CATEGORY, StatisticsDimension.MAJOR_CATEGORY)
    return (dimension,)

"""Rankings of providers, stations and towns: the red list (红榜, the best) and the black list
(黑榜, the last places that last-place accountability, 末位责任制, holds to account).

Three subjects are ranked, each by a published score (README, and the API's descriptions)
computed in SQL from the figures every entry shows, so nobody is ranked by an opaque number:

    score = 100 × Σ weight × component / Σ weight of the components the unit has

    orders (providers, stations, towns; whistles too, with the KIND filter)
    on-time rate       0.35  deadlines kept (response and delivery) of those judged
    rating             0.30  (mean rating − 1) / 4
    satisfaction       0.25  mean satisfaction / 100
    acceptance         0.10  1 − decline rate (declined of the orders answered)

    cases, the first-inquiry work of stations and towns (首问责任制)
    answered on time   0.35  CASE_ANSWER kept of those judged
    closed on time     0.25  CASE_CLOSING kept of those judged
    resolution         0.20  closed (result told) of the cases received
    satisfaction       0.20  mean resident satisfaction / 100

    tasks, the volunteer dispatch of stations and towns (社区派单)
    taken on time      0.35  TASK_TAKE kept of those judged
    completed on time  0.35  TASK_COMPLETION kept of those judged
    completion         0.30  completed of the tasks posted

A component a unit has no figure for (nothing evaluated yet) leaves the weights of the others.
Only units with at least the minimum count of rows in the range (orders placed, cases received,
tasks posted) are ranked. Ties are broken by the larger count, then by the lower database id, so
a ranking never changes between reads of the same data. Rank 1 is the best; the black list is
the same ranking read from the bottom. Cases and tasks belong to stations: providers are ranked
by orders only.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Float, Numeric, and_, case, cast, func, literal, select

from resolvers.access import ranking_scope
from resolvers.context import Context
from resolvers.errors import ClientError
from resolvers.orders.deadlines import local_midnight
from resolvers.statistics import summary
from resolvers.statistics.figures import CaseFigures, Figures, OrderFigures, TaskFigures
from resolvers.statistics.report import StatisticsFilter
from resolvers.statistics.session import read_figures
from resolvers.statistics.sources import (
    SOURCES,
    StatisticsDimension,
    filter_joins,
    in_range,
    matches,
)

# The rows a unit needs to be ranked unless the query names another minimum: tasks are fewer.
DEFAULT_MINIMUM = {"orders": 10, "cases": 10, "tasks": 5}
MAX_ENTRIES = 100


class RankedUnit(enum.Enum):
    PROVIDER = "provider"
    STATION = "station"
    TOWN = "town"


class RankingList(enum.Enum):
    RED = "red"
    BLACK = "black"


class RankingSubject(enum.Enum):
    ORDERS = "orders"
    CASES = "cases"
    TASKS = "tasks"


def _rate(part: Any, whole: Any) -> Any:
    # Both sides double precision: an integer numerator would make SQLAlchemy divide as numeric,
    # several times slower over the thousands of units of a city.
    return cast(part, Float) / func.nullif(cast(whole, Float), 0)


def _order_components(figures: Any) -> dict[str, Any]:
    judged = figures.c.responses_judged + figures.c.deliveries_judged
    return {
        "on_time": _rate(figures.c.responses_on_time + figures.c.deliveries_on_time, judged),
        "rating": (cast(figures.c.mean_rating, Float) - 1) / 4.0,
        "satisfaction": cast(figures.c.mean_satisfaction, Float) / 100.0,
        "acceptance": 1 - _rate(figures.c.declined, figures.c.accepted + figures.c.declined),
    }


def _case_components(figures: Any) -> dict[str, Any]:
    return {
        "answered_on_time": _rate(figures.c.answered_on_time, figures.c.answers_judged),
        "closed_on_time": _rate(figures.c.closed_on_time, figures.c.closings_judged),
        "resolution": _rate(figures.c.closed, figures.c.received),
        "satisfaction": cast(figures.c.mean_satisfaction, Float) / 100.0,
    }


def _task_components(figures: Any) -> dict[str, Any]:
    return {
        "taken_on_time": _rate(figures.c.taken_on_time, figures.c.takes_judged),
        "completed_on_time": _rate(figures.c.completed_on_time, figures.c.completions_judged),
        "completion": _rate(figures.c.completed, figures.c.posted),
    }


@dataclass(frozen=True)
class Scoring:
    """How one subject is ranked: over which source, the count a unit needs (and ties go to), the
    published weights and each component (0..1 or NULL) over the columns of the figures subquery."""

    source: str
    count: str
    weights: dict[str, float]
    components: Callable[[Any], dict[str, Any]]
    figures: type[Figures]
    units: tuple[RankedUnit, ...]


SCORINGS = {
    RankingSubject.ORDERS: Scoring(
        "orders",
        "placed",
        {"on_time": 0.35, "rating": 0.30, "satisfaction": 0.25, "acceptance": 0.10},
        _order_components,
        OrderFigures,
        (RankedUnit.PROVIDER, RankedUnit.STATION, RankedUnit.TOWN),
    ),
    RankingSubject.CASES: Scoring(
        "cases",
        "received",
        {"answered_on_time": 0.35, "closed_on_time": 0.25, "resolution": 0.20, "satisfaction": 0.20},
        _case_components,
        CaseFigures,
        (RankedUnit.STATION, RankedUnit.TOWN),
    ),
    RankingSubject.TASKS: Scoring(
        "tasks",
        "posted",
        {"taken_on_time": 0.35, "completed_on_time": 0.35, "completion": 0.30},
        _task_components,
        TaskFigures,
        (RankedUnit.STATION, RankedUnit.TOWN),
    ),
}
WEIGHTS = SCORINGS[RankingSubject.ORDERS].weights


@dataclass(frozen=True)
class RankingEntry:
    rank: int
    unit_id: int
    score: float
    figures: Any
    """The subject's figures: `OrderFigures`, `CaseFigures` or `TaskFigures`."""
    components: dict[str, float | None]


@dataclass(frozen=True)
class Ranking:
    unit: RankedUnit
    which: RankingList
    minimum: int
    """The count of the subject's rows (orders, cases, tasks) a ranked unit has at least."""
    ranked: int
    """How many units were ranked (had enough rows)."""
    entries: list[RankingEntry]
    subject: RankingSubject = RankingSubject.ORDERS


UNIT_DIMENSION = {
    RankedUnit.PROVIDER: StatisticsDimension.PROVIDER,
    RankedUnit.STATION: StatisticsDimension.STATION,
    RankedUnit.TOWN: StatisticsDimension.TOWN,
}


def _figures_of_rows(
    scoring: Scoring,
    unit: RankedUnit,
    filter: StatisticsFilter,
    scope: Any,
    minimum: int,
    *,
    percentiles: bool,
) -> Any:
    """The figures of each unit with enough rows, counted from the subject's rows themselves."""
    start, end = filter.bounds()
    source = SOURCES[scoring.source]
    unit_column = source.expression(UNIT_DIMENSION[unit]).label("unit_id")
    used = {UNIT_DIMENSION[unit]} | {d for dimension in filter.dimensions() for d in filter_joins(dimension)}
    conditions = [in_range(source, local_midnight(start), local_midnight(end + timedelta(days=1)))]
    if scope is not None:
        conditions.append(scope)
    conditions += [matches(source, d, filter.values[d]) for d in filter.dimensions()]
    return (
        select(
            unit_column,
            *(expression.label(name) for name, expression in source.figures(percentiles=percentiles).items()),
        )
        .select_from(source.frame(used))
        .where(and_(*conditions))
        .group_by(unit_column)
        .having(func.count() >= minimum)
        .subquery("figures")
    )


def _check(scoring: Scoring, subject: RankingSubject, unit: RankedUnit, filter: StatisticsFilter) -> None:
    if unit not in scoring.units:
        raise ClientError(
            f"{unit.value.title()}s are not ranked by {subject.value}: only stations and towns are.",
            code="INVALID_COMBINATION",
        )
    unknown = [d for d in filter.dimensions() if not SOURCES[scoring.source].has(filter_joins(d) or (d,))]
    if unknown:
        names = ", ".join(d.name for d in unknown)
        raise ClientError(
            f"The {subject.value} ranking cannot be filtered by {names}.", code="INVALID_FILTER"
        )


async def compute_ranking(
    ctx: Context,
    unit: RankedUnit,
    which: RankingList,
    filter: StatisticsFilter,
    *,
    first: int,
    minimum: int | None = None,
    percentiles: bool = True,
    subject: RankingSubject = RankingSubject.ORDERS,
) -> Ranking:
    """The `first` entries of the red (best first) or black (worst first) list of the unit by the
    subject's score; the orders' median and p90 times only with `percentiles`."""
    if not 1 <= first <= MAX_ENTRIES:
        raise ClientError(f"Ask for 1 to {MAX_ENTRIES} entries.", code="OUT_OF_RANGE")
    scoring = SCORINGS[subject]
    minimum = DEFAULT_MINIMUM[scoring.source] if minimum is None else minimum
    if minimum < 1:
        raise ClientError("The minimum count is at least 1.", code="OUT_OF_RANGE")
    _check(scoring, subject, unit, filter)
    scope = ranking_scope(ctx.viewer, unit.value, SOURCES[scoring.source].station)
    start, end = filter.bounds()
    dimension = UNIT_DIMENSION[unit]
    grain = None
    if subject is RankingSubject.ORDERS and not percentiles:
        grain = summary.choose([dimension], filter.dimensions(), None, scope is not None)
    if grain is not None:
        stmt, (key,) = summary.statement(
            grain, start, end, filter.values, [dimension], None, {dimension: "unit_id"}
        )
        placed = stmt.selected_columns["placed"].element
        figures = stmt.group_by(key.element).having(placed >= minimum).subquery("figures")
    else:
        figures = _figures_of_rows(scoring, unit, filter, scope, minimum, percentiles=percentiles)
    # The components once per unit, in their own subquery: the score and the answer read them.
    components = scoring.components(figures)
    with_components = select(
        figures, *(value.label(f"component_{name}") for name, value in components.items())
    ).subquery("components")
    component = {name: with_components.c[f"component_{name}"] for name in components}
    weighted = sum(
        (func.coalesce(component[name] * weight, 0.0) for name, weight in scoring.weights.items()),
        literal(0.0),
    )
    weights = sum(
        (case((component[name].is_not(None), weight), else_=0.0) for name, weight in scoring.weights.items()),
        literal(0.0),
    )
    # Rounded to two decimals: units whose scores print alike are tied, and the tie rule decides.
    score = func.round(cast(100 * weighted / func.nullif(weights, 0.0), Numeric), 2)
    scored = select(with_components, score.label("score")).subquery("scored")
    ranked = select(
        scored,
        func.row_number()
        .over(order_by=(scored.c.score.desc(), scored.c[scoring.count].desc(), scored.c.unit_id))
        .label("rank"),
        func.count().over().label("ranked"),
    ).where(scored.c.score.is_not(None))
    ranked_sub = ranked.subquery("ranked")
    if which is RankingList.RED:
        stmt = select(ranked_sub).where(ranked_sub.c.rank <= first).order_by(ranked_sub.c.rank)
    else:
        stmt = (
            select(ranked_sub)
            .where(ranked_sub.c.rank > ranked_sub.c.ranked - first)
            .order_by(ranked_sub.c.rank.desc())
        )
    rows = await read_figures(ctx, stmt, hashed=False)
    entries = [
        RankingEntry(
            rank=row["rank"],
            unit_id=row["unit_id"],
            score=float(row["score"]),
            figures=scoring.figures.from_row(row, public_only=False),
            components={name: row[f"component_{name}"] for name in scoring.weights},
        )
        for row in rows
    ]
    # With `first` at least 1, no row back means no unit was ranked.
    total = rows[0]["ranked"] if rows else 0
    return Ranking(unit, which, minimum, total, entries, subject)

"""Rankings of providers, stations and towns: the red list (红榜, the best) and the black list
(黑榜, the last places that last-place accountability, 末位责任制, holds to account).

The score is published (README, and the API's descriptions), computed in SQL from the figures
every entry shows, so nobody is ranked by an opaque number:

    score = 100 × Σ weight × component / Σ weight of the components the unit has
    on-time rate   0.35  deadlines kept (response and delivery) of those judged
    rating         0.30  (mean rating − 1) / 4
    satisfaction   0.25  mean satisfaction / 100
    acceptance     0.10  1 − decline rate (declined of the orders answered)

A component a unit has no figure for (no order evaluated yet) leaves the weights of the others.
Only units with at least `minimum_orders` orders placed in the range are ranked. Ties are broken
by more orders placed, then by the lower database id, so a ranking never changes between reads
of the same data. Rank 1 is the best; the black list is the same ranking read from the bottom.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Float, Numeric, and_, case, cast, func, literal, select

from resolvers.access import ranking_scope
from resolvers.context import Context
from resolvers.errors import ClientError
from resolvers.orders.deadlines import local_midnight
from resolvers.statistics import summary
from resolvers.statistics.figures import OrderFigures
from resolvers.statistics.report import StatisticsFilter
from resolvers.statistics.sources import (
    SOURCES,
    StatisticsDimension,
    filter_joins,
    in_range,
    matches,
    read_figures,
)

WEIGHTS = {"on_time": 0.35, "rating": 0.30, "satisfaction": 0.25, "acceptance": 0.10}
DEFAULT_MINIMUM_ORDERS = 10
MAX_ENTRIES = 100


class RankedUnit(enum.Enum):
    PROVIDER = "provider"
    STATION = "station"
    TOWN = "town"


class RankingList(enum.Enum):
    RED = "red"
    BLACK = "black"


@dataclass(frozen=True)
class RankingEntry:
    rank: int
    unit_id: int
    score: float
    figures: OrderFigures
    components: dict[str, float | None]


@dataclass(frozen=True)
class Ranking:
    unit: RankedUnit
    which: RankingList
    minimum_orders: int
    ranked: int
    """How many units were ranked (had enough orders)."""
    entries: list[RankingEntry]


UNIT_DIMENSION = {
    RankedUnit.PROVIDER: StatisticsDimension.PROVIDER,
    RankedUnit.STATION: StatisticsDimension.STATION,
    RankedUnit.TOWN: StatisticsDimension.TOWN,
}


def _components(figures: Any) -> dict[str, Any]:
    """Each component of the score, 0..1 or NULL, over the columns of the figures subquery."""
    judged = figures.c.responses_judged + figures.c.deliveries_judged
    answered = figures.c.accepted + figures.c.declined
    return {
        "on_time": (figures.c.responses_on_time + figures.c.deliveries_on_time)
        / func.nullif(cast(judged, Float), 0),
        "rating": (cast(figures.c.mean_rating, Float) - 1) / 4.0,
        "satisfaction": cast(figures.c.mean_satisfaction, Float) / 100.0,
        "acceptance": 1 - figures.c.declined / func.nullif(cast(answered, Float), 0),
    }


def _figures_of_orders(
    unit: RankedUnit,
    filter: StatisticsFilter,
    scope: Any,
    minimum_orders: int,
    *,
    percentiles: bool,
) -> Any:
    """The figures of each unit with enough orders, counted from the orders themselves."""
    start, end = filter.bounds()
    source = SOURCES["orders"]
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
        .having(func.count() >= minimum_orders)
        .subquery("figures")
    )


async def compute_ranking(
    ctx: Context,
    unit: RankedUnit,
    which: RankingList,
    filter: StatisticsFilter,
    *,
    first: int,
    minimum_orders: int = DEFAULT_MINIMUM_ORDERS,
    percentiles: bool = True,
) -> Ranking:
    """The `first` entries of the red (best first) or black (worst first) list of the unit; their
    median and p90 times only with `percentiles`."""
    if not 1 <= first <= MAX_ENTRIES:
        raise ClientError(f"Ask for 1 to {MAX_ENTRIES} entries.", code="OUT_OF_RANGE")
    if minimum_orders < 1:
        raise ClientError("The minimum number of orders is at least 1.", code="OUT_OF_RANGE")
    scope = ranking_scope(ctx.viewer, unit.value)
    start, end = filter.bounds()
    dimension = UNIT_DIMENSION[unit]
    grain = summary.choose([dimension], filter.dimensions(), None, scope is not None)
    if grain is not None and not percentiles:
        stmt, (key,) = summary.statement(
            grain, start, end, filter.values, [dimension], None, {dimension: "unit_id"}
        )
        placed = stmt.selected_columns["placed"].element
        figures = stmt.group_by(key.element).having(placed >= minimum_orders).subquery("figures")
    else:
        figures = _figures_of_orders(unit, filter, scope, minimum_orders, percentiles=percentiles)
    components = _components(figures)
    weighted = sum(
        (func.coalesce(components[name] * weight, 0.0) for name, weight in WEIGHTS.items()), literal(0.0)
    )
    weights = sum(
        (case((components[name].is_not(None), weight), else_=0.0) for name, weight in WEIGHTS.items()),
        literal(0.0),
    )
    # Rounded to two decimals: units whose scores print alike are tied, and the tie rule decides.
    score = func.round(cast(100 * weighted / func.nullif(weights, 0.0), Numeric), 2)
    scored = select(
        figures, score.label("score"), *(value.label(f"component_{n}") for n, value in components.items())
    ).subquery("scored")
    ranked = select(
        scored,
        func.row_number()
        .over(order_by=(scored.c.score.desc(), scored.c.placed.desc(), scored.c.unit_id))
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
            figures=OrderFigures.from_row(row, public_only=False),
            components={name: row[f"component_{name}"] for name in WEIGHTS},
        )
        for row in rows
    ]
    # With `first` at least 1, no row back means no unit was ranked.
    total = rows[0]["ranked"] if rows else 0
    return Ranking(unit, which, minimum_orders, total, entries)

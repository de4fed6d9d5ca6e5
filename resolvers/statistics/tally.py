"""Figures counted in two steps: the rows grouped by the keys and a few facts each row has (its
status, whether it kept each deadline, …), then the figures summed from those tallies.

Counting a row into two dozen `count(*) FILTER (WHERE …)` evaluates two dozen conditions for
every order; grouping it by seven facts evaluates each fact once and leaves a few hundred
tallies, which the figures' conditions then read. The inner grouping is a plain GROUP BY, which
PostgreSQL can hash and split among parallel workers (a GROUPING SETS cannot be split); the
totals' grouping sets run over the tallies. The figures are exactly those of the one-step
aggregates in `sources` (a mean is the same numeric division `avg` makes), and each fact is the
same rule: the deadline conditions come from `resolvers.orders.deadlines`.

The medians and p90s are not counted this way (a percentile does not add up from tallies):
a query that asks for them counts in one step.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    FromClause,
    Label,
    Select,
    and_,
    cast,
    func,
    literal_column,
    select,
)

from models import Order, OrderStatus
from resolvers.orders.deadlines import DELIVERY, RESPONSE

if TYPE_CHECKING:
    from resolvers.statistics.sources import Source


@dataclass(frozen=True)
class Tally:
    """The facts a row is grouped by, the measures summed per tally, and the figures over the
    tallies' columns (`figures(columns)`, the columns of the inner subquery)."""

    facts: dict[str, ColumnElement[Any]]
    measures: dict[str, Any]
    figures: Callable[[Any], dict[str, Any]]
    count: str
    """The measure that counts the rows (a ranking's minimum number of orders reads it)."""


def _status(status: OrderStatus) -> Any:
    # A literal, not a parameter: the select list and the GROUP BY must spell the same expression.
    return literal_column(f"'{status.name}'")


def _sum(column: Any, where: ColumnElement[bool] | None = None) -> Any:
    """The rows of the tallies matching `where`: an integer, 0 when none match (as `count` gives)."""
    total = func.sum(column) if where is None else func.sum(column).filter(where)
    return func.coalesce(cast(total, BigInteger), 0)


def _mean(total: Any, count: Any) -> Any:
    """What `avg` of the column gives: the numeric sum divided by the count, NULL over no value."""
    return func.sum(total) / func.nullif(func.sum(count), 0)


DONE = (OrderStatus.COMPLETED, OrderStatus.EVALUATED)


def _order_figures(c: Any) -> dict[str, Any]:
    return {
        "placed": _sum(c.orders),
        **{f"status_{status.name}": _sum(c.orders, c.status == status) for status in OrderStatus},
        "accepted": _sum(c.orders, c.accepted),
        "declined": _sum(c.orders, c.status == OrderStatus.DECLINED),
        "cancelled": _sum(c.orders, c.status == OrderStatus.CANCELLED),
        "delivered": _sum(c.orders, c.delivered),
        "completed": _sum(c.orders, c.status.in_(DONE)),
        "evaluated": _sum(c.orders, c.status == OrderStatus.EVALUATED),
        "responses_judged": _sum(c.orders, c.response_judged),
        "responses_on_time": _sum(c.orders, c.response_kept),
        "deliveries_judged": _sum(c.orders, c.delivery_judged),
        "deliveries_on_time": _sum(c.orders, c.delivery_kept),
        "mean_rating": _mean(c.rating_total, c.ratings),
        "mean_satisfaction": _mean(c.satisfaction_total, c.satisfactions),
    }


def order_tally() -> Tally:
    """The orders' tally: the same conditions as `sources.order_aggregates`, one fact each."""
    return Tally(
        facts={
            "status": Order.status,
            "accepted": and_(Order.responded_at.is_not(None), Order.status != _status(OrderStatus.DECLINED)),
            "delivered": Order.delivered_at.is_not(None),
            "response_judged": RESPONSE.judged_sql(),
            "response_kept": RESPONSE.kept_sql(),
            "delivery_judged": DELIVERY.judged_sql(),
            "delivery_kept": DELIVERY.kept_sql(),
        },
        measures={
            "orders": func.count(),
            "rating_total": func.sum(Order.rating),
            "ratings": func.count(Order.rating),
            "satisfaction_total": func.sum(Order.satisfaction),
            "satisfactions": func.count(Order.satisfaction),
        },
        figures=_order_figures,
        count="orders",
    )


@dataclass(frozen=True)
class Counted:
    """A select of the key columns and the figures, for the caller to group by `keys` (its
    columns of the key values) and to bound by `count` (the number of rows of a group)."""

    select: Select[Any]
    keys: list[ColumnElement[Any]]
    figures: dict[str, Any]
    count: Any


def counted(
    source: Source,
    frame: FromClause,
    conditions: Sequence[ColumnElement[bool]],
    keys: list[Label[Any]],
    *,
    percentiles: bool,
) -> Counted:
    """The source's figures over the rows of `frame` matching `conditions`, by the `keys`: in two
    steps through its tally when it has one and no percentile is asked, else in one."""
    tally = source.tally
    if tally is None or percentiles:
        figures = source.figures(percentiles=percentiles)
        columns = [*keys, *(expression.label(name) for name, expression in figures.items())]
        stmt = select(*columns).select_from(frame).where(and_(*conditions))
        return Counted(stmt, [key.element for key in keys], figures, func.count())
    inner = (
        select(
            *keys,
            *(fact.label(name) for name, fact in tally.facts.items()),
            *(measure.label(name) for name, measure in tally.measures.items()),
        )
        .select_from(frame)
        .where(and_(*conditions))
        .group_by(*(key.element for key in keys), *tally.facts.values())
        .subquery("tally")
    )
    figures = tally.figures(inner.c)
    outer_keys = [inner.c[key.name] for key in keys]
    stmt = select(*outer_keys, *(expression.label(name) for name, expression in figures.items()))
    return Counted(stmt, list(outer_keys), figures, func.sum(inner.c[tally.count]))

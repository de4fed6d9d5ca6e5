"""The median and p90 times of orders read at their ranks from an index, instead of sorted.

`percentile_cont` sorts every value of its group: for a city's year, 460,000 times to accept and
as many to deliver, 250 ms for the totals and 400 ms more by month, whatever else is asked. Yet
a percentile is two values at known ranks: with n values, those at rows floor(f·(n − 1)) and
ceil(f·(n − 1)) in order, interpolated (PostgreSQL's definition, reproduced to the last bit in
`interpolate`). The statistic already counts n (the `accepted` and `delivered` figures), and
migration 0025 keeps each time in order, overall and by local month
(`models.statistics`): each value is then an index read that skips to its rank, with the
statistic's counts and the reads in one snapshot.

This is how a statistic of orders gets its times when it counts every order of its range (an
administrator's, unfiltered) for the totals or by month. Others sort, in their main statement:
a scoped or filtered statistic counts few enough orders (a district's year, 31,000: 20 ms),
and a grouping by anything else would need an index per dimension. The totals of fewer than
`RANKED_FROM` times are sorted too: an index read skips the range's other rows in order of time,
which for a short range costs more than sorting it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import DateTime, and_, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Order
from models.statistics import local_month
from resolvers.statistics.durations import DURATIONS, FRACTIONS, Duration, median_and_p90
from resolvers.statistics.sources import StatisticsPeriod

# Totals of at least this many times are read at their ranks; fewer are sorted (about 25 ms).
RANKED_FROM = 100_000


def times_at_ranks(*, scoped: bool, filtered: bool, grouped: bool, period: StatisticsPeriod | None) -> bool:
    """Whether a statistic of orders reads its times at their ranks: every order of the range,
    not grouped by a dimension, for the totals or by month."""
    return not scoped and not filtered and not grouped and period in (None, StatisticsPeriod.MONTH)


def ranks(count: int, fraction: float) -> tuple[int, int, float]:
    """The rows (from 0, in order) around a percentile of `count` values, and how far between."""
    position = fraction * (count - 1)
    first = math.floor(position)
    return first, math.ceil(position), position - first


def interpolate(low: float, high: float, proportion: float) -> float:
    """PostgreSQL's `percentile_cont` between its two rows, in the same float operations."""
    return low + (proportion * (high - low))


def _at_ranks(
    duration: Duration, start: datetime, end: datetime, month: date | None, first: int, last: int
) -> Any:
    """The values of the rows `first` to `last` of the duration, in order, read from its index."""
    conditions = [duration.condition, Order.created_at >= start, Order.created_at < end]
    if month is not None:
        conditions.append(
            local_month(Order.created_at) == literal(datetime.combine(month, time()), DateTime())
        )
    values = (
        select(duration.value.label("value"))
        .where(and_(*conditions))
        .order_by(duration.value)
        .offset(first)
        .limit(last - first + 1)
        .subquery()
    )
    return select(func.array_agg(values.c.value)).scalar_subquery()


def _sorted(duration: Duration, start: datetime, end: datetime) -> Any:
    return (
        select(median_and_p90(duration))
        .where(Order.created_at >= start, Order.created_at < end)
        .scalar_subquery()
    )


async def read_times_at_ranks(
    session: AsyncSession,
    rows: Sequence[Mapping[str, Any]],
    start: datetime,
    end: datetime,
    period: StatisticsPeriod | None,
) -> list[dict[str, Any]]:
    """The statistic's rows (totals, or months and totals) with each duration's [median, p90],
    read in one statement in the session's snapshot, the one that counted them."""
    figured = [dict(row) for row in rows]
    columns: list[Any] = []
    # (row, duration, how to read it): sorted, or at ranks with each fraction's proportion.
    reads: list[tuple[dict[str, Any], Duration, list[float] | None]] = []
    for row in figured:
        month = row["period_start"] if period is not None and not row.get("total") else None
        for duration in DURATIONS:
            count = row[duration.count]
            row[duration.figure] = None
            if not count:
                continue
            if month is None and count < RANKED_FROM:
                columns.append(_sorted(duration, start, end))
                reads.append((row, duration, None))
                continue
            between = []
            for fraction in FRACTIONS:
                first, last, proportion = ranks(count, fraction)
                columns.append(_at_ranks(duration, start, end, month, first, last))
                between.append(proportion)
            reads.append((row, duration, between))
    if not columns:
        return figured
    values = iter((await session.execute(select(*columns))).one())
    for row, duration, proportions in reads:
        if proportions is None:
            row[duration.figure] = next(values)
            continue
        both = []
        for proportion in proportions:
            around = next(values)  # the one or two values around the percentile, in order
            both.append(interpolate(min(around), max(around), proportion))
        row[duration.figure] = both
    return figured

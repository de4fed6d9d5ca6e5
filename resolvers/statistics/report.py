"""The statistics departments pull (由居委上报变成部门调取): figures of orders, demands and hearings,
grouped by places, providers, categories, tiers, urgencies and calendar periods, in one SQL
statement per source.

Each statement groups by `GROUPING SETS ((the keys), ())`, so one pass gives the groups and the
totals. Work is bounded: a date range of at most `MAX_DAYS` days and at most `MAX_GROUPS` groups,
refused with a clear error beyond.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from resolvers.access import check_statistics_dimensions, statistics_scope
from resolvers.context import Context
from resolvers.errors import ClientError
from resolvers.orders.deadlines import local_midnight, today
from resolvers.statistics import summary
from resolvers.statistics.figures import FIGURES, Figures
from resolvers.statistics.percentiles import read_times_at_ranks, times_at_ranks
from resolvers.statistics.session import statistics_session
from resolvers.statistics.sources import (
    SOURCES,
    Source,
    StatisticsDimension,
    StatisticsPeriod,
    filter_joins,
    in_range,
    matches,
)

MAX_DAYS = 366
MAX_GROUPS = 2000
MAX_VALUES = 200
DEFAULT_DAYS = 30


def check_values(dimension: StatisticsDimension, values: Sized) -> None:
    """At most `MAX_VALUES` values of a dimension: checked before each value is read."""
    if len(values) > MAX_VALUES:
        raise ClientError(
            f"Filter by at most {MAX_VALUES} values of {dimension.name}.", code="TOO_MANY_VALUES"
        )


@dataclass(frozen=True)
class StatisticsFilter:
    """Which rows count: a date range of local days (both included) and values of any dimension."""

    start: date | None = None
    end: date | None = None
    values: dict[StatisticsDimension, list[Any]] = field(default_factory=dict)

    def bounds(self) -> tuple[date, date]:
        """The days counted: those given, else the `DEFAULT_DAYS` days up to today; checked, with the
        number of values of each dimension."""
        for dimension, values in self.values.items():
            check_values(dimension, values)
        end = self.end or (today() if self.start is None else self.start + timedelta(days=DEFAULT_DAYS - 1))
        start = self.start or end - timedelta(days=DEFAULT_DAYS - 1)
        if end < start:
            raise ClientError("The range ends before it starts.", code="INVALID_RANGE")
        if (end - start).days + 1 > MAX_DAYS:
            raise ClientError(
                f"Ask for at most {MAX_DAYS} days at once; this range has {(end - start).days + 1}.",
                code="RANGE_TOO_LONG",
            )
        return start, end

    def dimensions(self) -> set[StatisticsDimension]:
        return {dimension for dimension, values in self.values.items() if values}


@dataclass(frozen=True)
class GroupKey:
    """What a group is: the period it starts and the value of each dimension grouped by (else None)."""

    period_start: date | None = None
    values: tuple[tuple[StatisticsDimension, Any], ...] = ()

    def get(self, dimension: StatisticsDimension) -> Any:
        return dict(self.values).get(dimension)


@dataclass
class StatisticsGroup:
    key: GroupKey
    figures: dict[str, Figures | None]
    """Figures by source (orders, demands, hearings); None where a dimension does not apply to one."""


@dataclass
class StatisticsReport:
    start: date
    end: date
    group_by: list[StatisticsDimension]
    period: StatisticsPeriod | None
    groups: list[StatisticsGroup]
    totals: StatisticsGroup


def key_dimensions(group_by: Iterable[StatisticsDimension]) -> list[StatisticsDimension]:
    """The dimensions grouped by, in a fixed order; a category brings its major category along."""
    wanted = set(group_by)
    if StatisticsDimension.CATEGORY in wanted:
        wanted.add(StatisticsDimension.MAJOR_CATEGORY)
    return [dimension for dimension in StatisticsDimension if dimension in wanted]


def statement(
    source: Source,
    ctx: Context,
    filter: StatisticsFilter,
    keys: list[StatisticsDimension],
    period: StatisticsPeriod | None,
    *,
    percentiles: bool,
    times_only: bool = False,
    totals: bool = True,
) -> Select[Any]:
    """The source's figures over the viewer's rows in the filter, by the keys and period, with
    totals; with `times_only`, its median and p90 times alone, counted from the rows (with the
    totals' unless `totals` is False)."""
    start, end = filter.bounds()
    scope = statistics_scope(ctx.viewer, source.name)
    grain = summary.choose(keys, filter.dimensions(), period, scope is not None)
    if source.name == "orders" and not percentiles and not times_only and grain is not None:
        stmt, key_columns = summary.statement(grain, start, end, filter.values, keys, period)
        return _grouped(stmt, key_columns)
    used = set(keys) | {joined for dimension in filter.dimensions() for joined in filter_joins(dimension)}
    key_columns = [source.expression(dimension).label(dimension.value) for dimension in keys]
    if period is not None:
        key_columns.insert(0, source.period_start(period).label("period_start"))
    conditions = [in_range(source, local_midnight(start), local_midnight(end + timedelta(days=1)))]
    if source.condition is not None:
        conditions.append(source.condition)
    if scope is not None:
        conditions.append(scope)
    for dimension in filter.dimensions():
        conditions.append(matches(source, dimension, filter.values[dimension]))
    aggregates = source.times() if times_only else source.figures(percentiles=percentiles)
    columns = [*key_columns, *(expression.label(name) for name, expression in aggregates.items())]
    stmt = select(*columns).select_from(source.frame(used)).where(and_(*conditions))
    return _grouped(stmt, key_columns, totals=totals)


def _grouped(stmt: Select[Any], key_columns: list[Any], *, totals: bool = True) -> Select[Any]:
    """The statement grouped by its key columns, with the totals row unless `totals` is False."""
    if key_columns:
        keys_sql = [column.element for column in key_columns]
        if totals:
            # The totals row has every key NULL and grouping() = 1; a group's NULL key (no tier) has 0.
            stmt = stmt.add_columns(func.grouping(*keys_sql).label("total"))
            stmt = stmt.group_by(func.grouping_sets(tuple_(*keys_sql), tuple_()))
        else:
            stmt = stmt.add_columns(literal(0).label("total")).group_by(*keys_sql)
        # No ORDER BY: groups are sorted in Python (`_sort_key`), so PostgreSQL may hash them.
        stmt = stmt.limit(MAX_GROUPS + 2)
    return stmt


def applies(source: Source, filter: StatisticsFilter, keys: list[StatisticsDimension]) -> bool:
    return source.has(keys) and source.has(filter.dimensions())


async def compute_statistics(
    ctx: Context,
    filter: StatisticsFilter,
    group_by: list[StatisticsDimension],
    period: StatisticsPeriod | None,
    sources: Iterable[str] = tuple(SOURCES),
    *,
    percentiles: bool = True,
) -> StatisticsReport:
    """The figures of the requested sources over what the viewer may count, grouped and with totals;
    the median and p90 times only with `percentiles` (they are None without)."""
    keys = key_dimensions(group_by)
    check_statistics_dimensions(ctx.viewer, {d.value for d in [*keys, *filter.dimensions()]})
    start, end = filter.bounds()
    public_only = ctx.viewer.is_anonymous
    wanted = [SOURCES[name] for name in sources]
    groups: dict[GroupKey, dict[str, Figures | None]] = {}
    totals: dict[str, Figures | None] = {}
    # Anonymous callers are not shown the times: nothing sorts for them.
    percentiles = percentiles and not public_only
    # One transaction and snapshot for every source: figures of one moment, in fewer round trips.
    async with statistics_session(ctx, hashed=True) as session:
        for source in wanted:
            if not applies(source, filter, keys):
                totals[source.name] = None
                continue
            rows = await _read(session, ctx, source, filter, keys, period, percentiles=percentiles)
            if len(rows) > MAX_GROUPS + 1:
                raise ClientError(
                    f"More than {MAX_GROUPS} groups: narrow the filter, the range or the grouping.",
                    code="TOO_MANY_GROUPS",
                )
            figures = FIGURES[source.name]
            totals[source.name] = figures.empty(public_only=public_only)
            for row in rows:
                if keys or period is not None:
                    if row["total"]:
                        totals[source.name] = figures.from_row(row, public_only=public_only)
                        continue
                    key = GroupKey(
                        period_start=row["period_start"] if period is not None else None,
                        values=tuple((dimension, row[dimension.value]) for dimension in keys),
                    )
                    groups.setdefault(key, {})[source.name] = figures.from_row(row, public_only=public_only)
                else:
                    totals[source.name] = figures.from_row(row, public_only=public_only)
    for figures_by_source in groups.values():
        for source in wanted:
            if source.name not in figures_by_source:
                applicable = applies(source, filter, keys)
                empty = FIGURES[source.name].empty(public_only=public_only)
                figures_by_source[source.name] = empty if applicable else None
    if len(groups) > MAX_GROUPS:
        raise ClientError(
            f"More than {MAX_GROUPS} groups: narrow the filter, the range or the grouping.",
            code="TOO_MANY_GROUPS",
        )
    ordered = sorted(groups.items(), key=lambda item: _sort_key(item[0]))
    return StatisticsReport(
        start=start,
        end=end,
        group_by=keys,
        period=period,
        groups=[StatisticsGroup(key, figures) for key, figures in ordered],
        totals=StatisticsGroup(GroupKey(), totals),
    )


async def _read(
    session: AsyncSession,
    ctx: Context,
    source: Source,
    filter: StatisticsFilter,
    keys: list[StatisticsDimension],
    period: StatisticsPeriod | None,
    *,
    percentiles: bool,
) -> Sequence[Any]:
    """The rows of a source's figures. The median and p90 times of orders come, in order of
    preference: read at their ranks (`percentiles.times_at_ranks`: every order of the range, the
    totals or by month); sorted in a statement of their own beside figures a summary gives; or
    sorted in the one statement that counts the orders for every figure."""

    async def rows_of(stmt: Select[Any]) -> Sequence[Any]:
        return (await session.execute(stmt)).mappings().all()

    if not percentiles or source.name != "orders":
        return await rows_of(statement(source, ctx, filter, keys, period, percentiles=percentiles))
    start, end = filter.bounds()
    moments = (local_midnight(start), local_midnight(end + timedelta(days=1)))
    scoped = statistics_scope(ctx.viewer, source.name) is not None
    every_order = not scoped and not filter.dimensions()
    if times_at_ranks(scoped=scoped, filtered=bool(filter.dimensions()), grouped=bool(keys), period=period):
        rows = await rows_of(statement(source, ctx, filter, keys, period, percentiles=False))
        return await read_times_at_ranks(session, rows, *moments, period)
    if summary.choose(keys, filter.dimensions(), period, scoped) is None:
        return await rows_of(statement(source, ctx, filter, keys, period, percentiles=True))
    figures = [
        dict(row) for row in await rows_of(statement(source, ctx, filter, keys, period, percentiles=False))
    ]
    # The totals of every order read their times at their ranks; the groups sort theirs, each
    # a few thousand values, without sorting the whole range again for the totals.
    times_stmt = statement(
        source, ctx, filter, keys, period, percentiles=True, times_only=True, totals=not every_order
    )
    labels = ["period_start"] * (period is not None) + [dimension.value for dimension in keys]

    def key(row: Mapping[str, Any]) -> tuple[Any, ...]:
        # Without groups the one row is the totals, and has no `total` column.
        return (bool(row.get("total", True)), *(row[label] for label in labels))

    times = {key(row): row for row in await rows_of(times_stmt)}
    names = list(source.times())
    for row in figures:
        timed = times.get(key(row), {})
        for name in names:
            row[name] = timed.get(name)
    if not every_order:
        return figures
    totals = [row for row in figures if row.get("total", True)]
    read = await read_times_at_ranks(session, totals, *moments, None)
    return [row for row in figures if not row.get("total", True)] + read


def _sort_key(key: GroupKey) -> tuple[Any, ...]:
    """Groups by period, then by each key value (None last); enum values by name."""
    parts: list[Any] = [(key.period_start is None, key.period_start or date.min)]
    for _, value in key.values:
        comparable = value.name if hasattr(value, "name") else value
        parts.append((value is None, comparable if value is not None else 0))
    return tuple(parts)

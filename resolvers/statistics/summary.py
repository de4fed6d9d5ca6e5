"""Figures of orders from the exact summaries (models.statistics) instead of the orders.

A statistic that counts every order (an administrator's, or the published district figures) and
whose grouping and filters a summary's key holds adds, in one statement: the compacted summary,
its deltas not yet folded in, for a monthly summary the orders of the range's partial months, and
live the owed deadlines now past. A city's year is some 20,000–35,000 summary rows instead of
500,000 orders. The figures are the aggregates `sources.order_aggregates` gives, computed from the
sums (a mean is Σ values / count, as `avg` divides), so both paths answer alike to the last digit;
the median and p90 times need every value and stay on the orders.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    Numeric,
    Select,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from models import Base, OrderStatus, Station, Town
from models.orders import AWAITING_DELIVERY
from models.statistics import GRAINS, ORDER_FACTS, Grain
from resolvers.loading import among
from resolvers.orders.deadlines import local_midnight
from resolvers.statistics.sources import StatisticsDimension, StatisticsPeriod

D = StatisticsDimension
# The key column of each dimension a summary has.
COLUMNS = {
    D.DISTRICT: "district_id",
    D.TOWN: "town_id",
    D.PROVIDER: "provider_id",
    D.CATEGORY: "category_id",
    D.MAJOR_CATEGORY: "major_category_id",
    D.TIER: "tier",
    D.URGENCY: "urgency",
}
OVERDUE = ("responses_overdue", "deliveries_overdue")
# An owed deadline passed unmet (resolvers.orders.deadlines: RESPONSE, DELIVERY), spelled as the
# partial indexes of owed deadlines are, so PostgreSQL reads the open orders from them.
_AWAITING = ", ".join(f"'{status.name}'" for status in AWAITING_DELIVERY)
OVERDUE_CONDITIONS = {
    "responses_overdue": "r.status = 'SUBMITTED' AND r.response_due_at < now() AND r.responded_at IS NULL",
    "deliveries_overdue": f"r.status IN ({_AWAITING}) AND r.delivery_due_at < now() AND r.delivered_at IS NULL",
}
OVERDUE_READ = "r.created_at, r.station_id, r.provider_id, r.service_id, r.project_id, r.urgency"
MONTHLY_PERIODS = {None, StatisticsPeriod.MONTH, StatisticsPeriod.QUARTER, StatisticsPeriod.YEAR}


def choose(
    keys: list[StatisticsDimension],
    filtered: set[StatisticsDimension],
    period: StatisticsPeriod | None,
    scoped: bool,
) -> Grain | None:
    """The summary that answers a statistic of orders grouped by `keys` (and `period`) and filtered
    by `filtered`, counting every order (`scoped` False); None when none does."""
    if scoped:
        return None
    wanted = {COLUMNS.get(dimension) for dimension in (*keys, *filtered)}
    # A place's orders come from the (station_id, created_at) index, 31,000 for a district's year:
    # faster than a monthly summary and the partial months' orders of its 1,285 stations.
    placed = bool(filtered & {D.DISTRICT, D.TOWN})
    for grain in GRAINS:
        monthly_fits = period in MONTHLY_PERIODS and not placed
        if wanted <= set(grain.keys) and (not grain.monthly or monthly_fits):
            return grain
    return None


def _table(grain: Grain, deltas: bool) -> Any:
    return Base.metadata.tables[grain.deltas if deltas else grain.table]


def _typed(grain: Grain, name: str) -> Any:
    """A key column of rows of orders, as SQL typed like the summary's column."""
    return literal_column(grain.keys[name], type_=_table(grain, False).c[name].type)


def _conditions(column: Any, values: dict[StatisticsDimension, list[Any]]) -> list[Any]:
    """The filters over a part whose key columns `column(name)` gives."""
    conditions = []
    for dimension, chosen in values.items():
        if not chosen:
            continue
        if dimension is D.CATEGORY:
            # A category matches its own orders and those of its subcategories.
            conditions.append(
                or_(among(column("category_id"), chosen), among(column("major_category_id"), chosen))
            )
        else:
            conditions.append(among(column(COLUMNS[dimension]), chosen))
    return conditions


def _orders(
    grain: Grain, start: date, end: date, columns: list[Any], *where: Any, source: str = "orders"
) -> Select[Any]:
    """Rows of `source` (orders) placed from `start` to `end` (local days, both included), keyed as
    `grain`."""
    created_at = literal_column("r.created_at", type_=DateTime(timezone=True))
    return (
        select(*(_typed(grain, name).label(name) for name in grain.keys), *columns)
        .select_from(text(grain.rows(source)))
        .where(
            created_at >= local_midnight(start), created_at < local_midnight(end + timedelta(days=1)), *where
        )
    )


def _whole_months(start: date, end: date) -> tuple[date, date] | None:
    """The first and the last day of the whole months from `start` to `end`, if any."""
    first = start if start.day == 1 else (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    after = end + timedelta(days=1)
    last = end if after.day == 1 else end.replace(day=1) - timedelta(days=1)
    return (first, last) if first <= last else None


def _facts(grain: Grain, start: date, end: date, values: dict[StatisticsDimension, list[Any]]) -> Any:
    """Rows of facts keyed as `grain`: summary, deltas, orders of partial months, live overdue."""
    zero_overdue = [literal(0).label(name) for name in OVERDUE]
    parts: list[Any] = []
    moment = "month" if grain.monthly else "day"
    covered = _whole_months(start, end) if grain.monthly else (start, end)
    if covered is not None:
        for deltas in (False, True):
            table = _table(grain, deltas)
            parts.append(
                select(
                    *(table.c[name] for name in grain.keys),
                    *(table.c[name] for name in ORDER_FACTS),
                    *zero_overdue,
                )
                .where(table.c[moment] >= covered[0], table.c[moment] <= covered[1])
                .where(*_conditions(lambda name, table=table: table.c[name], values))
            )
    order_filters = _conditions(lambda name: _typed(grain, name), values)
    # The partial months' orders of a place: read from the (station_id, created_at) index. Not for
    # the overdue ones, fewer, whose partial indexes serve better.
    edge_filters = list(order_filters)
    stations, towns = Station.__table__, Town.__table__
    places = {D.DISTRICT: towns.c.district_id, D.TOWN: stations.c.town_id}
    for dimension in places.keys() & {d for d, chosen in values.items() if chosen}:
        of_place = select(stations.c.id).join(towns, towns.c.id == stations.c.town_id)
        station_id = literal_column("r.station_id", type_=Integer)
        edge_filters.append(station_id.in_(of_place.where(among(places[dimension], values[dimension]))))
    facts: list[Any] = [literal_column(fact).label(name) for name, fact in ORDER_FACTS.items()]
    if covered is None:
        parts.append(_orders(grain, start, end, [*facts, *zero_overdue], *edge_filters))
    elif grain.monthly:
        for first, last in ((start, covered[0] - timedelta(days=1)), (covered[1] + timedelta(days=1), end)):
            if first <= last:
                parts.append(_orders(grain, first, last, [*facts, *zero_overdue], *edge_filters))
    # One part per deadline, each read from its partial index of the orders still owing it (an order
    # late on both counts once in each).
    for counted, condition in OVERDUE_CONDITIONS.items():
        flags = [literal(1 if name == counted else 0).label(name) for name in OVERDUE]
        nothing = [literal(0).label(name) for name in ORDER_FACTS]
        # OFFSET 0 keeps the subquery apart: PostgreSQL starts from the few overdue orders instead of
        # a district's thousand stations.
        # It reads only what the partial index INCLUDEs, so PostgreSQL reads no table row.
        overdue = f"(SELECT {OVERDUE_READ} FROM orders r WHERE {condition} OFFSET 0)"
        parts.append(_orders(grain, start, end, [*nothing, *flags], *order_filters, source=overdue))
    return union_all(*parts).subquery("facts")


def aggregates(facts: Any) -> dict[str, Any]:
    """The figures of `sources.order_aggregates` (without the percentiles) from summed facts."""

    def total(*names: str) -> Any:
        summed: Any = None
        for name in names:
            term = func.coalesce(func.sum(facts.c[name]), 0)
            summed = term if summed is None else summed + term
        return summed

    def mean(values: str, count: str) -> Any:
        return cast(func.sum(facts.c[values]), Numeric) / func.nullif(
            cast(func.sum(facts.c[count]), Numeric), 0
        )

    return {
        "placed": total("placed"),
        **{f"status_{status.name}": total(f"status_{status.name.lower()}") for status in OrderStatus},
        "accepted": total("accepted"),
        "declined": total("status_declined"),
        "cancelled": total("status_cancelled"),
        "delivered": total("delivered"),
        "completed": total("status_completed", "status_evaluated"),
        "evaluated": total("status_evaluated"),
        "responses_judged": total("responses_met", "responses_overdue"),
        "responses_on_time": total("responses_on_time"),
        "deliveries_judged": total("deliveries_met", "deliveries_overdue"),
        "deliveries_on_time": total("deliveries_on_time"),
        "mean_rating": mean("rating_sum", "ratings"),
        "mean_satisfaction": mean("satisfaction_sum", "satisfactions"),
    }


def statement(
    grain: Grain,
    start: date,
    end: date,
    values: dict[StatisticsDimension, list[Any]],
    keys: list[StatisticsDimension],
    period: StatisticsPeriod | None,
    labels: dict[StatisticsDimension, str] | None = None,
) -> tuple[Select[Any], list[Any]]:
    """The figures of orders from the summary, with the key columns (labelled as `report` reads
    them, or by `labels`)."""
    facts = _facts(grain, start, end, values)
    named = labels or {}
    key_columns = [facts.c[COLUMNS[d]].label(named.get(d, d.value)) for d in keys]
    if period is not None:
        moment = facts.c["month" if grain.monthly else "day"]
        # Literals, not parameters: the select list and GROUP BY must spell the same expression.
        truncated = func.date_trunc(literal_column(f"'{period.value}'"), cast(moment, DateTime))
        key_columns.insert(0, cast(truncated, Date).label("period_start"))
    stmt = select(*key_columns, *(value.label(name) for name, value in aggregates(facts).items()))
    return stmt, key_columns


# One compaction at a time: two would lock the same deltas in different orders.
COMPACTION_LOCK = 0x0D00_5717


def _fold(grain: Grain) -> str:
    """Move the grain's deltas into its summary: delete them, add their sums to its rows."""
    keys = ", ".join(grain.keys)
    sums = ", ".join(f"sum({name})" for name in ORDER_FACTS)
    primary = ", ".join(column.name for column in _table(grain, False).primary_key.columns)
    added = ", ".join(f"{name} = {grain.table}.{name} + excluded.{name}" for name in ORDER_FACTS)
    return (
        f"WITH moved AS (DELETE FROM {grain.deltas} RETURNING *),"
        f" added AS (INSERT INTO {grain.table} ({grain.columns})"
        f" SELECT {keys}, {sums} FROM moved GROUP BY {keys}"
        f" ON CONFLICT ({primary}) DO UPDATE SET {added})"
        " SELECT count(*) FROM moved"
    )


async def compact(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """Fold every summary's deltas into it in one transaction; the number of deltas folded.

    Writers only ever insert deltas, so they never wait for this; a delta committed while it runs
    is not in its snapshot, neither deleted nor added, and is folded next time."""
    moved = 0
    async with sessionmaker() as session, session.begin():
        if not await session.scalar(select(func.pg_try_advisory_xact_lock(COMPACTION_LOCK))):
            return 0
        for grain in GRAINS:
            # Nothing to fold writes nothing: a write would announce a change to the response
            # cache (0007) and drop every statistic kept there.
            if not await session.scalar(text(f"SELECT EXISTS (SELECT FROM {grain.deltas})")):
                continue
            moved += int(await session.scalar(text(_fold(grain))) or 0)
            # A key whose orders all moved away (placed back to 0) has every fact 0.
            await session.execute(text(f"DELETE FROM {grain.table} WHERE placed = 0"))
    return moved


async def rebuild(connection: AsyncConnection) -> None:
    """Summarize every order afresh, in the caller's transaction: after a bulk load that bypassed
    the triggers (seeds.bulk). Writers wait until it commits (SHARE lock on orders)."""
    await connection.execute(text("LOCK TABLE orders IN SHARE MODE"))
    for grain in GRAINS:
        await connection.execute(text(f"DELETE FROM {grain.deltas}"))
        await connection.execute(text(f"DELETE FROM {grain.table}"))
        await connection.execute(
            text(f"INSERT INTO {grain.table} ({grain.columns}) {grain.facts_select(('orders', 1))}")
        )

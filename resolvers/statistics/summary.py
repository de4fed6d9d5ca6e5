"""Figures of orders from the exact daily summary (models.statistics) instead of the orders.

A statistic whose grouping and filters the summary's key holds (periods, district, urgency) and
that counts every order (an administrator's, or the published district figures) adds the
compacted summary, the deltas not yet folded in and, live, the owed deadlines now past: about
20,000 rows for a city's year instead of 500,000 orders. The figures are the same aggregates
`sources.order_aggregates` gives, computed from the sums (a mean is Σ values / count, as `avg`
divides), so both paths answer alike to the last digit; the median and p90 times need every
value and stay on the orders.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Numeric,
    Select,
    cast,
    func,
    literal,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, async_sessionmaker

from models import Order, OrderDailyFigureDelta, OrderDailyFigures, OrderStatus, Station, Town
from models.statistics import ORDER_FACTS, SUMMARY_COLUMNS, order_facts_select
from resolvers.loading import among
from resolvers.orders.deadlines import DELIVERY, LOCAL_TIME, RESPONSE, local_midnight
from resolvers.statistics.sources import StatisticsDimension, StatisticsPeriod

# What the summary's key can group and filter by (besides the period).
KEYED = {StatisticsDimension.DISTRICT, StatisticsDimension.URGENCY}
OVERDUE = ("responses_overdue", "deliveries_overdue")


def answers(keys: list[StatisticsDimension], filtered: set[StatisticsDimension], scoped: bool) -> bool:
    """Whether the summary answers a statistic of orders grouped by `keys` and filtered by `filtered`,
    counting every order (`scoped` False)."""
    return not scoped and set(keys) <= KEYED and filtered <= KEYED


def _key_filters(table: Any, values: dict[StatisticsDimension, list[Any]]) -> list[Any]:
    column = {StatisticsDimension.DISTRICT: table.c.district_id, StatisticsDimension.URGENCY: table.c.urgency}
    return [among(column[dimension], chosen) for dimension, chosen in values.items() if chosen]


def _facts(start: date, end: date, values: dict[StatisticsDimension, list[Any]]) -> Any:
    """Rows of facts keyed by (day, district_id, urgency): summary, deltas and the live overdue."""
    zero_overdue = [literal(0).label(name) for name in OVERDUE]
    parts: list[Any] = []
    for model in (OrderDailyFigures, OrderDailyFigureDelta):
        table = model.__table__
        parts.append(
            select(
                table.c.day,
                table.c.district_id,
                table.c.urgency,
                *(table.c[name] for name in ORDER_FACTS),
                *zero_overdue,
            ).where(table.c.day >= start, table.c.day <= end, *_key_filters(table, values))
        )
    local_day = cast(func.timezone(literal_column(f"'{LOCAL_TIME.key}'"), Order.created_at), Date)
    live_filters = []
    if values.get(StatisticsDimension.DISTRICT):
        live_filters.append(among(Town.district_id, values[StatisticsDimension.DISTRICT]))
    if values.get(StatisticsDimension.URGENCY):
        live_filters.append(among(Order.urgency, values[StatisticsDimension.URGENCY]))
    # One part per deadline, each read from its rule's partial index of the orders still owing it
    # (an order late on both counts once in each).
    for rule, met_at, counted in (
        (RESPONSE, Order.responded_at, "responses_overdue"),
        (DELIVERY, Order.delivered_at, "deliveries_overdue"),
    ):
        parts.append(
            select(
                local_day.label("day"),
                Town.district_id,
                Order.urgency,
                *(literal(0).label(name) for name in ORDER_FACTS),
                *(literal(1 if name == counted else 0).label(name) for name in OVERDUE),
            )
            .select_from(Order)
            .join(Station, Station.id == Order.station_id)
            .join(Town, Town.id == Station.town_id)
            .where(
                rule.overdue(),
                met_at.is_(None),
                Order.created_at >= local_midnight(start),
                Order.created_at < local_midnight(end + timedelta(days=1)),
                *live_filters,
            )
        )
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
    start: date,
    end: date,
    values: dict[StatisticsDimension, list[Any]],
    keys: list[StatisticsDimension],
    period: StatisticsPeriod | None,
) -> tuple[Select[Any], list[Any]]:
    """The figures of orders from the summary, with the key columns (labelled as `report` reads them)."""
    facts = _facts(start, end, values)
    column = {StatisticsDimension.DISTRICT: facts.c.district_id, StatisticsDimension.URGENCY: facts.c.urgency}
    key_columns = [column[dimension].label(dimension.value) for dimension in keys]
    if period is not None:
        # Literals, not parameters: the select list and GROUP BY must spell the same expression.
        truncated = func.date_trunc(literal_column(f"'{period.value}'"), cast(facts.c.day, DateTime))
        key_columns.insert(0, cast(truncated, Date).label("period_start"))
    stmt = select(*key_columns, *(value.label(name) for name, value in aggregates(facts).items()))
    return stmt, key_columns


# One compaction at a time: two would lock the same deltas in different orders.
COMPACTION_LOCK = 0x0D00_5717


async def compact(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    """Fold the deltas into the summary in one transaction; the number of deltas folded.

    Writers only ever insert deltas, so they never wait for this; a delta committed while it runs
    is not in its snapshot, neither deleted nor added, and is folded next time."""
    sums = ", ".join(f"sum({name})" for name in ORDER_FACTS)
    added = ", ".join(f"{name} = order_daily_figures.{name} + excluded.{name}" for name in ORDER_FACTS)
    async with sessionmaker() as session, session.begin():
        if not await session.scalar(select(func.pg_try_advisory_xact_lock(COMPACTION_LOCK))):
            return 0
        moved = await session.scalar(
            text(
                "WITH moved AS (DELETE FROM order_daily_figure_deltas RETURNING *),"
                f" added AS (INSERT INTO order_daily_figures ({SUMMARY_COLUMNS})"
                f" SELECT day, district_id, urgency, {sums} FROM moved GROUP BY day, district_id, urgency"
                f" ON CONFLICT (day, district_id, urgency) DO UPDATE SET {added})"
                " SELECT count(*) FROM moved"
            )
        )
        # A key whose orders all moved away (placed back to 0) has every fact 0.
        await session.execute(text("DELETE FROM order_daily_figures WHERE placed = 0"))
        return int(moved or 0)


async def rebuild(connection: AsyncConnection) -> None:
    """Summarize every order afresh, in the caller's transaction: after a bulk load that bypassed
    the triggers (seeds.bulk). Writers wait until it commits (SHARE lock on orders)."""
    await connection.execute(text("LOCK TABLE orders IN SHARE MODE"))
    await connection.execute(text("DELETE FROM order_daily_figure_deltas"))
    await connection.execute(text("DELETE FROM order_daily_figures"))
    await connection.execute(
        text(f"INSERT INTO order_daily_figures ({SUMMARY_COLUMNS}) {order_facts_select(('orders', 1))}")
    )

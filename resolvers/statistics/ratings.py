"""A provider's or a station's rating summary for a range of days: how residents rated the orders
it delivered (a provider) or placed (a station), with the figures behind them.

Loaded in batches: a page of providers asking for their summaries is one statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, select
from strawberry.dataloader import DataLoader

from models import Order
from resolvers.access import may_see_provider_ratings, may_see_station_ratings
from resolvers.context import Context
from resolvers.loading import among
from resolvers.orders.deadlines import local_midnight
from resolvers.statistics.figures import OrderFigures
from resolvers.statistics.rankings import RankedUnit
from resolvers.statistics.report import StatisticsFilter
from resolvers.statistics.sources import SOURCES, in_range

RATINGS = range(1, 6)
UNIT_COLUMN = {RankedUnit.PROVIDER: Order.provider_id, RankedUnit.STATION: Order.station_id}


@dataclass(frozen=True)
class RatingSummary:
    start: date
    end: date
    figures: OrderFigures
    rating_counts: dict[int, int]
    """How many evaluations gave each rating, 1 to 5."""


def _loader(ctx: Context, unit: RankedUnit, start: date, end: date) -> DataLoader[int, RatingSummary]:
    async def batch(ids: list[int]) -> list[RatingSummary]:
        source = SOURCES["orders"]
        column = UNIT_COLUMN[unit]
        stmt = (
            select(
                column.label("unit_id"),
                *(expression.label(name) for name, expression in source.aggregates.items()),
                *(func.count().filter(Order.rating == rating).label(f"rated_{rating}") for rating in RATINGS),
            )
            .where(
                and_(
                    among(column, ids),
                    in_range(source, local_midnight(start), local_midnight(end + timedelta(days=1))),
                )
            )
            .group_by(column)
        )
        async with ctx.db.session() as session:
            rows = {row["unit_id"]: row for row in (await session.execute(stmt)).mappings()}
        return [_summary(rows.get(identity), start, end) for identity in ids]

    return ctx.loaders.get(("rating_summary", unit, start, end), batch)


def _summary(row: Any, start: date, end: date) -> RatingSummary:
    if row is None:
        return RatingSummary(start, end, OrderFigures.empty(public_only=False), dict.fromkeys(RATINGS, 0))
    counts = {rating: row[f"rated_{rating}"] for rating in RATINGS}
    return RatingSummary(start, end, OrderFigures.from_row(row, public_only=False), counts)


async def provider_rating_summary(
    ctx: Context, provider_id: int, filter: StatisticsFilter
) -> RatingSummary | None:
    """A provider's summary: published to every signed-in account; None for anonymous callers."""
    if not may_see_provider_ratings(ctx.viewer):
        return None
    start, end = filter.bounds()
    return await _loader(ctx, RankedUnit.PROVIDER, start, end).load(provider_id)


async def station_rating_summary(
    ctx: Context, station_id: int, town_id: int, filter: StatisticsFilter
) -> RatingSummary | None:
    """A station's summary: for its staff, its town's staff and administrators; None for others."""
    if not may_see_station_ratings(ctx.viewer, station_id, town_id):
        return None
    start, end = filter.bounds()
    return await _loader(ctx, RankedUnit.STATION, start, end).load(station_id)

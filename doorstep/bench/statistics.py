"""`doorstep bench statistics`: how long each statistic and ranking takes, at district and city scale.

Runs the resolvers in this process against the configured database (seed it first, e.g.
`doorstep seed --reload --districts 16`), as an administrator: "district" filters by the first
district, "city" counts every district. Each is run once to warm up, then `repeat` times;
the median and the slowest run are printed in milliseconds.
"""

from __future__ import annotations

import statistics as stats
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from doorstep.settings import Settings
from models import District, Order, Role
from resolvers.context import Context, RequestDatabase, Viewer
from resolvers.errors import ClientError
from resolvers.statistics.rankings import RankedUnit, RankingList, RankingSubject, compute_ranking
from resolvers.statistics.report import StatisticsFilter, compute_statistics
from resolvers.statistics.sources import StatisticsDimension as D
from resolvers.statistics.sources import StatisticsPeriod

ADMIN = Viewer(user_id=0, role=Role.ADMIN)

Run = Callable[[Context, StatisticsFilter], Awaitable[Any]]


def _statistics(group_by: list[D], period: StatisticsPeriod | None, *sources: str, times: bool) -> Run:
    chosen = sources or ("orders", "demands", "hearings")
    return lambda ctx, f: compute_statistics(ctx, f, group_by, period, chosen, percentiles=times)


def _ranking(unit: RankedUnit, which: RankingList, subject: RankingSubject = RankingSubject.ORDERS) -> Run:
    return lambda ctx, f: compute_ranking(ctx, unit, which, f, first=10, percentiles=False, subject=subject)


# "+ times": with the median and p90 times, which the API computes only when a query asks for them
# (read at their ranks from an index for the totals and by month; sorted within the groups of a
# dimension, read in the groups' order from an index where one holds it, after a sort otherwise).
CASES: list[tuple[str, Run]] = [
    ("totals, all sources + times", _statistics([], None, times=True)),
    ("totals, all sources", _statistics([], None, times=False)),
    ("orders by month + times", _statistics([], StatisticsPeriod.MONTH, "orders", times=True)),
    ("orders by month", _statistics([], StatisticsPeriod.MONTH, "orders", times=False)),
    ("all by town", _statistics([D.TOWN], None, times=False)),
    ("orders by town + times", _statistics([D.TOWN], None, "orders", times=True)),
    ("orders by provider + times", _statistics([D.PROVIDER], None, "orders", times=True)),
    ("orders by urgency + times", _statistics([D.URGENCY], None, "orders", times=True)),
    ("orders by category × tier + times", _statistics([D.CATEGORY, D.TIER], None, "orders", times=True)),
    (
        "orders by provider × quarter",
        _statistics([D.PROVIDER], StatisticsPeriod.QUARTER, "orders", times=False),
    ),
    ("all by category × tier", _statistics([D.CATEGORY, D.TIER], None, times=False)),
    ("orders by urgency × week", _statistics([D.URGENCY], StatisticsPeriod.WEEK, "orders", times=False)),
    ("orders by station", _statistics([D.STATION], None, "orders", times=False)),
    ("ranking providers (red)", _ranking(RankedUnit.PROVIDER, RankingList.RED)),
    ("ranking stations (black)", _ranking(RankedUnit.STATION, RankingList.BLACK)),
    ("ranking stations by cases", _ranking(RankedUnit.STATION, RankingList.BLACK, RankingSubject.CASES)),
    ("ranking towns by tasks", _ranking(RankedUnit.TOWN, RankingList.RED, RankingSubject.TASKS)),
]


class _NoBroker:
    """The benchmark reads; nothing subscribes."""

    async def position(self) -> int:
        return 0

    def subscribe(self, accepts: Any) -> Any:
        raise NotImplementedError

    def unsubscribe(self, subscriber: Any) -> None:
        raise NotImplementedError


async def _time(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, run: Run,
                filter: StatisticsFilter, repeat: int) -> list[float]:  # fmt: skip
    timings = []
    for _ in range(repeat + 1):
        ctx = Context(
            db=RequestDatabase(sessionmaker),
            settings=settings,
            broker=_NoBroker(),
            task_broker=_NoBroker(),
            viewer=ADMIN,
        )
        began = time.perf_counter()
        try:
            await run(ctx, filter)
        finally:
            await ctx.db.close()
        timings.append((time.perf_counter() - began) * 1000)
    return timings[1:]


async def bench_statistics(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, repeat: int
) -> str:
    """The table of timings: one line per case and scale."""
    async with sessionmaker() as session:
        districts = (await session.execute(select(District.id).order_by(District.id))).scalars().all()
        newest = await session.scalar(select(func.max(Order.created_at)))
        orders = await session.scalar(select(func.count()).select_from(Order))
    if not districts or newest is None:
        return "No orders: seed the database first (doorstep seed --reload --districts 16)."
    end = newest.date()
    start = end - timedelta(days=365)
    scales = [
        ("district", StatisticsFilter(start=start, end=end, values={D.DISTRICT: [districts[0]]})),
        ("city", StatisticsFilter(start=start, end=end)),
    ]
    lines = [
        f"{orders} orders in {len(districts)} districts; {start} to {end}; median and slowest of {repeat} runs",
        f"{'statistic':<34} {'scale':<9} {'median ms':>10} {'max ms':>8}",
    ]
    for name, run in CASES:
        for scale, filter in scales:
            try:
                timings = await _time(sessionmaker, settings, run, filter, repeat)
            except ClientError as refused:
                # The bounds are part of what is measured: a city has more stations than groups allowed.
                lines.append(f"{name:<34} {scale:<9} refused: {refused.code}")
                continue
            lines.append(f"{name:<34} {scale:<9} {stats.median(timings):>10.1f} {max(timings):>8.1f}")
    return "\n".join(lines)

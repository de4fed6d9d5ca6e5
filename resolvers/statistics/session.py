"""How statistics statements run: one short read-only transaction on one snapshot, with the
planner settings that suit them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from resolvers.context import Context

# How PostgreSQL runs a statistic: without JIT, as compiling the two dozen aggregates of a
# city-wide statistic costs 30 to 90 ms, more than it saves; and with random reads priced as
# what they are for these covering indexes, pages in memory (1.1, the usual value for data that
# is cached or on SSD; PostgreSQL's default of 4 prices a spinning disk). With the default a
# city's station ranking by cases hashes 490,000 cases and spills to disk (350 ms) instead of
# reading them in station order from the covering index (215 ms). And planned for the values of
# each request: after five runs of a prepared statement PostgreSQL may keep a generic plan, blind
# to the district and the dates asked for (a district's totals went from 17 to 170 ms on the
# sixth run); a statistic takes far longer to run than to plan.
PLANNER_SETTINGS = {"jit": "off", "random_page_cost": "1.1", "plan_cache_mode": "force_custom_plan"}
# With memory to hash the groups of a report: a grouping by joined keys (category, tier) is
# estimated at tens of thousands of groups, which with the default 4 MB PostgreSQL sorts on
# disk; a report has at most `MAX_GROUPS` groups (it refuses more), a few MB at most. Not for
# rankings: their thousands of units stream in order from the (station_id, …) index, faster
# than a hash table of them.
HASHED_GROUPS = {"work_mem": "32MB"}


# Every statement of a statistics transaction sees one snapshot, so what one counts the next reads
# unchanged (the times at their ranks, the sources of a report); asyncpg opens it with the BEGIN.
SNAPSHOT = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}


@asynccontextmanager
async def statistics_session(ctx: Context, *, hashed: bool) -> AsyncIterator[AsyncSession]:
    """A short read-only transaction for statistics statements, on one snapshot, run with
    `PLANNER_SETTINGS` (and `HASHED_GROUPS` if `hashed`)."""
    chosen = {**PLANNER_SETTINGS, **(HASHED_GROUPS if hashed else {})}
    async with ctx.db.transaction() as session:
        await session.connection(execution_options=SNAPSHOT)
        await session.execute(select(*(func.set_config(name, value, True) for name, value in chosen.items())))
        yield session


async def read_figures(ctx: Context, stmt: Any, *, hashed: bool) -> Sequence[RowMapping]:
    """The rows of a statistics statement, in a `statistics_session`."""
    async with statistics_session(ctx, hashed=hashed) as session:
        return (await session.execute(stmt)).mappings().all()

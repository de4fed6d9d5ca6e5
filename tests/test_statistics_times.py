"""The median and p90 times of a statistic of every order, read at their ranks from the indexes of
migration 0025 instead of sorted (resolvers.statistics.percentiles): the same figures as sorting,
written out from tests/statistics_data.py, and indexes that really serve the reads."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql

from resolvers.statistics import percentiles
from resolvers.statistics.durations import DURATIONS
from tests.helpers import global_id
from tests.statistics_data import RANGE, SHANGHAI

TIMES = "medianHoursToAccept p90HoursToAccept medianHoursToDeliver p90HoursToDeliver"
QUERY = f"""query($filter: StatisticsFilter, $period: StatisticsPeriod) {{
  statistics(filter: $filter, period: $period) {{
    groups {{ key {{ periodStart }} orders {{ accepted delivered {TIMES} }} }}
    totals {{ orders {{ accepted delivered {TIMES} }} }}
  }}
}}"""


def times(accept: tuple[float, float], deliver: tuple[float, float]) -> dict:
    return {
        "medianHoursToAccept": pytest.approx(accept[0]),
        "p90HoursToAccept": pytest.approx(accept[1]),
        "medianHoursToDeliver": pytest.approx(deliver[0]),
        "p90HoursToDeliver": pytest.approx(deliver[1]),
    }


# Accepted after 2, 30 and 4 h in March (order 4's answer, a decline after 1 h, is no acceptance)
# and 10 h in April; delivered after 48, 400 and 100 h in March and 200 h in April.
ALL = times((7.0, 10 + 0.7 * 20), (150.0, 200 + 0.7 * 200))
MARCH = times((4.0, 4 + 0.8 * 26), (100.0, 100 + 0.8 * 300))
APRIL = times((10.0, 10.0), (200.0, 200.0))


@pytest.mark.parametrize("ranked_from", [1, 100_000])
async def test_times_of_every_order_at_their_ranks_equal_the_sorted_ones(
    history_api, monkeypatch, ranked_from
):
    # From 1 time on, the totals too are read at their ranks; at the default they are sorted.
    monkeypatch.setattr(percentiles, "RANKED_FROM", ranked_from)
    totals = (await history_api.data(QUERY, {"filter": RANGE}, as_="admin"))["statistics"]["totals"]["orders"]
    assert totals == {"accepted": 4, "delivered": 4, **ALL}

    monthly = (await history_api.data(QUERY, {"filter": RANGE, "period": "MONTH"}, as_="admin"))["statistics"]
    march, april = monthly["groups"]
    assert (march["key"]["periodStart"], april["key"]["periodStart"]) == ("2024-03-01", "2024-04-01")
    assert march["orders"] == {"accepted": 3, "delivered": 3, **MARCH}
    assert april["orders"] == {"accepted": 1, "delivered": 1, **APRIL}
    assert monthly["totals"]["orders"] == {"accepted": 4, "delivered": 4, **ALL}


async def test_a_range_ending_within_a_month_reads_only_its_days(history_api, monkeypatch):
    monkeypatch.setattr(percentiles, "RANKED_FROM", 1)
    # Up to March 5: orders 1 and 2 (accepted after 2 and 30 h, delivered after 48 and 400 h).
    variables = {"filter": {"from": "2024-03-01", "to": "2024-03-05"}, "period": "MONTH"}
    data = (await history_api.data(QUERY, variables, as_="admin"))["statistics"]
    (march,) = data["groups"]
    first_days = times((16.0, 2 + 0.9 * 28), (224.0, 48 + 0.9 * 352))
    assert march["orders"] == {"accepted": 2, "delivered": 2, **first_days}
    assert data["totals"]["orders"] == {"accepted": 2, "delivered": 2, **first_days}


GROUPED = f"""query($filter: StatisticsFilter, $groupBy: [StatisticsDimension!]) {{
  statistics(filter: $filter, groupBy: $groupBy) {{
    groups {{ key {{ provider {{ id }} }} orders {{ accepted delivered {TIMES} }} }}
    totals {{ orders {{ accepted delivered {TIMES} }} }}
  }}
}}"""


@pytest.mark.parametrize("ranked_from", [1, 100_000])
async def test_times_by_provider_beside_the_summary_equal_the_sorted_ones(
    history_api, history, monkeypatch, ranked_from
):
    """Grouped by a dimension, the other figures come from a summary and the times from a statement
    of their own, the totals' at their ranks: the same figures."""
    monkeypatch.setattr(percentiles, "RANKED_FROM", ranked_from)
    variables = {"filter": RANGE, "groupBy": ["PROVIDER"]}
    data = (await history_api.data(GROUPED, variables, as_="admin"))["statistics"]
    by_provider = {group["key"]["provider"]["id"]: group["orders"] for group in data["groups"]}
    p1, p2 = (global_id("Provider", history.providers[name]) for name in ("P1", "P2"))
    # P1: accepted after 2, 30 and 4 h, delivered after 48, 400 and 100 h; P2: 10 h and 200 h.
    assert by_provider == {
        p1: {"accepted": 3, "delivered": 3, **times((4.0, 4 + 0.8 * 26), (100.0, 100 + 0.8 * 300))},
        p2: {"accepted": 1, "delivered": 1, **times((10.0, 10.0), (200.0, 200.0))},
    }
    assert data["totals"]["orders"] == {"accepted": 4, "delivered": 4, **ALL}


def _lookup(duration, month: datetime | None) -> str:
    start = datetime(2024, 3, 1, tzinfo=SHANGHAI)
    end = datetime(2024, 5, 1, tzinfo=SHANGHAI)
    statement = percentiles._at_ranks(duration, start, end, month and month.date(), 1, 2)
    return str(statement.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


@pytest.mark.parametrize("duration", DURATIONS, ids=lambda duration: duration.figure)
@pytest.mark.parametrize("monthly", [False, True], ids=["overall", "by month"])
async def test_the_reads_at_ranks_are_served_by_their_index(history_api, duration, monthly):
    """The index's expression must be the statistic's, to the constant: otherwise PostgreSQL
    silently sorts again. With sequential scans and sorts priced out, the read must use it."""
    index = f"ix_orders_{'local_month_' if monthly else ''}{duration.figure}"
    lookup = _lookup(duration, datetime(2024, 3, 1) if monthly else None)
    async with history_api.engine.connect() as connection:
        await connection.execute(text("SET enable_seqscan = off"))
        await connection.execute(text("SET enable_sort = off"))
        plan = "\n".join((await connection.execute(text(f"EXPLAIN SELECT ({lookup})"))).scalars())
    assert f"Index Only Scan using {index} on orders" in plan

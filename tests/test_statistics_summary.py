"""The daily summary of orders (models.statistics) stays exact as orders change through the API.

Statistics of a whole district by period or urgency read the summary and its deltas; with the
median and p90 times they read the orders. Both are checked against figures written out here,
before and after the deltas are folded in.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from doorstep.database import create_sessionmaker
from resolvers.statistics.summary import compact
from tests.order_steps import act, advance, day, place, unlimited_service

FIGURES = """placed accepted declined cancelled delivered completed evaluated
    byStatus { status count } responsesJudged responsesOnTime deliveriesJudged deliveriesOnTime
    meanRating meanSatisfaction"""
SUMMARY = f"""query($filter: StatisticsFilter) {{
  statistics(filter: $filter, groupBy: [URGENCY], period: DAY) {{
    groups {{ key {{ periodStart urgency }} orders {{ {FIGURES} }} }}
    totals {{ orders {{ {FIGURES} }} }} }} }}"""
# Selecting a median makes the same statistic count the orders themselves.
ORDERS = SUMMARY.replace("meanSatisfaction", "meanSatisfaction medianHoursToAccept")


def figures(placed: int, **counts: int) -> dict:
    by_status = {"SUBMITTED": 0, "ACCEPTED": 0, "DECLINED": 0, "SCHEDULED": 0, "IN_PROGRESS": 0}
    by_status |= {"DELIVERED": 0, "COMPLETED": 0, "EVALUATED": 0, "CANCELLED": 0}
    by_status |= {status: counts.pop(status) for status in list(counts) if status.isupper()}
    return {
        "placed": placed,
        "byStatus": [{"status": status, "count": count} for status, count in by_status.items()],
        **counts,
    }


async def read(api, query: str) -> dict:
    filter = {"from": day(0), "to": day(0), "urgencies": ["KEY"]}
    data = (await api.data(query, {"filter": filter}, as_="admin"))["statistics"]
    totals = {k: v for k, v in data["totals"]["orders"].items() if k != "medianHoursToAccept"}
    groups = [(g["key"]["periodStart"], g["key"]["urgency"], g["orders"]["placed"]) for g in data["groups"]]
    return {"totals": totals, "groups": groups}


async def test_the_summary_stays_exact_as_orders_change(fresh_api):
    api = fresh_api
    service = await unlimited_service(api)
    # The demo data places no KEY order today: the figures start empty.
    empty = figures(
        0,
        accepted=0,
        declined=0,
        cancelled=0,
        delivered=0,
        completed=0,
        evaluated=0,
        responsesJudged=0,
        responsesOnTime=0,
        deliveriesJudged=0,
        deliveriesOnTime=0,
        meanRating=None,
        meanSatisfaction=None,
    )
    assert await read(api, SUMMARY) == {"totals": empty, "groups": []}

    orders = [await place(api, service, urgency="KEY") for _ in range(4)]
    await advance(api, orders[0], "EVALUATED")  # rating 5, satisfaction 92 (tests.order_steps)
    evaluated = await advance(api, orders[1], "COMPLETED")
    payload = await act(api, "EVALUATE", evaluated, as_="station", rating=2, satisfaction=61)
    assert payload["userErrors"] == []
    await advance(api, orders[2], "DECLINED")
    await advance(api, orders[3], "CANCELLED")
    # An order of another urgency counts in neither.
    await place(api, service, urgency="ROUTINE")
    expected = {
        "totals": figures(
            4,
            EVALUATED=2,
            DECLINED=1,
            CANCELLED=1,
            accepted=2,
            declined=1,
            cancelled=1,
            delivered=2,
            completed=2,
            evaluated=2,
            # Three answered at once (accepted twice, declined once); two delivered long before due.
            responsesJudged=3,
            responsesOnTime=3,
            deliveriesJudged=2,
            deliveriesOnTime=2,
            meanRating=3.5,
            meanSatisfaction=76.5,
        ),
        "groups": [(day(0), "KEY", 4)],
    }
    assert await read(api, SUMMARY) == expected
    assert await read(api, ORDERS) == expected

    # Folded in (here, or by the app's own compaction if it holds the lock): the same figures.
    await compact(create_sessionmaker(api.engine))
    assert await read(api, SUMMARY) == expected
    # Changed after the compaction: the delta and the summary add up.
    cancelled = await place(api, service, urgency="KEY")
    await advance(api, cancelled, "CANCELLED")
    expected["totals"] = figures(
        5,
        EVALUATED=2,
        DECLINED=1,
        CANCELLED=2,
        accepted=2,
        declined=1,
        cancelled=2,
        delivered=2,
        completed=2,
        evaluated=2,
        responsesJudged=3,
        responsesOnTime=3,
        deliveriesJudged=2,
        deliveriesOnTime=2,
        meanRating=3.5,
        meanSatisfaction=76.5,
    )
    expected["groups"] = [(day(0), "KEY", 5)]
    assert await read(api, SUMMARY) == expected
    assert await read(api, ORDERS) == expected


# Not the deadlines judged: a month of demo orders holds open ones whose deadlines pass while the
# test runs (judged counts them from that moment, on both paths); the first test checks them.
COUNTS = """placed accepted declined cancelled delivered completed evaluated byStatus { status count }
    responsesOnTime deliveriesOnTime"""
MONTHLY = f"""query($filter: StatisticsFilter, $groupBy: [StatisticsDimension!]) {{
  statistics(filter: $filter, groupBy: $groupBy, period: MONTH) {{
    groups {{ key {{ periodStart town {{ id }} category {{ id }} tier }} orders {{ {COUNTS} }} }}
    totals {{ orders {{ {COUNTS} }} }} }} }}"""


def this_month() -> dict:
    first = date.fromisoformat(day(0)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return {"from": first.isoformat(), "to": last.isoformat(), "urgencies": ["KEY"]}


async def monthly(api, group_by: list[str], times: bool) -> dict:
    query = MONTHLY.replace("deliveriesOnTime", "deliveriesOnTime medianHoursToAccept") if times else MONTHLY
    data = (await api.data(query, {"filter": this_month(), "groupBy": group_by}, as_="admin"))["statistics"]
    for figures in [data["totals"]["orders"], *(group["orders"] for group in data["groups"])]:
        figures.pop("medianHoursToAccept", None)
    return data


def plus(figures: dict, increments: dict) -> dict:
    added = {
        name: value + increments[name] if name in increments else value for name, value in figures.items()
    }
    added["byStatus"] = [
        {"status": row["status"], "count": row["count"] + increments.get(row["status"], 0)}
        for row in figures["byStatus"]
    ]
    return added


@pytest.mark.parametrize("group_by", [["TOWN"], ["CATEGORY", "TIER"]])
async def test_the_monthly_summaries_stay_exact_as_orders_change(fresh_api, group_by):
    """Whole months of a town or a category and tier read the monthly summaries and their deltas."""
    api = fresh_api
    service = await unlimited_service(api)
    before = await monthly(api, group_by, times=False)
    assert before == await monthly(api, group_by, times=True)

    first, second = [await place(api, service, urgency="KEY") for _ in range(2)]
    await advance(api, first, "EVALUATED")
    await advance(api, second, "DECLINED")
    increments = {
        "placed": 2,
        "accepted": 1,
        "declined": 1,
        "delivered": 1,
        "completed": 1,
        "evaluated": 1,
        "EVALUATED": 1,
        "DECLINED": 1,
        "responsesOnTime": 2,
        "deliveriesOnTime": 1,
    }
    after = await monthly(api, group_by, times=False)
    assert after["totals"]["orders"] == plus(before["totals"]["orders"], increments)
    assert after == await monthly(api, group_by, times=True)
    await compact(create_sessionmaker(api.engine))
    assert after == await monthly(api, group_by, times=False)


async def test_concurrent_writers_and_compactions_keep_the_summary_exact(fresh_api):
    """Orders placed and moved on concurrent connections while deltas are folded in concurrently."""
    api = fresh_api
    service = await unlimited_service(api)
    before = await read(api, SUMMARY)
    sessionmaker = create_sessionmaker(api.engine)

    async def write(index: int) -> None:
        order = await place(api, service, urgency="KEY")
        if index % 2:
            await advance(api, order, "DECLINED")

    await asyncio.gather(*(write(index) for index in range(8)), *(compact(sessionmaker) for _ in range(4)))
    await compact(sessionmaker)
    after = await read(api, SUMMARY)
    increments = {"placed": 8, "declined": 4, "DECLINED": 4, "SUBMITTED": 4, "responsesJudged": 4}
    increments["responsesOnTime"] = 4
    assert after["totals"] == plus(before["totals"], increments)
    assert after == await read(api, ORDERS)

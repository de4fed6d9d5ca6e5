"""Statistics through the API, against the figures of tests/statistics_data.py worked out by hand."""

from __future__ import annotations

import pytest

from tests.helpers import global_id
from tests.statistics_data import RANGE

ORDER_FIGURES = """placed accepted declined cancelled delivered completed evaluated
    byStatus { status count }
    medianHoursToAccept p90HoursToAccept medianHoursToDeliver p90HoursToDeliver
    responsesJudged responsesOnTime deliveriesJudged deliveriesOnTime
    responseOnTimeRate deliveryOnTimeRate onTimeRate declineRate meanRating meanSatisfaction"""
STATISTICS = f"""query($filter: StatisticsFilter, $groupBy: [StatisticsDimension!], $period: StatisticsPeriod) {{
  statistics(filter: $filter, groupBy: $groupBy, period: $period) {{
    from to groupBy period
    groups {{
      key {{ periodStart tier urgency district {{ id }} town {{ id }} station {{ id }} provider {{ id }}
             category {{ id }} majorCategory {{ id }} }}
      orders {{ {ORDER_FIGURES} }}
      demands {{ posted matched resolved closed resolutionRate }}
      hearings {{ held approved rejected approvalRate attendees votesFor votesAgainst votesAbstaining }}
    }}
    totals {{
      orders {{ {ORDER_FIGURES} }}
      demands {{ posted matched resolved closed resolutionRate }}
      hearings {{ held approved rejected approvalRate attendees votesFor votesAgainst votesAbstaining }}
    }}
  }}
}}"""


def statuses(**counts: int) -> list[dict]:
    order = ["SUBMITTED", "ACCEPTED", "DECLINED", "SCHEDULED", "IN_PROGRESS", "DELIVERED", "COMPLETED"]
    order += ["EVALUATED", "CANCELLED"]
    return [{"status": status, "count": counts.get(status, 0)} for status in order]


# Worked out from the table of tests/statistics_data.py.
ALL_ORDERS = {
    "placed": 7,
    "accepted": 4,  # 1, 2, 3, 6
    "declined": 1,
    "cancelled": 1,
    "delivered": 4,
    "completed": 4,
    "evaluated": 3,
    "byStatus": statuses(EVALUATED=3, COMPLETED=1, DECLINED=1, SUBMITTED=1, CANCELLED=1),
    # Hours to accept 2, 4, 10, 30: median (4 + 10) / 2; p90 at 2.7 of 3 steps: 10 + 0.7 × 20.
    "medianHoursToAccept": 7.0,
    "p90HoursToAccept": 24.0,
    # Hours to deliver 48, 100, 200, 400: median 150; p90 200 + 0.7 × 200.
    "medianHoursToDeliver": 150.0,
    "p90HoursToDeliver": 340.0,
    # Answered 1, 2, 3, 4, 6 and 5 unanswered past its deadline; 2 answered after 30 h of 24.
    "responsesJudged": 6,
    "responsesOnTime": 4,
    # Delivered 1, 2, 3, 6 and 5 undelivered past its deadline; 2 delivered after 400 h of 360.
    "deliveriesJudged": 5,
    "deliveriesOnTime": 3,
    "responseOnTimeRate": 4 / 6,
    "deliveryOnTimeRate": 3 / 5,
    "onTimeRate": 7 / 11,
    "declineRate": 1 / 5,
    "meanRating": 4.0,
    "meanSatisfaction": 80.0,
}
P1_ORDERS = {
    "placed": 4,
    "accepted": 3,
    "declined": 1,
    "cancelled": 0,
    "delivered": 3,
    "completed": 3,
    "evaluated": 2,
    "byStatus": statuses(EVALUATED=2, COMPLETED=1, DECLINED=1),
    "medianHoursToAccept": 4.0,  # 2, 4, 30
    "p90HoursToAccept": 4 + 0.8 * 26,  # at 1.8 of 2 steps
    "medianHoursToDeliver": 100.0,  # 48, 100, 400
    "p90HoursToDeliver": 100 + 0.8 * 300,
    "responsesJudged": 4,
    "responsesOnTime": 3,
    "deliveriesJudged": 3,
    "deliveriesOnTime": 2,
    "responseOnTimeRate": 3 / 4,
    "deliveryOnTimeRate": 2 / 3,
    "onTimeRate": 5 / 7,
    "declineRate": 1 / 4,
    "meanRating": 4.0,
    "meanSatisfaction": 80.0,
}
P2_ORDERS = {
    "placed": 3,
    "accepted": 1,
    "declined": 0,
    "cancelled": 1,
    "delivered": 1,
    "completed": 1,
    "evaluated": 1,
    "byStatus": statuses(EVALUATED=1, SUBMITTED=1, CANCELLED=1),
    "medianHoursToAccept": 10.0,
    "p90HoursToAccept": 10.0,
    "medianHoursToDeliver": 200.0,
    "p90HoursToDeliver": 200.0,
    "responsesJudged": 2,
    "responsesOnTime": 1,
    "deliveriesJudged": 2,
    "deliveriesOnTime": 1,
    "responseOnTimeRate": 0.5,
    "deliveryOnTimeRate": 0.5,
    "onTimeRate": 0.5,
    "declineRate": 0.0,
    "meanRating": 4.0,
    "meanSatisfaction": 80.0,
}
ALL_DEMANDS = {"posted": 4, "matched": 2, "resolved": 2, "closed": 1, "resolutionRate": 0.5}
ALL_HEARINGS = {
    "held": 2,
    "approved": 1,
    "rejected": 1,
    "approvalRate": 0.5,
    "attendees": 27,
    "votesFor": 13,
    "votesAgainst": 10,
    "votesAbstaining": 1,
}


def approx(figures: dict) -> dict:
    return {
        name: pytest.approx(value) if isinstance(value, float) else value for name, value in figures.items()
    }


async def test_totals_of_every_figure(history_api):
    data = await history_api.data(STATISTICS, {"filter": RANGE}, as_="admin")
    report = data["statistics"]
    assert (report["from"], report["to"], report["groupBy"], report["period"]) == (
        "2024-03-01",
        "2024-04-30",
        [],
        None,
    )
    assert report["groups"] == []
    assert report["totals"]["orders"] == approx(ALL_ORDERS)
    assert report["totals"]["demands"] == ALL_DEMANDS
    assert report["totals"]["hearings"] == ALL_HEARINGS


async def test_grouped_by_provider(history_api, history):
    data = await history_api.data(STATISTICS, {"filter": RANGE, "groupBy": ["PROVIDER"]}, as_="admin")
    groups = data["statistics"]["groups"]
    by_provider = {group["key"]["provider"]["id"]: group for group in groups}
    p1, p2 = (global_id("Provider", history.providers[name]) for name in ("P1", "P2"))
    assert set(by_provider) == {p1, p2}
    assert by_provider[p1]["orders"] == approx(P1_ORDERS)
    assert by_provider[p2]["orders"] == approx(P2_ORDERS)
    # Demands have no provider: their figures do not apply.
    assert by_provider[p1]["demands"] is None
    assert by_provider[p1]["hearings"] == {
        "held": 1,
        "approved": 1,
        "rejected": 0,
        "approvalRate": 1.0,
        "attendees": 15,
        "votesFor": 10,
        "votesAgainst": 2,
        "votesAbstaining": 1,
    }
    assert data["statistics"]["totals"]["orders"] == approx(ALL_ORDERS)
    assert data["statistics"]["totals"]["demands"] is None

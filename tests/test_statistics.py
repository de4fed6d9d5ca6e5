"""Statistics through the API, against the figures of tests/statistics_data.py worked out by hand."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.helpers import execute, global_id
from tests.order_steps import SHANGHAI, act, advance, place, unlimited_service
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


TOTAL_PLACED = """query($filter: StatisticsFilter, $groupBy: [StatisticsDimension!], $period: StatisticsPeriod) {
  statistics(filter: $filter, groupBy: $groupBy, period: $period) {
    groups { key { periodStart town { id } category { id } majorCategory { id } } orders { placed } }
    totals { orders { placed medianHoursToAccept responseOnTimeRate meanRating meanSatisfaction }
             demands { posted resolved resolutionRate } hearings { held attendees } }
  }
}"""


async def test_grouped_by_month_in_the_district_calendar(history_api):
    data = await history_api.data(STATISTICS, {"filter": RANGE, "period": "MONTH"}, as_="admin")
    groups = data["statistics"]["groups"]
    assert [group["key"]["periodStart"] for group in groups] == ["2024-03-01", "2024-04-01"]
    march, april = groups
    assert (march["orders"]["placed"], april["orders"]["placed"]) == (5, 2)
    assert (march["demands"]["posted"], april["demands"]["posted"]) == (3, 1)
    assert (march["hearings"]["held"], april["hearings"]["held"]) == (2, 0)
    assert march["orders"]["medianHoursToAccept"] == pytest.approx(4.0)  # accepted after 2, 30 and 4 h
    assert april["orders"]["meanRating"] == 4.0


async def test_grouped_by_town_and_category_with_its_major(history_api, history):
    data = await history_api.data(
        TOTAL_PLACED, {"filter": RANGE, "groupBy": ["TOWN", "CATEGORY"]}, as_="admin"
    )
    placed_by_town: dict[str, int] = {}
    for group in data["statistics"]["groups"]:
        key = group["key"]
        assert key["category"] is not None and key["majorCategory"] is not None
        placed_by_town[key["town"]["id"]] = (
            placed_by_town.get(key["town"]["id"], 0) + group["orders"]["placed"]
        )
    assert placed_by_town == {
        global_id("Town", history.towns["T1"]): 5,
        global_id("Town", history.towns["T2"]): 2,
    }


@pytest.mark.parametrize(
    ("account", "placed", "posted", "held"),
    [
        ("admin", 7, 4, 2),
        ("provider", 4, 4, 1),  # its own orders and hearings; the demands of its district
        ("town", 5, 3, 2),  # S1 and S2
        ("station", 3, 3, 1),  # S1
    ],
)
async def test_every_figure_counts_what_the_viewer_may_see(history_api, account, placed, posted, held):
    data = await history_api.data(TOTAL_PLACED, {"filter": RANGE}, as_=account)
    totals = data["statistics"]["totals"]
    assert (totals["orders"]["placed"], totals["demands"]["posted"], totals["hearings"]["held"]) == (
        placed,
        posted,
        held,
    )


async def test_filters_by_station_and_urgency(history_api, history):
    stations = [global_id("Station", history.stations["S3"])]
    data = await history_api.data(
        TOTAL_PLACED, {"filter": {**RANGE, "stations": stations, "urgencies": ["ROUTINE"]}}, as_="admin"
    )
    totals = data["statistics"]["totals"]
    assert totals["orders"]["placed"] == 2
    assert totals["demands"]["posted"] == 1
    assert totals["hearings"] is None  # hearings have no urgency


async def test_anonymous_callers_see_published_figures_of_the_district_only(history_api, history):
    districts = [global_id("District", history.district)]
    data = await history_api.data(TOTAL_PLACED, {"filter": {**RANGE, "districts": districts}})
    totals = data["statistics"]["totals"]
    assert totals["orders"] == {
        "placed": 7,
        "medianHoursToAccept": None,
        "responseOnTimeRate": None,
        "meanRating": None,
        "meanSatisfaction": 80.0,
    }
    assert totals["demands"] == {"posted": 4, "resolved": 2, "resolutionRate": 0.5}
    assert totals["hearings"] == {"held": 2, "attendees": None}
    errors = await history_api.errors(TOTAL_PLACED, {"filter": RANGE, "groupBy": ["STATION"]})
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "station" in errors[0]["message"]


@pytest.mark.parametrize(
    ("variables", "code"),
    [
        ({"filter": {"from": "2024-01-01", "to": "2025-06-30"}}, "RANGE_TOO_LONG"),
        ({"filter": {"from": "2024-05-01", "to": "2024-04-01"}}, "INVALID_RANGE"),
        ({"filter": {**RANGE, "towns": [global_id("Station", 1)]}}, "INVALID_ID"),
        (
            {"filter": {**RANGE, "stations": [global_id("Station", n) for n in range(1, 202)]}},
            "TOO_MANY_VALUES",
        ),
    ],
)
async def test_bounded_work_is_refused_clearly(api, variables, code):
    errors = await api.errors(TOTAL_PLACED, variables, as_="admin")
    assert errors[0]["extensions"]["code"] == code


async def test_too_many_groups_are_refused(fresh_api):
    # 11 stations × 200 days: 2,200 station-days with an order each, beyond the 2,000 groups allowed.
    await execute(
        fresh_api,
        """INSERT INTO orders (station_id, provider_id, service_id, placed_by_id, idempotency_key, quantity,
               requested_start, requested_end, notes, version, urgency, status, response_due_at, delivery_due_at,
               response_alert_at, delivery_alert_at, created_at, updated_at)
           SELECT s.id, v.provider_id, v.id, u.id, 'many-' || s.id || '-' || d, 1, '2024-01-01', '2024-01-01', '', 1,
               'ROUTINE', 'SUBMITTED', t, t, t, t, t, t
           FROM (SELECT id FROM stations ORDER BY id LIMIT 11) AS s,
                generate_series(0, 199) AS d,
                LATERAL (SELECT timestamptz '2024-01-01 12:00+08' + d * interval '1 day' AS t) AS moment,
                (SELECT id, provider_id FROM services WHERE capacity_per_period IS NULL ORDER BY id LIMIT 1) AS v,
                (SELECT id FROM users WHERE username = 'station') AS u""",
    )
    query = TOTAL_PLACED
    variables = {
        "filter": {"from": "2024-01-01", "to": "2024-12-31"},
        "groupBy": ["STATION"],
        "period": "DAY",
    }
    errors = await fresh_api.errors(query, variables, as_="admin")
    assert errors[0]["extensions"]["code"] == "TOO_MANY_GROUPS"
    variables["period"] = "MONTH"
    data = await fresh_api.data(query, variables, as_="admin")
    assert len(data["statistics"]["groups"]) == 11 * 7  # 200 days from January 1st reach into July


MILESTONES = """query($id: ID!) { order(id: $id) { ... on Order {
    status respondedAt deliveredAt responseOnTime deliveryOnTime } } }"""
TODAY_FIGURES = """query($filter: StatisticsFilter) { statistics(filter: $filter) { totals { orders {
    placed accepted delivered responsesJudged responsesOnTime deliveriesJudged deliveriesOnTime
    medianHoursToAccept } } } }"""


async def test_orders_moved_through_the_api_record_when_they_met_their_deadlines(fresh_api):
    service = await unlimited_service(fresh_api)
    order = await place(fresh_api, service)
    data = await fresh_api.data(MILESTONES, {"id": order["id"]}, as_="station")
    assert data["order"] == {
        "status": "SUBMITTED",
        "respondedAt": None,
        "deliveredAt": None,
        "responseOnTime": None,  # not yet judged: the deadline is a day away
        "deliveryOnTime": None,
    }
    order = await advance(fresh_api, order, "DELIVERED")
    data = await fresh_api.data(MILESTONES, {"id": order["id"]}, as_="station")
    assert data["order"]["respondedAt"] is not None and data["order"]["deliveredAt"] is not None
    assert (data["order"]["responseOnTime"], data["order"]["deliveryOnTime"]) == (True, True)

    # A rejected delivery does not stand: delivery is owed again, and not yet judged.
    payload = await act(fresh_api, "REJECT_DELIVERY", order, as_="station")
    assert payload["userErrors"] == []
    data = await fresh_api.data(MILESTONES, {"id": order["id"]}, as_="station")
    assert (data["order"]["deliveredAt"], data["order"]["deliveryOnTime"]) == (None, None)

    today = datetime.now(SHANGHAI).date().isoformat()
    data = await fresh_api.data(TODAY_FIGURES, {"filter": {"from": today, "to": today}}, as_="admin")
    figures = data["statistics"]["totals"]["orders"]
    assert {key: value for key, value in figures.items() if key != "medianHoursToAccept"} == {
        "placed": 1,
        "accepted": 1,
        "delivered": 0,
        "responsesJudged": 1,
        "responsesOnTime": 1,
        "deliveriesJudged": 0,
        "deliveriesOnTime": 0,
    }
    assert 0 <= figures["medianHoursToAccept"] < 1

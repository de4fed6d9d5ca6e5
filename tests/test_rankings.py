"""Red and black lists and rating summaries through the API, on tests/statistics_data.py.

Scores by hand: 100 × (0.35 on-time + 0.30 (rating − 1) / 4 + 0.25 satisfaction / 100 + 0.10
(1 − decline rate)), over the components a unit has.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.helpers import global_id
from tests.statistics_data import RANGE, insert_order, placed

RANKING = """query($unit: RankedUnit!, $list: RankingList!, $filter: StatisticsFilter, $first: Int!,
                  $minimumOrders: Int!) {
  ranking(unit: $unit, list: $list, filter: $filter, first: $first, minimumOrders: $minimumOrders) {
    unit list from to minimumOrders rankedCount weights { component weight }
    entries { rank score components { onTime rating satisfaction acceptance }
              provider { id } station { id } town { id }
              figures { placed declined onTimeRate meanRating meanSatisfaction declineRate } }
  }
}"""


def ask(unit: str, which: str = "RED", first: int = 10, minimum: int = 1) -> dict:
    return {"unit": unit, "list": which, "filter": RANGE, "first": first, "minimumOrders": minimum}


async def test_providers_red_list_with_the_figures_behind_each_place(history_api, history):
    data = await history_api.data(RANKING, ask("PROVIDER", minimum=3), as_="station")
    ranking = data["ranking"]
    assert ranking["weights"] == [
        {"component": "onTime", "weight": 0.35},
        {"component": "rating", "weight": 0.3},
        {"component": "satisfaction", "weight": 0.25},
        {"component": "acceptance", "weight": 0.1},
    ]
    assert ranking["rankedCount"] == 2
    first, second = ranking["entries"]
    # P1: on time 5 of 7, rating 4, satisfaction 80, 1 declined of 4 answered → 25 + 22.5 + 20 + 7.5.
    assert first["provider"]["id"] == global_id("Provider", history.providers["P1"])
    assert (first["rank"], first["score"]) == (1, 75.0)
    assert first["components"] == pytest.approx(
        {"onTime": 5 / 7, "rating": 0.75, "satisfaction": 0.8, "acceptance": 0.75}
    )
    assert first["figures"]["placed"] == 4
    # P2: on time 2 of 4, rating 4, satisfaction 80, none declined → 17.5 + 22.5 + 20 + 10.
    assert second["provider"]["id"] == global_id("Provider", history.providers["P2"])
    assert (second["rank"], second["score"]) == (2, 70.0)


async def test_black_list_reads_the_ranking_from_the_last_place(history_api, history):
    data = await history_api.data(RANKING, ask("PROVIDER", "BLACK", first=1, minimum=3), as_="provider")
    (last,) = data["ranking"]["entries"]
    assert (last["rank"], last["score"]) == (2, 70.0)
    assert last["provider"]["id"] == global_id("Provider", history.providers["P2"])


async def test_units_below_the_minimum_of_orders_are_not_ranked(history_api, history):
    data = await history_api.data(RANKING, ask("PROVIDER", minimum=4), as_="admin")
    assert data["ranking"]["rankedCount"] == 1
    assert [entry["provider"]["id"] for entry in data["ranking"]["entries"]] == [
        global_id("Provider", history.providers["P1"])
    ]
    data = await history_api.data(RANKING, ask("PROVIDER", minimum=5), as_="admin")
    assert (data["ranking"]["rankedCount"], data["ranking"]["entries"]) == (0, [])


async def test_stations_ranked_with_missing_components_left_out(history_api, history):
    data = await history_api.data(RANKING, ask("STATION", minimum=2), as_="admin")
    entries = data["ranking"]["entries"]
    assert [(entry["station"]["id"], entry["rank"], entry["score"]) for entry in entries] == [
        # S3: everything on time, rating 4, satisfaction 80, none declined.
        (global_id("Station", history.stations["S3"]), 1, 87.5),
        # S1: on time 4 of 6, rating 4, satisfaction 80, none declined.
        (global_id("Station", history.stations["S1"]), 2, 75.83),
        # S2: on time 1 of 3, its only answer a decline, nothing evaluated: (0.35 / 3) / 0.45.
        (global_id("Station", history.stations["S2"]), 3, 25.93),
    ]
    assert entries[2]["components"]["rating"] is None


async def test_town_staff_rank_their_own_stations_only(history_api, history):
    data = await history_api.data(RANKING, ask("STATION", minimum=2), as_="town")
    assert [entry["station"]["id"] for entry in data["ranking"]["entries"]] == [
        global_id("Station", history.stations["S1"]),
        global_id("Station", history.stations["S2"]),
    ]


@pytest.mark.parametrize(
    ("account", "unit", "code"),
    [
        (None, "PROVIDER", "UNAUTHENTICATED"),
        ("provider", "STATION", "FORBIDDEN"),
        ("station", "STATION", "FORBIDDEN"),
        ("town", "TOWN", "FORBIDDEN"),
    ],
)
async def test_who_sees_which_ranking(history_api, account, unit, code):
    errors = await history_api.errors(RANKING, ask(unit), as_=account)
    assert errors[0]["extensions"]["code"] == code


async def test_towns_ranked_for_administrators(history_api, history):
    data = await history_api.data(RANKING, ask("TOWN", minimum=1), as_="admin")
    assert [entry["town"]["id"] for entry in data["ranking"]["entries"]] == [
        global_id("Town", history.towns["T2"]),  # S3's orders: 87.5
        global_id("Town", history.towns["T1"]),
    ]


SUMMARIES = """query($provider: ID!, $station: ID!, $range: DateRange) {
  provider: node(id: $provider) { ... on Provider { ratingSummary(range: $range) {
    from to evaluated meanRating meanSatisfaction ratingCounts { rating count } orders { placed } } } }
  station: node(id: $station) { ... on Station { ratingSummary(range: $range) {
    evaluated meanRating ratingCounts { rating count } } } }
}"""


async def test_rating_summaries_of_a_provider_and_a_station(history_api, history):
    variables = {
        "provider": global_id("Provider", history.providers["P1"]),
        "station": global_id("Station", history.stations["S1"]),
        "range": RANGE,
    }
    data = await history_api.data(SUMMARIES, variables, as_="station")
    assert data["provider"]["ratingSummary"] == {
        "from": "2024-03-01",
        "to": "2024-04-30",
        "evaluated": 2,
        "meanRating": 4.0,
        "meanSatisfaction": 80.0,
        "ratingCounts": [
            {"rating": 1, "count": 0},
            {"rating": 2, "count": 0},
            {"rating": 3, "count": 1},
            {"rating": 4, "count": 0},
            {"rating": 5, "count": 1},
        ],
        "orders": {"placed": 4},
    }
    assert data["station"]["ratingSummary"]["evaluated"] == 2
    # A provider does not see a station's summary; anonymous callers see neither.
    data = await history_api.data(SUMMARIES, variables, as_="provider")
    assert data["station"]["ratingSummary"] is None
    data = await history_api.data(SUMMARIES, variables)
    assert data["provider"]["ratingSummary"] is None


async def test_ties_go_to_more_orders_then_to_the_lower_id(fresh_api):
    """Three stations with the same perfect figures: the one with more orders first, then by id."""
    async with fresh_api.engine.begin() as connection:
        stations = (
            (await connection.execute(text("SELECT id FROM stations ORDER BY id LIMIT 3"))).scalars().all()
        )
        service, provider = (
            await connection.execute(text("SELECT id, provider_id FROM services ORDER BY id LIMIT 1"))
        ).one()
        user = (await connection.execute(text("SELECT id FROM users WHERE username = 'station'"))).scalar()
        # The third station (the highest id) has three orders, the others two each.
        for station, count in zip(stations, (2, 2, 3), strict=True):
            for number in range(count):
                await insert_order(
                    connection,
                    station_id=station,
                    provider_id=provider,
                    service_id=service,
                    user_id=user,
                    key=f"tie-{station}-{number}",
                    at=placed(3, 2 + number),
                    status="EVALUATED",
                    answered=1,
                    delivered=10,
                    rating=5,
                    satisfaction=100,
                )
    data = await fresh_api.data(RANKING, ask("STATION", minimum=2), as_="admin")
    assert [
        (entry["station"]["id"], entry["rank"], entry["score"]) for entry in data["ranking"]["entries"]
    ] == [
        (global_id("Station", stations[2]), 1, 100.0),
        (global_id("Station", stations[0]), 2, 100.0),
        (global_id("Station", stations[1]), 3, 100.0),
    ]

"""Red and black lists of stations and towns by their cases and their volunteer tasks, and of
departments by their whistles, through the API, against scores worked out by hand.

All rows are ROUTINE and from March 2024 (Asia/Shanghai), long past, so every deadline is judged:
a case is to be answered within 24 h and closed within 72 h, a task taken within 24 h and
completed within 72 h (the seeded due times below say so, whatever the rules' limits are).

Case score = 100 × (0.35 answered on time + 0.25 closed on time + 0.20 resolution
+ 0.20 satisfaction / 100) over the components a unit has; task score = 100 × (0.35 taken on time
+ 0.35 completed on time + 0.30 completion).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from tests.case_steps import blow, other_provider, viewer_scope
from tests.helpers import global_id
from tests.volunteer_steps import register

SHANGHAI = ZoneInfo("Asia/Shanghai")
RANGE = {"from": "2024-03-01", "to": "2024-03-31"}

# (station, day, status, answered after h, closed after h, satisfaction)
CASES = [
    ("S1", 2, "EVALUATED", 2, 10, 90),
    ("S1", 3, "EVALUATED", 30, 100, 70),
    ("S1", 4, "CLOSED", 4, 20, None),
    ("S2", 5, "EVALUATED", 1, 5, 100),
    ("S2", 6, "RECEIVED", None, None, None),
    ("S3", 7, "HANDLED", 1, None, None),
    ("S3", 8, "HANDLED", 1, None, None),
]
# (station, day, status, taken after h, completed after h)
TASKS = [
    ("S1", 2, "COMPLETED", 1, 10),
    ("S1", 3, "COMPLETED", 30, 50),
    ("S1", 4, "CANCELLED", None, None),
    ("S2", 5, "OPEN", None, None),
    ("S2", 6, "COMPLETED", 2, 80),
]

CASE_RANKING = """query($unit: RankedUnit!, $list: RankingList, $filter: StatisticsFilter, $minimum: Int) {
  caseRanking(unit: $unit, list: $list, filter: $filter, minimumCases: $minimum) {
    unit list from to minimumCases rankedCount weights { component weight }
    entries { rank score station { id } town { id }
              components { answeredOnTime closedOnTime resolution satisfaction }
              figures { received answeredOnTime closedOnTime closed meanSatisfaction } }
  }
}"""
TASK_RANKING = """query($unit: RankedUnit!, $list: RankingList, $filter: StatisticsFilter, $minimum: Int) {
  taskRanking(unit: $unit, list: $list, filter: $filter, minimumTasks: $minimum) {
    minimumTasks rankedCount weights { component weight }
    entries { rank score station { id }
              components { takenOnTime completedOnTime completion }
              figures { posted takenOnTime completedOnTime completed cancelled } }
  }
}"""


def at(day: int) -> datetime:
    return datetime(2024, 3, day, 9, 0, tzinfo=SHANGHAI)


def later(day: int, hours: int | None) -> datetime | None:
    return None if hours is None else at(day) + timedelta(hours=hours)


async def _scalar(connection, sql: str, **params):
    return (await connection.execute(text(sql), params)).scalar_one()


async def insert_case(connection, station: int, staff: int, day: int, status: str,
                      answered: int | None, closed: int | None, satisfaction: int | None) -> None:  # fmt: skip
    """A ROUTINE case received on `day`, answered and closed the given hours later (or never)."""
    await connection.execute(
        text(
            """INSERT INTO cases (station_id, kind, urgency, status, route, subject, description,
                received_by_id, owner_id, version, answer_due_at, closing_due_at, answered_at,
                closed_at, result, satisfaction, created_at, updated_at, answer_alert_at,
                closing_alert_at)
            VALUES (:station, 'HELP', 'ROUTINE', :status, :route, '楼道灯坏了', '', :staff, :staff, 1,
                :answer_due, :closing_due, :answered, :closed, :result, :satisfaction, :at, :at,
                :answer_due, :closing_due)"""
        ),
        {
            "station": station,
            "status": status,
            "route": None if answered is None else "ON_THE_SPOT",
            "staff": staff,
            "answer_due": at(day) + timedelta(hours=24),
            "closing_due": at(day) + timedelta(hours=72),
            "answered": later(day, answered),
            "closed": later(day, closed),
            "result": None if closed is None else "已修好",
            "satisfaction": satisfaction,
            "at": at(day),
        },
    )


async def insert_task(connection, station: int, staff: int, volunteer: int, day: int, status: str,
                      taken: int | None, completed: int | None) -> None:  # fmt: skip
    """A ROUTINE task posted on `day`, taken and completed the given hours later (or never)."""
    await connection.execute(
        text(
            """INSERT INTO tasks (station_id, posted_by_id, title, description, urgency, place,
                starts_at, ends_at, required_skills, hours_expected, status, volunteer_id,
                take_due_at, complete_due_at, taken_at, completed_at, hours_worked,
                cancellation_reason, created_at, updated_at, take_alert_at, complete_alert_at)
            VALUES (:station, :staff, '陪老人就医', '', 'ROUTINE', '社区', :at, :ends, '{}', 2,
                :status, :volunteer, :take_due, :complete_due, :taken, :completed, :worked,
                :reason, :at, :at, :take_due, :complete_due)"""
        ),
        {
            "station": station,
            "staff": staff,
            "at": at(day),
            "ends": at(day) + timedelta(hours=2),
            "status": status,
            "volunteer": volunteer if status == "COMPLETED" else None,
            "take_due": at(day) + timedelta(hours=24),
            "complete_due": at(day) + timedelta(hours=72),
            "taken": later(day, taken),
            "completed": later(day, completed),
            "worked": 2 if status == "COMPLETED" else None,
            "reason": "不需要了" if status == "CANCELLED" else None,
        },
    )


async def load(api, cases=CASES, tasks=TASKS) -> dict:
    """The written-out cases and tasks; the ids of S1 (the demo station), S2 (another station of its
    town T1), S3 (a station of another town T2), of both towns and of the volunteer (V)."""
    registered = await register(api, as_="station")
    async with api.engine.begin() as connection:
        staff = await _scalar(connection, "SELECT id FROM users WHERE username = 'station'")
        s1 = await _scalar(connection, "SELECT station_id FROM users WHERE username = 'station'")
        t1 = await _scalar(connection, "SELECT town_id FROM stations WHERE id = :s", s=s1)
        s2 = await _scalar(
            connection, "SELECT min(id) FROM stations WHERE town_id = :t AND id <> :s", t=t1, s=s1
        )
        t2 = await _scalar(connection, "SELECT min(id) FROM towns WHERE id <> :t", t=t1)
        s3 = await _scalar(connection, "SELECT min(id) FROM stations WHERE town_id = :t", t=t2)
        volunteer = await _scalar(
            connection, "SELECT id FROM users WHERE username = :name", name=registered["username"]
        )
        ids = {"S1": s1, "S2": s2, "S3": s3, "T1": t1, "T2": t2, "V": volunteer}
        for station, *case in cases:
            await insert_case(connection, ids[station], staff, *case)
        for station, *task in tasks:
            await insert_task(connection, ids[station], staff, volunteer, *task)
    return ids | {"volunteer": registered["username"]}


def ask(unit: str, minimum: int = 1, which: str = "RED", **filter) -> dict:
    return {"unit": unit, "list": which, "filter": {**RANGE, **filter}, "minimum": minimum}


async def test_stations_ranked_by_their_cases_with_the_figures_behind(fresh_api):
    ids = await load(fresh_api)
    ranking = (await fresh_api.data(CASE_RANKING, ask("STATION"), as_="admin"))["caseRanking"]
    assert ranking["weights"] == [
        {"component": "answeredOnTime", "weight": 0.35},
        {"component": "closedOnTime", "weight": 0.25},
        {"component": "resolution", "weight": 0.2},
        {"component": "satisfaction", "weight": 0.2},
    ]
    assert (ranking["unit"], ranking["list"], ranking["from"], ranking["to"]) == (
        "STATION",
        "RED",
        "2024-03-01",
        "2024-03-31",
    )
    assert (ranking["minimumCases"], ranking["rankedCount"]) == (1, 3)
    s1, s2, s3 = ranking["entries"]
    # S1: answered 2 of 3 and closed 2 of 3 in time, all 3 closed, satisfaction 80:
    # 35 × 2/3 + 25 × 2/3 + 20 + 16.
    assert (s1["rank"], s1["score"], s1["station"]["id"]) == (1, 76.0, global_id("Station", ids["S1"]))
    assert s1["components"] == pytest.approx(
        {"answeredOnTime": 2 / 3, "closedOnTime": 2 / 3, "resolution": 1.0, "satisfaction": 0.8}
    )
    assert s1["figures"] == {
        "received": 3,
        "answeredOnTime": 2,
        "closedOnTime": 2,
        "closed": 3,
        "meanSatisfaction": 80.0,
    }
    # S2: one case answered and closed in time with 100, one never answered: 17.5 + 12.5 + 10 + 20.
    assert (s2["rank"], s2["score"], s2["station"]["id"]) == (2, 60.0, global_id("Station", ids["S2"]))
    # S3: both answered in time, neither closed by its deadline, nothing evaluated, so satisfaction
    # leaves its weight: 35 / 0.8.
    assert (s3["rank"], s3["score"], s3["station"]["id"]) == (3, 43.75, global_id("Station", ids["S3"]))
    assert s3["components"]["satisfaction"] is None and s3["town"] is None

    black = (await fresh_api.data(CASE_RANKING, ask("STATION", which="BLACK"), as_="admin"))["caseRanking"]
    assert [(e["rank"], e["score"]) for e in black["entries"]] == [(3, 43.75), (2, 60.0), (1, 76.0)]


async def test_case_ranking_minimum_towns_and_town_scope(fresh_api):
    ids = await load(fresh_api)
    enough = (await fresh_api.data(CASE_RANKING, ask("STATION", minimum=3), as_="admin"))["caseRanking"]
    assert enough["rankedCount"] == 1
    assert [e["station"]["id"] for e in enough["entries"]] == [global_id("Station", ids["S1"])]

    towns = (await fresh_api.data(CASE_RANKING, ask("TOWN"), as_="admin"))["caseRanking"]["entries"]
    # T1 (S1 and S2): answered 3 of 5, closed 3 of 5 in time, 4 of 5 closed, satisfaction 260 / 3.
    t1 = 35 * 3 / 5 + 25 * 3 / 5 + 20 * 4 / 5 + 20 * (260 / 3) / 100
    assert [(e["town"]["id"], e["score"]) for e in towns] == [
        (global_id("Town", ids["T1"]), round(t1, 2)),
        (global_id("Town", ids["T2"]), 43.75),
    ]

    # The demo town's staff rank the stations of their town only.
    mine = (await fresh_api.data(CASE_RANKING, ask("STATION"), as_="town"))["caseRanking"]["entries"]
    assert [e["station"]["id"] for e in mine] == [
        global_id("Station", ids["S1"]),
        global_id("Station", ids["S2"]),
    ]


async def test_stations_ranked_by_their_volunteer_tasks(fresh_api):
    ids = await load(fresh_api)
    ranking = (await fresh_api.data(TASK_RANKING, ask("STATION"), as_="admin"))["taskRanking"]
    assert ranking["weights"] == [
        {"component": "takenOnTime", "weight": 0.35},
        {"component": "completedOnTime", "weight": 0.35},
        {"component": "completion", "weight": 0.3},
    ]
    # S1: taken in time 1 of 2 judged (the cancelled one is not judged), both completions in time,
    # 2 of 3 posted completed: 17.5 + 35 + 20. S2: the open one overdue on both deadlines, the other
    # taken in time and completed late, 1 of 2 completed: 17.5 + 0 + 15.
    assert [(e["station"]["id"], e["rank"], e["score"]) for e in ranking["entries"]] == [
        (global_id("Station", ids["S1"]), 1, 72.5),
        (global_id("Station", ids["S2"]), 2, 32.5),
    ]
    assert ranking["entries"][0]["figures"] == {
        "posted": 3,
        "takenOnTime": 1,
        "completedOnTime": 2,
        "completed": 2,
        "cancelled": 1,
    }
    assert ranking["entries"][1]["components"] == pytest.approx(
        {"takenOnTime": 0.5, "completedOnTime": 0.0, "completion": 0.5}
    )
    # Five tasks a unit by default: nobody here posted as many.
    default = {"unit": "STATION", "filter": RANGE}
    assert (await fresh_api.data(TASK_RANKING, default, as_="admin"))["taskRanking"]["minimumTasks"] == 5
    assert (await fresh_api.data(TASK_RANKING, default, as_="admin"))["taskRanking"]["rankedCount"] == 0


async def test_refused_rankings_of_cases_and_tasks(fresh_api):
    await load(fresh_api)
    refused = await fresh_api.errors(CASE_RANKING, ask("PROVIDER"), as_="admin")
    assert refused[0]["extensions"]["code"] == "INVALID_COMBINATION"
    assert "only stations and towns" in refused[0]["message"]
    refused = await fresh_api.errors(TASK_RANKING, ask("STATION", kinds=["WHISTLE"]), as_="admin")
    assert refused[0]["extensions"]["code"] == "INVALID_FILTER"
    # A station's own staff do not rank stations; screens and anonymous callers see no ranking.
    refused = await fresh_api.errors(CASE_RANKING, ask("STATION"), as_="station")
    assert refused[0]["extensions"]["code"] == "FORBIDDEN"
    refused = await fresh_api.errors(TASK_RANKING, ask("TOWN"), as_="town")
    assert refused[0]["extensions"]["code"] == "FORBIDDEN"
    refused = await fresh_api.errors(CASE_RANKING, ask("STATION"))
    assert refused[0]["extensions"]["code"] == "UNAUTHENTICATED"
    refused = await fresh_api.errors(CASE_RANKING, ask("STATION", minimum=0), as_="admin")
    assert refused[0]["extensions"]["code"] == "OUT_OF_RANGE"


# The same perfect work everywhere (answered, closed, taken and completed in time, satisfaction
# 100): S2 has three cases and three tasks, S1 and S3 two each.
PERFECT_CASES = [(s, day, "EVALUATED", 1, 5, 100) for s, day in [("S1", 2), ("S1", 3), ("S2", 4), ("S2", 5),
                                                                  ("S2", 6), ("S3", 7), ("S3", 8)]]  # fmt: skip
PERFECT_TASKS = [(s, day, "COMPLETED", 1, 5) for s, day, *_ in PERFECT_CASES]


async def test_ties_go_to_more_cases_or_tasks_then_to_the_lower_id(fresh_api):
    ids = await load(fresh_api, PERFECT_CASES, PERFECT_TASKS)
    first, second = sorted([ids["S1"], ids["S3"]])
    expected = [
        (global_id("Station", s), rank, 100.0) for rank, s in enumerate([ids["S2"], first, second], 1)
    ]
    for query, field in ((CASE_RANKING, "caseRanking"), (TASK_RANKING, "taskRanking")):
        entries = (await fresh_api.data(query, ask("STATION"), as_="admin"))[field]["entries"]
        assert [(e["station"]["id"], e["rank"], e["score"]) for e in entries] == expected
        black = (await fresh_api.data(query, ask("STATION", which="BLACK"), as_="admin"))[field]["entries"]
        assert [e["rank"] for e in black] == [3, 2, 1]


async def test_town_staff_rank_the_tasks_of_their_own_stations(fresh_api):
    ids = await load(fresh_api, [], PERFECT_TASKS)
    mine = (await fresh_api.data(TASK_RANKING, ask("STATION"), as_="town"))["taskRanking"]
    assert mine["rankedCount"] == 2
    assert {e["station"]["id"] for e in mine["entries"]} == {
        global_id("Station", ids["S1"]),
        global_id("Station", ids["S2"]),
    }
    everyone = (await fresh_api.data(TASK_RANKING, ask("STATION"), as_="admin"))["taskRanking"]
    assert everyone["rankedCount"] == 3


@pytest.mark.parametrize(
    ("account", "query", "unit", "code"),
    [
        (None, TASK_RANKING, "STATION", "UNAUTHENTICATED"),
        ("provider", CASE_RANKING, "STATION", "FORBIDDEN"),
        ("provider", TASK_RANKING, "TOWN", "FORBIDDEN"),
        ("station", TASK_RANKING, "STATION", "FORBIDDEN"),
        ("town", CASE_RANKING, "TOWN", "FORBIDDEN"),
        ("volunteer", CASE_RANKING, "STATION", "FORBIDDEN"),
        ("provider", TASK_RANKING, "PROVIDER", "INVALID_COMBINATION"),
    ],
)
async def test_who_sees_which_case_and_task_ranking(fresh_api, account, query, unit, code):
    ids = await load(fresh_api, [], [])
    account = ids["volunteer"] if account == "volunteer" else account
    refused = await fresh_api.errors(query, ask(unit), as_=account)
    assert refused[0]["extensions"]["code"] == code


async def test_departments_ranked_by_their_whistles_alone(fresh_api):
    """A whistle is an order of kind WHISTLE: the order ranking filtered by that kind ranks the
    departments called in, and nobody else's catalog orders count."""
    provider = (await viewer_scope(fresh_api, "provider"))["provider"]["id"]
    other = await other_provider(fresh_api, but=provider)
    for called in (provider, provider, other):
        assert (await blow(fresh_api, called))["userErrors"] == []
    # Unanswered past their answer deadline, so each department has an on-time rate (0) to rank by.
    async with fresh_api.engine.begin() as connection:
        await connection.execute(
            text("UPDATE orders SET response_due_at = now() - interval '1 hour' WHERE kind = 'WHISTLE'")
        )
    today = datetime.now(SHANGHAI).date().isoformat()
    ranking = """query($filter: StatisticsFilter) {
      ranking(unit: PROVIDER, filter: $filter, minimumOrders: 2) {
        rankedCount entries { provider { id } figures { placed } } } }"""
    whistles = {"from": today, "to": today, "kinds": ["WHISTLE"]}
    data = (await fresh_api.data(ranking, {"filter": whistles}, as_="admin"))["ranking"]
    assert data == {"rankedCount": 1, "entries": [{"provider": {"id": provider}, "figures": {"placed": 2}}]}
    catalog = {"from": today, "to": today, "kinds": ["CATALOG"]}
    assert (await fresh_api.data(ranking, {"filter": catalog}, as_="admin"))["ranking"]["rankedCount"] == 0

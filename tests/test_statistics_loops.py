"""Statistics of cases, volunteer tasks and whistles through the API, against figures worked out by hand."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from tests.case_steps import blow, case_step, receive, viewer_scope
from tests.order_steps import SHANGHAI, create_account, stations
from tests.volunteer_steps import act, db_id, post, register, window

FIGURES = """query($filter: StatisticsFilter, $groupBy: [StatisticsDimension!]) {
  statistics(filter: $filter, groupBy: $groupBy) {
    groups { key { kind } orders { placed } }
    totals {
      cases { received byStatus { status count } answersJudged answeredOnTime closingsJudged closedOnTime
              closed evaluated resolutionRate answeredOnTimeRate closedOnTimeRate meanSatisfaction }
      tasks { posted taken completed cancelled takesJudged takenOnTime completionsJudged completedOnTime
              completionRate hoursWorked points }
    }
  }
}"""
CASE_STATUSES = ["RECEIVED", "HANDLED", "ORDERED", "DEMANDED", "WHISTLED", "TASKED", "CLOSED", "EVALUATED"]


def by_status(**counts: int) -> list[dict]:
    return [{"status": status, "count": counts.get(status, 0)} for status in CASE_STATUSES]


async def _past(api, table: str, column: str, row: dict) -> None:
    async with api.engine.begin() as connection:
        await connection.execute(
            text(f"UPDATE {table} SET {column} = now() - interval '1 hour' WHERE id = :id"),
            {"id": db_id(row["id"])},
        )


async def test_case_task_and_whistle_figures_of_a_station(fresh_api):
    api = fresh_api
    town_id = (await viewer_scope(api, "station"))["station"]["town"]["id"]
    [far] = await stations(api, 1, other_town_than=town_id)
    await create_account(api, "far-station", "STATION_STAFF", stationId=far["id"])
    staff = "far-station"

    # Cases: c1 settled on the spot and evaluated 80; c2 dispatched as a task, closed and evaluated 60;
    # c3 just received; c4 received and past its answer deadline.
    c1 = await receive(api, as_=staff, urgency="KEY")
    await case_step(api, "handleCaseOnSpot", "CaseNoteInput", staff, caseId=c1["id"])
    c2 = await receive(api, as_=staff, urgency="EMERGENCY")
    starts, ends = window(days=1, hours=2)
    turned = await api.data(
        """mutation($input: TurnCaseIntoTaskInput!) { turnCaseIntoTask(input: $input) {
            case { task { id } } userErrors { code } } }""",
        {
            "input": {
                "caseId": c2["id"],
                "place": "社区",
                "startsAt": starts,
                "endsAt": ends,
                "hoursExpected": "2",
            }
        },
        as_=staff,
    )
    t1 = turned["turnCaseIntoTask"]["case"]["task"]
    for case, satisfaction in ((c1, 80), (c2, 60)):
        await case_step(api, "closeCase", "CloseCaseInput", staff, caseId=case["id"], result="已办结")
        await case_step(
            api, "evaluateCase", "EvaluateCaseInput", staff, caseId=case["id"], satisfaction=satisfaction
        )
    await receive(api, as_=staff, urgency="ROUTINE")
    c4 = await receive(api, as_=staff, urgency="KEY")
    await _past(api, "cases", "answer_due_at", c4)

    # Tasks: t1 (EMERGENCY, 20 points an hour) worked 1.5 h; t2 (KEY, 12) worked 2 h; t3 cancelled
    # while open; t4 open past its take deadline.
    volunteer = await register(api, as_=staff)
    t2 = await post(api, as_=staff, urgency="KEY", requiredSkills=[])
    for task, hours in ((t1, "1.5"), (t2, "2")):
        assert (await act(api, "TAKE", task, as_=volunteer["username"]))["userErrors"] == []
        assert (await act(api, "CONFIRM", task, as_=staff, hoursWorked=hours))["userErrors"] == []
    t3 = await post(api, as_=staff, urgency="ROUTINE")
    await act(api, "CANCEL", t3, as_=staff, reason="取消")
    t4 = await post(api, as_=staff, urgency="ROUTINE")
    await _past(api, "tasks", "take_due_at", t4)

    # One whistle of the station, and no catalog order.
    provider_id = (await viewer_scope(api, "provider"))["provider"]["id"]
    assert (await blow(api, provider_id, as_=staff))["userErrors"] == []

    today = datetime.now(SHANGHAI).date().isoformat()
    station_filter = {"from": today, "to": today, "stations": [far["id"]]}
    expected = {
        "cases": {
            "received": 4,
            "byStatus": by_status(EVALUATED=2, RECEIVED=2),
            "answersJudged": 3,  # c1, c2 taken on; c4 overdue
            "answeredOnTime": 2,
            "closingsJudged": 2,
            "closedOnTime": 2,
            "closed": 2,
            "evaluated": 2,
            "resolutionRate": 0.5,
            "answeredOnTimeRate": 2 / 3,
            "closedOnTimeRate": 1.0,
            "meanSatisfaction": 70.0,
        },
        "tasks": {
            "posted": 4,
            "taken": 2,
            "completed": 2,
            "cancelled": 1,
            "takesJudged": 3,  # t1, t2 taken; t4 overdue
            "takenOnTime": 2,
            "completionsJudged": 2,
            "completedOnTime": 2,
            "completionRate": 0.5,
            "hoursWorked": 3.5,
            "points": 54,  # 1.5 × 20 + 2 × 12
        },
    }
    for viewer in (staff, "admin"):
        report = (await api.data(FIGURES, {"filter": station_filter}, as_=viewer))["statistics"]
        assert report["totals"] == expected, viewer
    # Another town's staff count none of them.
    other = (await api.data(FIGURES, {"filter": station_filter}, as_="town"))["statistics"]["totals"]
    assert (other["cases"]["received"], other["tasks"]["posted"]) == (0, 0)

    # Whistles show apart by kind; cases and tasks have no kind, so their figures are null then.
    grouped = (await api.data(FIGURES, {"filter": station_filter, "groupBy": ["KIND"]}, as_=staff))[
        "statistics"
    ]
    assert grouped["groups"] == [{"key": {"kind": "WHISTLE"}, "orders": {"placed": 1}}]
    assert grouped["totals"]["cases"] is None and grouped["totals"]["tasks"] is None
    catalog = {**station_filter, "kinds": ["CATALOG"]}
    only_catalog = (await api.data(FIGURES, {"filter": catalog, "groupBy": ["KIND"]}, as_=staff))[
        "statistics"
    ]
    assert only_catalog["groups"] == []

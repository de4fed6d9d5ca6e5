"""Deadline alerts of cases and tasks, raised as orders' are: once per deadline and stage, in the
history with no actor, and on the feeds that follow it."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import text

from doorstep.database import create_sessionmaker
from resolvers.orders.alerts import raise_deadline_alerts
from tests.case_steps import receive, viewer_scope
from tests.conftest import Api
from tests.live import GraphQLSocket, served_app
from tests.volunteer_steps import act, db_id, post, register, station_id

WAIT = 20  # seconds a message may take before the test fails; not a timing assertion
CASE_HISTORY = """query($id: ID!) { case(id: $id) { history(first: 20) {
    nodes { action fromStatus toStatus deadline actorRole actor { username } cursor } } } }"""
TASK_HISTORY = """query($id: ID!) { task(id: $id) { history {
    nodes { action fromStatus toStatus deadline actorRole actor { username } cursor } } } }"""


async def _move(engine, table: str, row_id: int, deadline: str, *, alert_past: bool, due_past: bool) -> None:
    """Put a deadline's alert time (and due time) in the past, as time passing would."""
    alert = "now() - interval '1 minute'" if alert_past else "now() + interval '1 hour'"
    due = "now() - interval '1 second'" if due_past else "now() + interval '2 hours'"
    async with engine.begin() as connection:
        await connection.execute(
            text(
                f"UPDATE {table} SET {deadline}_alert_at = {alert}, {deadline}_due_at = {due} WHERE id = :id"
            ),
            {"id": row_id},
        )


def _alerts(history: list[dict]) -> list[tuple]:
    return [
        (e["action"], e["fromStatus"], e["toStatus"], e["deadline"], e["actorRole"], e["actor"])
        for e in history
        if e["deadline"] is not None
    ]


async def test_cases_and_tasks_raise_nearing_and_passed_alerts_once(fresh_api):
    api = fresh_api
    scan = create_sessionmaker(api.engine)
    case = await receive(api)
    volunteer = await register(api)
    task = await post(api)
    await act(api, "TAKE", task, as_=volunteer["username"])

    await _move(api.engine, "cases", db_id(case["id"]), "answer", alert_past=True, due_past=False)
    await _move(api.engine, "tasks", db_id(task["id"]), "complete", alert_past=True, due_past=False)
    # Rows of the demo data may be alerted too: the histories below count this case's and task's.
    await raise_deadline_alerts(scan)
    await raise_deadline_alerts(scan)
    await _move(api.engine, "cases", db_id(case["id"]), "answer", alert_past=True, due_past=True)
    await _move(api.engine, "tasks", db_id(task["id"]), "complete", alert_past=True, due_past=True)
    # The task's TAKE deadline was met: it owes none, so it raises nothing.
    await _move(api.engine, "tasks", db_id(task["id"]), "take", alert_past=True, due_past=True)
    await raise_deadline_alerts(scan)
    await raise_deadline_alerts(scan)

    history = (await api.data(CASE_HISTORY, {"id": case["id"]}, as_="station"))["case"]["history"]["nodes"]
    assert _alerts(history) == [
        ("DEADLINE_NEARING", "RECEIVED", "RECEIVED", "ANSWER", None, None),
        ("DEADLINE_PASSED", "RECEIVED", "RECEIVED", "ANSWER", None, None),
    ]
    history = (await api.data(TASK_HISTORY, {"id": task["id"]}, as_="station"))["task"]["history"]["nodes"]
    assert _alerts(history) == [
        ("DEADLINE_NEARING", "TAKEN", "TAKEN", "COMPLETION", None, None),
        ("DEADLINE_PASSED", "TAKEN", "TAKEN", "COMPLETION", None, None),
    ]
    # A completed task owes nothing: its deadlines passing again raise no alert.
    await act(api, "CONFIRM", task, as_="station", hoursWorked="2")
    await _move(api.engine, "tasks", db_id(task["id"]), "complete", alert_past=True, due_past=True)
    await raise_deadline_alerts(scan)
    history = (await api.data(TASK_HISTORY, {"id": task["id"]}, as_="station"))["task"]["history"]["nodes"]
    assert len(_alerts(history)) == 2


CASE_FEED = """subscription($id: ID!, $after: String) { stationCaseFeed(stationId: $id, after: $after) {
    action deadline actorRole case { id } } }"""
TASK_FEED = """subscription($id: ID!, $after: String) { stationTaskFeed(stationId: $id, after: $after) {
    action deadline actorRole task { id } } }"""
MY_FEED = """subscription($after: String) { myTaskFeed(after: $after) { action deadline task { id } } }"""


async def test_alerts_reach_the_case_and_task_feeds(server, template):
    url = await server.clone(template, f"doorstep_case_task_alerts_{uuid.uuid4().hex[:8]}")
    async with served_app(url) as app, httpx.AsyncClient(base_url=app.http_url, timeout=30) as http:
        engine = app.app.state.engine
        api = Api(http, engine)
        station = (await viewer_scope(api, "station"))["station"]["id"]
        assert station == await station_id(api)
        case = await receive(api)
        volunteer = await register(api)
        task = await post(api)
        await act(api, "TAKE", task, as_=volunteer["username"])
        case_cursor = (await api.data(CASE_HISTORY, {"id": case["id"]}, as_="station"))["case"]["history"][
            "nodes"
        ][-1]["cursor"]
        task_cursor = (await api.data(TASK_HISTORY, {"id": task["id"]}, as_="station"))["task"]["history"][
            "nodes"
        ][-1]["cursor"]
        async with (
            GraphQLSocket.open(app.ws_url, await api.token("station")) as screen,
            GraphQLSocket.open(app.ws_url, await api.token(volunteer["username"])) as phone,
        ):
            await screen.subscribe("cases", CASE_FEED, {"id": station, "after": case_cursor})
            await screen.subscribe("tasks", TASK_FEED, {"id": station, "after": task_cursor})
            await phone.subscribe("mine", MY_FEED, {"after": task_cursor})
            await _move(engine, "cases", db_id(case["id"]), "answer", alert_past=True, due_past=True)
            await _move(engine, "tasks", db_id(task["id"]), "complete", alert_past=True, due_past=False)
            await raise_deadline_alerts(create_sessionmaker(engine))

            assert (await screen.next_data("cases", WAIT))["stationCaseFeed"] == {
                "action": "DEADLINE_PASSED",
                "deadline": "ANSWER",
                "actorRole": None,
                "case": {"id": case["id"]},
            }
            assert (await screen.next_data("tasks", WAIT))["stationTaskFeed"] == {
                "action": "DEADLINE_NEARING",
                "deadline": "COMPLETION",
                "actorRole": None,
                "task": {"id": task["id"]},
            }
            # The volunteer holding the task hears its deadline near.
            assert (await phone.next_data("mine", WAIT))["myTaskFeed"] == {
                "action": "DEADLINE_NEARING",
                "deadline": "COMPLETION",
                "task": {"id": task["id"]},
            }

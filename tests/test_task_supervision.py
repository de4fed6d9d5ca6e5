"""Town supervision (督办) of volunteer tasks: urging, escalating, extending a deadline, reassigning;
each in the task's history, naming who did it, and on the task feeds."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import httpx

from tests.conftest import Api
from tests.live import GraphQLSocket, served_app
from tests.order_steps import create_account, stations
from tests.volunteer_steps import TASK_ERRORS, act, post, register, station_id

WAIT = 20  # seconds a message may take before the test fails; not a timing assertion
SUPERVISED = """id status completeDueAt volunteer { id } nextActions"""
HISTORY = """query($id: ID!) { task(id: $id) { status volunteer { id }
    history { nodes { action fromStatus toStatus actorRole note actor { username } cursor } } } }"""


def supervise(name: str, input_type: str) -> str:
    return f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{ task {{ {SUPERVISED} }} {TASK_ERRORS} }} }}"""


async def town_acts(api, name: str, input_type: str, as_: str = "town", **given) -> dict:
    return (await api.data(supervise(name, input_type), {"input": given}, as_=as_))[name]


async def test_town_urges_escalates_extends_and_reassigns_a_task(fresh_api):
    api = fresh_api
    first, second = await register(api), await register(api)
    task = await post(api)
    assert (await act(api, "TAKE", task, as_=first["username"]))["userErrors"] == []

    urged = await town_acts(api, "urgeTask", "UrgeTaskInput", taskId=task["id"], note="请尽快联系老人")
    assert urged["userErrors"] == [] and urged["task"]["status"] == "TAKEN"
    assert urged["task"]["nextActions"] == ["CANCEL", "URGE", "ESCALATE", "EXTEND_DEADLINE", "REASSIGN"]
    escalated = await town_acts(
        api, "escalateTask", "EscalateTaskInput", taskId=task["id"], reason="超时未办"
    )
    assert escalated["userErrors"] == []

    due = datetime.fromisoformat(task["completeDueAt"]) + timedelta(days=2)
    extended = await town_acts(
        api,
        "extendTaskDeadline",
        "ExtendTaskDeadlineInput",
        taskId=task["id"],
        deadline="COMPLETION",
        dueAt=due.isoformat(),
        reason="老人住院，改期",
    )
    assert extended["userErrors"] == []
    assert datetime.fromisoformat(extended["task"]["completeDueAt"]) == due
    earlier = await town_acts(
        api,
        "extendTaskDeadline",
        "ExtendTaskDeadlineInput",
        taskId=task["id"],
        deadline="COMPLETION",
        dueAt=(due - timedelta(hours=1)).isoformat(),
        reason="再改",
    )
    assert [(e["code"], e["field"]) for e in earlier["userErrors"]] == [("OUT_OF_RANGE", ["input", "dueAt"])]
    # The TAKE deadline is met once taken: nothing left to extend.
    taken = await town_acts(
        api,
        "extendTaskDeadline",
        "ExtendTaskDeadlineInput",
        taskId=task["id"],
        deadline="TAKE",
        dueAt=due.isoformat(),
        reason="再改",
    )
    assert taken["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"

    handed = await town_acts(
        api,
        "reassignTask",
        "ReassignTaskInput",
        taskId=task["id"],
        volunteerId=second["id"],
        reason="原志愿者生病",
    )
    assert handed["userErrors"] == []
    assert (handed["task"]["status"], handed["task"]["volunteer"]) == ("TAKEN", {"id": second["id"]})
    reopened = await town_acts(api, "reassignTask", "ReassignTaskInput", taskId=task["id"], reason="重新派单")
    assert reopened["userErrors"] == []
    assert (reopened["task"]["status"], reopened["task"]["volunteer"]) == ("OPEN", None)
    again = await town_acts(api, "reassignTask", "ReassignTaskInput", taskId=task["id"], reason="再派")
    assert [(e["code"], e["field"]) for e in again["userErrors"]] == [("REQUIRED", ["input", "volunteerId"])]

    history = (await api.data(HISTORY, {"id": task["id"]}, as_="admin"))["task"]["history"]["nodes"]
    assert [
        (e["action"], e["fromStatus"], e["toStatus"], e["actorRole"], e["actor"]["username"], e["note"])
        for e in history
    ] == [
        ("POST", None, "OPEN", "STATION_STAFF", "station", ""),
        ("TAKE", "OPEN", "TAKEN", "VOLUNTEER", first["username"], ""),
        ("URGE", "TAKEN", "TAKEN", "TOWN_STAFF", "town", "请尽快联系老人"),
        ("ESCALATE", "TAKEN", "TAKEN", "TOWN_STAFF", "town", "超时未办"),
        (
            "EXTEND_DEADLINE",
            "TAKEN",
            "TAKEN",
            "TOWN_STAFF",
            "town",
            f"COMPLETION → {due.isoformat()}: 老人住院，改期",
        ),
        ("REASSIGN", "TAKEN", "TAKEN", "TOWN_STAFF", "town", "原志愿者生病"),
        ("REASSIGN", "TAKEN", "OPEN", "TOWN_STAFF", "town", "重新派单"),
    ]


async def test_only_the_town_of_the_task_supervises_it(fresh_api):
    api = fresh_api
    task = await post(api)
    station = await api.post(
        supervise("urgeTask", "UrgeTaskInput"), {"input": {"taskId": task["id"]}}, as_="station"
    )
    assert station["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    town_id = (await api.data("{ viewer { station { town { id } } } }", as_="station"))["viewer"]["station"]
    [far] = await stations(api, 1, other_town_than=town_id["town"]["id"])
    await create_account(api, "far-town", "TOWN_STAFF", townId=far["town"]["id"])
    far_town = await town_acts(api, "urgeTask", "UrgeTaskInput", as_="far-town", taskId=task["id"])
    assert far_town["userErrors"][0]["code"] == "NOT_FOUND"
    # A volunteer of another station, or lacking the skills, is not handed the task.
    unskilled = await register(api, skills=["HAIRCUT"])
    refused = await town_acts(
        api,
        "reassignTask",
        "ReassignTaskInput",
        taskId=task["id"],
        volunteerId=unskilled["id"],
        reason="派给他",
    )
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID", ["input", "volunteerId"])]


TASK_FEED = """subscription($id: ID!, $after: String) { stationTaskFeed(stationId: $id, after: $after) {
    action toStatus actorRole note actor { username } task { id } } }"""
MY_FEED = (
    """subscription($after: String) { myTaskFeed(after: $after) { action toStatus note task { id } } }"""
)


async def test_task_supervision_reaches_the_task_feeds(server, template):
    url = await server.clone(template, f"doorstep_task_supervision_{uuid.uuid4().hex[:8]}")
    async with served_app(url) as app, httpx.AsyncClient(base_url=app.http_url, timeout=30) as http:
        api = Api(http, app.app.state.engine)
        volunteer = await register(api)
        task = await post(api)
        await act(api, "TAKE", task, as_=volunteer["username"])
        history = (await api.data(HISTORY, {"id": task["id"]}, as_="station"))["task"]["history"]["nodes"]
        cursor = history[-1]["cursor"]
        station = await station_id(api)
        async with (
            GraphQLSocket.open(app.ws_url, await api.token("town")) as town,
            GraphQLSocket.open(app.ws_url, await api.token(volunteer["username"])) as phone,
        ):
            await town.subscribe("feed", TASK_FEED, {"id": station, "after": cursor})
            await phone.subscribe("mine", MY_FEED, {"after": cursor})
            assert (await town_acts(api, "urgeTask", "UrgeTaskInput", taskId=task["id"], note="请今天完成"))[
                "userErrors"
            ] == []
            reopened = await town_acts(
                api, "reassignTask", "ReassignTaskInput", taskId=task["id"], reason="改派"
            )
            assert reopened["userErrors"] == []

            seen = [(await town.next_data("feed", WAIT))["stationTaskFeed"] for _ in range(2)]
            assert seen == [
                {
                    "action": "URGE",
                    "toStatus": "TAKEN",
                    "actorRole": "TOWN_STAFF",
                    "note": "请今天完成",
                    "actor": {"username": "town"},
                    "task": {"id": task["id"]},
                },
                {
                    "action": "REASSIGN",
                    "toStatus": "OPEN",
                    "actorRole": "TOWN_STAFF",
                    "note": "改派",
                    "actor": {"username": "town"},
                    "task": {"id": task["id"]},
                },
            ]
            # The holder hears that the town urged them, and that the task was taken from them.
            mine = [(await phone.next_data("mine", WAIT))["myTaskFeed"] for _ in range(2)]
            assert [(e["action"], e["toStatus"]) for e in mine] == [("URGE", "TAKEN"), ("REASSIGN", "OPEN")]

"""A case taken on as a task dispatched to its station's volunteers (派单), followed to its completion."""

from __future__ import annotations

from tests.case_steps import RESIDENT, case_mutation, read_case, receive
from tests.volunteer_steps import act, register, window

TURN = case_mutation("turnCaseIntoTask", "TurnCaseIntoTaskInput").replace(
    "demand { id }",
    "demand { id } task { id title urgency place status completedAt hoursWorked resident { name phone address } "
    "case { id } }",
)
BOARD = """query($id: ID!) { stationBoard(stationId: $id) {
    openCases(first: 100) { nodes { id status } } openTasks(first: 100) { nodes { id status } } } }"""
CASE_TASK = """query($id: ID!) { case(id: $id) { status route nextActions
    task { id status completedAt hoursWorked } } }"""


async def test_a_case_becomes_a_volunteer_task_whose_completion_the_case_shows(fresh_api):
    api = fresh_api
    volunteer = await register(api)
    case = await receive(api, urgency="EMERGENCY", subject="独居老人需要陪同就医", description="明早八点")
    starts, ends = window(days=0, hours=2)
    given = {
        "caseId": case["id"],
        "place": "潍坊一村",
        "startsAt": starts,
        "endsAt": ends,
        "hoursExpected": "2",
        "requiredSkills": ["MEDICAL_ESCORT"],
        "residentAddress": "潍坊一村12号301室",
        "note": "派志愿者陪同",
    }
    payload = (await api.data(TURN, {"input": given}, as_="station"))["turnCaseIntoTask"]
    assert payload["userErrors"] == []
    tasked = payload["case"]
    assert (tasked["status"], tasked["route"]) == ("TASKED", "TASK")
    assert tasked["answeredAt"] is not None
    # The task is posted with the case's subject, urgency and resident, and names the case.
    assert tasked["task"] == {
        "id": tasked["task"]["id"],
        "title": "独居老人需要陪同就医",
        "urgency": "EMERGENCY",
        "place": "潍坊一村",
        "status": "OPEN",
        "completedAt": None,
        "hoursWorked": None,
        "resident": {**RESIDENT, "address": "潍坊一村12号301室"},
        "case": {"id": case["id"]},
    }
    assert [e["action"] for e in tasked["history"]["nodes"]] == ["RECEIVE", "TURN_INTO_TASK"]
    assert tasked["history"]["nodes"][1]["note"] == "派志愿者陪同"
    assert tasked["nextActions"] == ["CLOSE", "HAND_OVER"]

    task = tasked["task"]
    board = (await api.data(BOARD, {"id": tasked["station"]["id"]}, as_="station"))["stationBoard"]
    assert {"id": case["id"], "status": "TASKED"} in board["openCases"]["nodes"]
    assert {"id": task["id"], "status": "OPEN"} in board["openTasks"]["nodes"]
    assert (await act(api, "TAKE", task, as_=volunteer["username"]))["userErrors"] == []
    confirmed = await act(api, "CONFIRM", task, as_="station", hoursWorked="1.5")
    assert confirmed["userErrors"] == []
    seen = (await api.data(CASE_TASK, {"id": case["id"]}, as_="station"))["case"]
    assert seen["task"]["status"] == "COMPLETED"
    assert seen["task"]["hoursWorked"] == "1.5"
    assert seen["task"]["completedAt"] is not None
    closed = (
        await api.data(
            case_mutation("closeCase", "CloseCaseInput"),
            {"input": {"caseId": case["id"], "result": "志愿者已陪同就医"}},
            as_="station",
        )
    )["closeCase"]
    assert closed["case"]["status"] == "CLOSED"
    # Done and closed, they leave the station's board.
    board = (await api.data(BOARD, {"id": tasked["station"]["id"]}, as_="station"))["stationBoard"]
    assert case["id"] not in [c["id"] for c in board["openCases"]["nodes"]]
    assert task["id"] not in [t["id"] for t in board["openTasks"]["nodes"]]


async def test_a_task_the_case_cannot_have_leaves_the_case_received(fresh_api):
    api = fresh_api
    case = await receive(api, urgency="EMERGENCY")
    # An EMERGENCY task is done within 24 hours of its start: a 30-hour window is refused, nothing written.
    starts, ends = window(days=1, hours=30)
    given = {
        "caseId": case["id"],
        "place": "潍坊一村",
        "startsAt": starts,
        "endsAt": ends,
        "hoursExpected": "2",
    }
    payload = (await api.data(TURN, {"input": given}, as_="station"))["turnCaseIntoTask"]
    assert payload["case"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("OUT_OF_RANGE", ["input", "endsAt"])]
    after = await read_case(api, case, "station")
    assert (after["status"], after["route"]) == ("RECEIVED", None)
    assert (await api.data("{ tasks { nodes { id } } }", as_="station"))["tasks"]["nodes"] == []
    # A provider's staff may not dispatch a task for a case.
    refused = await api.post(TURN, {"input": given}, as_="provider")
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

"""Town supervision (督办): urging, escalating, extending deadlines and reassigning orders,
whistles and cases; each is in the subject's history and reaches the live feeds."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

import httpx
import pytest

from tests.case_steps import case_step, read_case, receive, viewer_scope
from tests.conftest import Api
from tests.helpers import execute
from tests.live import GraphQLSocket, served_app
from tests.order_steps import SHANGHAI, act, create_account, db_id, place, stations, unlimited_service

WAIT = 20  # seconds a message may take before the test fails; not a timing assertion
SUPERVISED = """query($id: ID!) { order(id: $id) { id status isDeliveryOverdue deliveryDueAt deliverySecondsLeft
    responsible { name phone } nextActions
    history(first: 20) { nodes { action actorRole note } } } }"""
ORDER_ERRORS = "userErrors { code field message currentStatus allowedActions }"


def supervise(name: str, input_type: str) -> str:
    return f"""mutation($input: {input_type}!) {{ {name}(input: $input) {{
        order {{ id isDeliveryOverdue deliveryDueAt }} {ORDER_ERRORS} }} }}"""


def later(hours: int) -> str:
    return (datetime.now(SHANGHAI) + timedelta(hours=hours)).isoformat()


async def board_overdue(api) -> list[str]:
    """The orders the demo station's board shows overdue, as its town sees it."""
    station_id = (await viewer_scope(api, "station"))["station"]["id"]
    board = await api.data(
        "query($id: ID!) { stationBoard(stationId: $id) { overdue(first: 50) { nodes { id } } } }",
        {"id": station_id},
        as_="town",
    )
    return [o["id"] for o in board["stationBoard"]["overdue"]["nodes"]]


@pytest.fixture
async def world(fresh_api):
    api = fresh_api
    station = await viewer_scope(api, "station")
    await create_account(api, "station-2", "STATION_STAFF", stationId=station["station"]["id"])
    [far] = await stations(api, 1, other_town_than=station["station"]["town"]["id"])
    await create_account(api, "far-town", "TOWN_STAFF", townId=far["town"]["id"])
    provider_id = (await viewer_scope(api, "provider"))["provider"]["id"]
    await create_account(api, "provider-2", "PROVIDER_STAFF", providerId=provider_id, phone="13700000002")
    return api


async def test_town_staff_supervise_a_late_order_and_the_extension_moves_overdue_everywhere(world):
    api = world
    order = await place(api, await unlimited_service(api))
    order = (await act(api, "ACCEPT", order, as_="provider"))["order"]
    # Late: its delivery was due an hour ago.
    await execute(
        api,
        "UPDATE orders SET delivery_due_at = now() - interval '1 hour', delivery_alert_at = now() - interval '2 hours'"
        " WHERE id = :id",
        id=db_id(order["id"]),
    )
    overdue = "query { orders(first: 50, filter: {overdue: true}) { nodes { id } } }"
    assert order["id"] in [o["id"] for o in (await api.data(overdue, as_="town"))["orders"]["nodes"]]
    assert order["id"] in await board_overdue(api)
    seen = (await api.data(SUPERVISED, {"id": order["id"]}, as_="town"))["order"]
    assert seen["isDeliveryOverdue"] is True
    assert seen["nextActions"] == ["URGE", "ESCALATE", "EXTEND_DEADLINE", "REASSIGN"]

    urged = (
        await api.data(
            supervise("urgeOrder", "UrgeOrderInput"),
            {"input": {"orderId": order["id"], "note": "请今日办结"}},
            as_="town",
        )
    )["urgeOrder"]
    assert urged["userErrors"] == []
    escalated = (
        await api.data(
            supervise("escalateOrder", "EscalateOrderInput"),
            {"input": {"orderId": order["id"], "reason": "逾期未办，报区级协调"}},
            as_="town",
        )
    )["escalateOrder"]
    assert escalated["userErrors"] == []

    extend = supervise("extendOrderDeadline", "ExtendOrderDeadlineInput")
    earlier = await api.data(
        extend,
        {"input": {"orderId": order["id"], "deadline": "DELIVERY", "dueAt": later(-3), "reason": "x"}},
        as_="town",
    )
    assert [(e["code"], e["field"]) for e in earlier["extendOrderDeadline"]["userErrors"]] == [
        ("OUT_OF_RANGE", ["input", "dueAt"])
    ]
    answered = await api.data(
        extend,
        {"input": {"orderId": order["id"], "deadline": "RESPONSE", "dueAt": later(48), "reason": "x"}},
        as_="town",
    )
    assert [e["code"] for e in answered["extendOrderDeadline"]["userErrors"]] == ["ILLEGAL_TRANSITION"]
    extended = (
        await api.data(
            extend,
            {
                "input": {
                    "orderId": order["id"],
                    "deadline": "DELIVERY",
                    "dueAt": later(48),
                    "reason": "等待配件到货",
                }
            },
            as_="town",
        )
    )["extendOrderDeadline"]
    assert extended["userErrors"] == []
    assert extended["order"]["isDeliveryOverdue"] is False
    assert order["id"] not in [o["id"] for o in (await api.data(overdue, as_="town"))["orders"]["nodes"]]
    assert order["id"] not in await board_overdue(api)

    provider_2 = (await api.data("{ viewer { id } }", as_="provider-2"))["viewer"]["id"]
    reassigned = (
        await api.data(
            supervise("reassignOrder", "ReassignOrderInput"),
            {"input": {"orderId": order["id"], "responsibleUserId": provider_2, "reason": "原负责人休假"}},
            as_="town",
        )
    )["reassignOrder"]
    assert reassigned["userErrors"] == []
    seen = (await api.data(SUPERVISED, {"id": order["id"]}, as_="station"))["order"]
    assert seen["responsible"] == {"name": "provider-2", "phone": "13700000002"}
    assert [(e["action"], e["actorRole"], e["note"]) for e in seen["history"]["nodes"]][2:] == [
        ("URGE", "TOWN_STAFF", "请今日办结"),
        ("ESCALATE", "TOWN_STAFF", "逾期未办，报区级协调"),
        ("EXTEND_DEADLINE", "TOWN_STAFF", seen["history"]["nodes"][4]["note"]),
        ("REASSIGN", "TOWN_STAFF", "原负责人休假"),
    ]
    assert seen["history"]["nodes"][4]["note"].startswith("DELIVERY → ")
    assert seen["history"]["nodes"][4]["note"].endswith(": 等待配件到货")

    # Only the order's own town supervises it.
    urge = supervise("urgeOrder", "UrgeOrderInput")
    far = (await api.data(urge, {"input": {"orderId": order["id"]}}, as_="far-town"))["urgeOrder"]
    assert [(e["code"], e["field"]) for e in far["userErrors"]] == [("NOT_FOUND", ["input", "orderId"])]
    for viewer in ("station", "provider", "admin"):
        errors = await api.errors(urge, {"input": {"orderId": order["id"]}}, as_=viewer)
        assert errors[0]["extensions"]["code"] == "FORBIDDEN", viewer
    assert (await api.errors(urge, {"input": {"orderId": order["id"]}}))[0]["extensions"][
        "code"
    ] == "UNAUTHENTICATED"


async def test_town_staff_supervise_a_late_case(world):
    api = world
    case = await receive(api)
    await execute(
        api, "UPDATE cases SET answer_due_at = now() - interval '1 hour' WHERE id = :id", id=db_id(case["id"])
    )
    overdue = "query { cases(first: 50, filter: {overdue: true}) { nodes { id } } }"
    assert [c["id"] for c in (await api.data(overdue, as_="town"))["cases"]["nodes"]] == [case["id"]]
    assert (await read_case(api, case, "town"))["isOverdue"] is True

    urged = await case_step(
        api, "urgeCase", "CaseNoteInput", "town", caseId=case["id"], note="请尽快答复居民"
    )
    assert urged["userErrors"] == []
    escalated = await case_step(
        api, "escalateCase", "EscalateCaseInput", "town", caseId=case["id"], reason="涉及多部门"
    )
    assert escalated["case"]["escalatedAt"] is not None
    extended = await case_step(
        api,
        "extendCaseDeadline",
        "ExtendCaseDeadlineInput",
        "town",
        caseId=case["id"],
        deadline="ANSWER",
        dueAt=later(12),
        reason="待居民补充材料",
    )
    assert extended["userErrors"] == [] and extended["case"]["isOverdue"] is False
    assert (await api.data(overdue, as_="town"))["cases"]["nodes"] == []

    station_2 = (await api.data("{ viewer { id } }", as_="station-2"))["viewer"]["id"]
    reassigned = await case_step(
        api,
        "reassignCase",
        "ReassignCaseInput",
        "town",
        caseId=case["id"],
        ownerId=station_2,
        reason="原承办人外出",
    )
    assert reassigned["userErrors"] == []
    case = await read_case(api, case, "admin")
    assert case["owner"]["username"] == "station-2" and case["status"] == "RECEIVED"
    assert [
        (e["action"], e["actor"]["username"], e["owner"]["username"]) for e in case["history"]["nodes"]
    ] == [
        ("RECEIVE", "station", "station"),
        ("URGE", "town", "station"),
        ("ESCALATE", "town", "station"),
        ("EXTEND_DEADLINE", "town", "station"),
        ("REASSIGN", "town", "station-2"),
    ]
    # Town staff of another town find nothing to supervise; station staff may not supervise.
    far = await case_step(api, "urgeCase", "CaseNoteInput", "far-town", caseId=case["id"])
    assert [(e["code"], e["field"]) for e in far["userErrors"]] == [("NOT_FOUND", ["input", "caseId"])]
    errors = await api.errors(
        "mutation($id: ID!) { urgeCase(input: {caseId: $id}) { case { id } } }",
        {"id": case["id"]},
        as_="station",
    )
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


CASE_FEED = """subscription($id: ID!, $after: String) { townCaseFeed(townId: $id, after: $after) {
    cursor action actorRole note case { id status } } }"""
STATION_CASE_FEED = """subscription($id: ID!, $after: String) { stationCaseFeed(stationId: $id, after: $after) {
    cursor action case { id } } }"""
ORDER_FEED = """subscription($id: ID!, $after: String) { stationFeed(stationId: $id, after: $after) {
    cursor action actorRole note order { id } } }"""


async def test_supervision_reaches_the_live_feeds(server, template):
    url = await server.clone(template, f"doorstep_supervision_{uuid.uuid4().hex[:8]}")
    async with served_app(url) as app, httpx.AsyncClient(base_url=app.http_url, timeout=30) as http:
        api = Api(http, app.app.state.engine)
        scope = await viewer_scope(api, "station")
        station_id, town_id = scope["station"]["id"], scope["station"]["town"]["id"]
        case = await receive(api)
        order = (await act(api, "ACCEPT", await place(api, await unlimited_service(api)), as_="provider"))[
            "order"
        ]
        case_cursor = (
            await api.data(
                "query($id: ID!) { case(id: $id) { history(first: 5) { nodes { cursor } } } }",
                {"id": case["id"]},
                as_="town",
            )
        )["case"]["history"]["nodes"][-1]["cursor"]
        order_cursor = (
            await api.data(
                "query($id: ID!) { order(id: $id) { history(first: 5) { nodes { cursor } } } }",
                {"id": order["id"]},
                as_="town",
            )
        )["order"]["history"]["nodes"][-1]["cursor"]

        town_token, station_token = await api.token("town"), await api.token("station")
        async with (
            GraphQLSocket.open(app.ws_url, town_token) as town,
            GraphQLSocket.open(app.ws_url, station_token) as station,
        ):
            await town.subscribe("cases", CASE_FEED, {"id": town_id, "after": case_cursor})
            await station.subscribe("cases", STATION_CASE_FEED, {"id": station_id, "after": case_cursor})
            await station.subscribe("orders", ORDER_FEED, {"id": station_id, "after": order_cursor})
            urged = await case_step(
                api, "urgeCase", "CaseNoteInput", "town", caseId=case["id"], note="请尽快答复"
            )
            assert urged["userErrors"] == []
            urge_order = supervise("urgeOrder", "UrgeOrderInput")
            payload = await api.data(
                urge_order, {"input": {"orderId": order["id"], "note": "请按时上门"}}, as_="town"
            )
            assert payload["urgeOrder"]["userErrors"] == []

            event = (await town.next_data("cases", WAIT))["townCaseFeed"]
            assert {k: event[k] for k in ("action", "actorRole", "note", "case")} == {
                "action": "URGE",
                "actorRole": "TOWN_STAFF",
                "note": "请尽快答复",
                "case": {"id": case["id"], "status": "RECEIVED"},
            }
            assert (await station.next_data("cases", WAIT))["stationCaseFeed"]["action"] == "URGE"
            event = (await station.next_data("orders", WAIT))["stationFeed"]
            assert {k: event[k] for k in ("action", "actorRole", "note", "order")} == {
                "action": "URGE",
                "actorRole": "TOWN_STAFF",
                "note": "请按时上门",
                "order": {"id": order["id"]},
            }

        # Another town's staff may not follow this town's cases.
        await create_account(api, "far-town", "TOWN_STAFF", townId=(await _far_town(api, town_id)))
        async with GraphQLSocket.open(app.ws_url, await api.token("far-town")) as far:
            await far.subscribe("cases", CASE_FEED, {"id": town_id})
            message = await asyncio.wait_for(far.receive("cases"), WAIT)
            assert message["type"] == "error" or message["payload"].get("errors"), message


async def _far_town(api: Api, town_id: str) -> str:
    [far] = await stations(api, 1, other_town_than=town_id)
    return far["town"]["id"]

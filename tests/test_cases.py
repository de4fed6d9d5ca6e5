"""Cases received at a station: first-inquiry ownership, hand-over, the ways a case is taken on,
closing with the resident's satisfaction, and who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.case_steps import (
    RESIDENT,
    blow,
    case_step,
    other_provider,
    read_case,
    receive,
    viewer_scope,
)
from tests.catalog_steps import POST_DEMAND, categories, demand_input, run
from tests.order_steps import act, create_account, parse, place, stations, unlimited_service


@pytest.fixture
async def world(fresh_api):
    """The demo station, town and provider, a second staff member of the station, a station of
    another town with its staff and town staff, and staff of another provider."""
    api = fresh_api
    station = await viewer_scope(api, "station")
    await create_account(
        api, "station-2", "STATION_STAFF", stationId=station["station"]["id"], phone="13800000002"
    )
    town_id = station["station"]["town"]["id"]
    [far] = await stations(api, 1, other_town_than=town_id)
    await create_account(api, "far-station", "STATION_STAFF", stationId=far["id"])
    await create_account(api, "far-town", "TOWN_STAFF", townId=far["town"]["id"])
    provider_id = (await viewer_scope(api, "provider"))["provider"]["id"]
    second = await other_provider(api, provider_id)
    await create_account(api, "other-provider", "PROVIDER_STAFF", providerId=second, phone="13800000009")
    return api, {"station": station, "provider": provider_id, "other_provider": second}


async def test_a_case_is_received_handed_over_whistled_to_a_department_and_closed(world):
    api, ids = world
    case = await receive(api)
    assert case["status"] == "RECEIVED" and case["route"] is None
    assert case["owner"]["username"] == "station" and case["receivedBy"]["username"] == "station"
    assert case["resident"] == RESIDENT
    # KEY urgency: taken on within 24 hours, closed within 72, as an order's answer and delivery.
    received = parse(case["createdAt"])
    assert parse(case["answerDueAt"]) - received == timedelta(hours=24)
    assert parse(case["closingDueAt"]) - received == timedelta(hours=72)
    assert case["nextActions"] == [
        "HANDLE_ON_SPOT",
        "TURN_INTO_ORDER",
        "TURN_INTO_DEMAND",
        "WHISTLE",
        "HAND_OVER",
    ]

    # Ownership moves only by a hand-over naming the next owner.
    station_2 = (await api.data("{ viewer { id } }", as_="station-2"))["viewer"]["id"]
    handed = await case_step(
        api,
        "handOverCase",
        "HandOverCaseInput",
        "station",
        caseId=case["id"],
        ownerId=station_2,
        note="交给网格员",
    )
    assert handed["userErrors"] == []
    # Accounts other than one's own are shown to administrators only.
    assert handed["case"]["owner"] is None
    assert (await read_case(api, case, "admin"))["owner"]["username"] == "station-2"
    assert (await read_case(api, case, "station"))["nextActions"] == []

    # The former owner may no longer act on it; the new one whistles a department in.
    refused = await blow(api, ids["provider"], caseId=case["id"])
    assert refused["order"] is None
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("ILLEGAL_TRANSITION", ["input", "caseId"])
    ]
    blown = await blow(api, ids["provider"], as_="station-2", caseId=case["id"])
    assert blown["userErrors"] == []
    whistle = blown["order"]
    assert whistle["kind"] == "WHISTLE" and whistle["service"] is None and whistle["project"] is None
    assert whistle["resident"] == RESIDENT  # the department reaches the resident, as for a proxy order

    case = await read_case(api, case, "station-2")
    assert case["status"] == "WHISTLED" and case["route"] == "WHISTLE"
    assert case["order"]["id"] == whistle["id"] and case["order"]["kind"] == "WHISTLE"
    assert case["answeredAt"] is not None

    # The department refers it on; the one referred to accepts and delivers it.
    referred = await api.data(
        """mutation($input: ReferWhistleInput!) { referWhistle(input: $input) {
            order { status provider { id } } userErrors { code } } }""",
        {"input": {"orderId": whistle["id"], "providerId": ids["other_provider"], "reason": "属水务所职责"}},
        as_="provider",
    )
    assert referred["referWhistle"] == {
        "order": {"status": "SUBMITTED", "provider": {"id": ids["other_provider"]}},
        "userErrors": [],
    }
    whistle = (await act(api, "ACCEPT", whistle, as_="other-provider"))["order"]
    assert whistle["status"] == "ACCEPTED"
    whistle = await advance_whistle(api, whistle)
    assert whistle["status"] == "COMPLETED"
    # A meeting is about a catalog subject: a whistle is evaluated without one.
    meeting = {"heldAt": whistle["createdAt"], "attendees": 8, "minutes": "评议"}
    refused = await act(api, "EVALUATE", whistle, as_="station", meeting=meeting)
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("INVALID", ["input", "meeting"])]
    assert (await act(api, "EVALUATE", whistle, as_="station"))["order"]["status"] == "EVALUATED"

    closed = await case_step(
        api,
        "closeCase",
        "CloseCaseInput",
        "station-2",
        caseId=case["id"],
        result="水务所已清理河道，已电话告知居民",
    )
    assert closed["userErrors"] == []
    assert closed["case"]["status"] == "CLOSED" and closed["case"]["closedOnTime"] is True
    evaluated = await case_step(
        api,
        "evaluateCase",
        "EvaluateCaseInput",
        "station-2",
        caseId=case["id"],
        satisfaction=95,
        comment="很满意",
    )
    assert evaluated["case"]["status"] == "EVALUATED" and evaluated["case"]["nextActions"] == []
    case = await read_case(api, case, "admin")
    assert case["satisfaction"] == 95
    assert [
        (e["action"], e["actor"]["username"], e["owner"]["username"]) for e in case["history"]["nodes"]
    ] == [
        ("RECEIVE", "station", "station"),
        ("HAND_OVER", "station", "station-2"),
        ("WHISTLE", "station-2", "station-2"),
        ("CLOSE", "station-2", "station-2"),
        ("EVALUATE", "station-2", "station-2"),
    ]
    assert case["history"]["nodes"][1]["note"] == "交给网格员"
    assert case["history"]["nodes"][3]["note"] == "水务所已清理河道，已电话告知居民"


async def advance_whistle(api, whistle: dict) -> dict:
    """Schedule today, start, deliver (the department), confirm (the station)."""
    for action, role in (
        ("SCHEDULE", "other-provider"),
        ("START", "other-provider"),
        ("DELIVER", "other-provider"),
    ):
        overrides = (
            {"scheduledAt": f"{whistle['requestedEnd']}T20:00:00+08:00"} if action == "SCHEDULE" else {}
        )
        payload = await act(api, action, whistle, as_=role, **overrides)
        assert payload["userErrors"] == [], (action, payload)
        whistle = payload["order"]
    payload = await act(api, "CONFIRM_DELIVERY", whistle, as_="station")
    assert payload["userErrors"] == []
    return payload["order"]


async def test_a_case_is_handled_on_the_spot_or_taken_on_as_an_order_or_a_demand(world):
    api, _ = world
    on_spot = await receive(api, kind="CONSULTATION", urgency="ROUTINE", subject="咨询高龄津贴申请材料")
    handled = await case_step(api, "handleCaseOnSpot", "CaseNoteInput", "station", caseId=on_spot["id"])
    assert handled["case"]["status"] == "HANDLED" and handled["case"]["route"] == "ON_THE_SPOT"
    assert handled["case"]["nextActions"] == ["CLOSE", "HAND_OVER"]

    service = await unlimited_service(api)
    order = await place(api, service, resident=RESIDENT)
    ordered_case = await receive(api)
    linked = await case_step(
        api,
        "turnCaseIntoOrder",
        "TurnCaseIntoOrderInput",
        "station",
        caseId=ordered_case["id"],
        orderId=order["id"],
    )
    assert linked["userErrors"] == []
    assert linked["case"]["status"] == "ORDERED" and linked["case"]["order"]["id"] == order["id"]

    meals = (await categories(api))["care.meals"]["id"]
    posted = await run(api, POST_DEMAND, demand_input(meals), "station")
    assert posted["userErrors"] == []
    demanded_case = await receive(api, kind="SUGGESTION", urgency="ROUTINE", subject="建议增设助餐点")
    linked = await case_step(
        api,
        "turnCaseIntoDemand",
        "TurnCaseIntoDemandInput",
        "station",
        caseId=demanded_case["id"],
        demandId=posted["demand"]["id"],
    )
    assert linked["userErrors"] == []
    assert linked["case"]["status"] == "DEMANDED" and linked["case"]["route"] == "DEMAND"

    # Closing needs the case taken on first; satisfaction is 0 to 100.
    fresh = await receive(api)
    refused = await case_step(
        api, "closeCase", "CloseCaseInput", "station", caseId=fresh["id"], result="已办"
    )
    assert [(e["code"], e["allowedActions"]) for e in refused["userErrors"]] == [
        (
            "ILLEGAL_TRANSITION",
            ["HANDLE_ON_SPOT", "TURN_INTO_ORDER", "TURN_INTO_DEMAND", "WHISTLE", "HAND_OVER"],
        )
    ]
    await case_step(
        api, "closeCase", "CloseCaseInput", "station", caseId=on_spot["id"], result="已告知所需材料"
    )
    refused = await case_step(
        api, "evaluateCase", "EvaluateCaseInput", "station", caseId=on_spot["id"], satisfaction=101
    )
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
        ("OUT_OF_RANGE", ["input", "satisfaction"])
    ]


async def test_a_case_goes_only_to_staff_of_its_station_or_town(world):
    api, _ = world
    case = await receive(api)
    for username in ("far-station", "other-provider", "far-town"):
        user_id = (await api.data("{ viewer { id } }", as_=username))["viewer"]["id"]
        refused = await case_step(
            api, "handOverCase", "HandOverCaseInput", "station", caseId=case["id"], ownerId=user_id
        )
        assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
            ("INVALID", ["input", "ownerId"])
        ], username
    town_id = (await api.data("{ viewer { id } }", as_="town"))["viewer"]["id"]
    handed = await case_step(
        api, "handOverCase", "HandOverCaseInput", "station", caseId=case["id"], ownerId=town_id
    )
    assert handed["userErrors"] == []
    assert (await read_case(api, case, "town"))["owner"]["username"] == "town"
    # Town staff own it now, and see it, but not the resident's contact data (as with orders).
    seen = await read_case(api, case, "town")
    assert seen["resident"] is None
    assert seen["nextActions"] == [
        "HANDLE_ON_SPOT", "TURN_INTO_ORDER", "TURN_INTO_DEMAND", "HAND_OVER", "URGE", "ESCALATE", "EXTEND_DEADLINE",
        "REASSIGN",
    ]  # fmt: skip


async def test_each_role_sees_the_cases_of_its_scope(world):
    api, ids = world
    case = await receive(api)
    for viewer, sees, resident in [
        ("station", True, RESIDENT),
        ("station-2", True, RESIDENT),
        ("town", True, None),
        ("admin", True, None),
        ("far-station", False, None),
        ("far-town", False, None),
        ("provider", False, None),
    ]:
        seen = await read_case(api, case, viewer)
        assert (seen is not None) == sees, viewer
        if seen is not None:
            assert seen["resident"] == resident, viewer
        listed = await api.data("{ cases(first: 50) { nodes { id } } }", as_=viewer)
        assert (case["id"] in [c["id"] for c in listed["cases"]["nodes"]]) == sees, viewer
    anonymous = await api.data("query($id: ID!) { case(id: $id) { id } }", {"id": case["id"]})
    assert anonymous["case"] is None

    # Only station staff receive cases; others acting on it find it missing, or may not.
    refused = await api.errors(
        'mutation { receiveCase(input: {kind: HELP, urgency: KEY, subject: "x"}) { case { id } } }',
        as_="provider",
    )
    assert refused[0]["extensions"]["code"] == "FORBIDDEN"
    far = await case_step(api, "handleCaseOnSpot", "CaseNoteInput", "far-station", caseId=case["id"])
    assert [(e["code"], e["field"]) for e in far["userErrors"]] == [("NOT_FOUND", ["input", "caseId"])]
    forbidden = await api.errors(
        "mutation($id: ID!) { handleCaseOnSpot(input: {caseId: $id}) { case { id } } }",
        {"id": case["id"]},
        as_="provider",
    )
    assert forbidden[0]["extensions"]["code"] == "FORBIDDEN"

    filtered = await api.data(
        """query($station: ID!) { cases(first: 10, filter: {stationId: $station, status: [RECEIVED], kind: HELP,
            overdue: false}, orderBy: {field: CLOSING_DUE_AT, direction: ASC}) { nodes { id } } }""",
        {"station": ids["station"]["station"]["id"]},
        as_="town",
    )
    assert case["id"] in [c["id"] for c in filtered["cases"]["nodes"]]

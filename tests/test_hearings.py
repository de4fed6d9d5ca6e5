"""A hearing's decision stands until a later one, an approval authorizes the orders it names, and a
station lists its meetings."""

from __future__ import annotations

import asyncio

from tests.order_steps import (
    ERRORS,
    PLACE,
    act,
    advance,
    at,
    now_local,
    place,
    place_input,
    unlimited_service,
)

RECORD_HEARING = f"""mutation($input: RecordHearingInput!) {{ recordHearing(input: $input) {{
    meeting {{ id decision ordersAuthorized ordersPlaced }} {ERRORS} }} }}"""
PLAN_HEARING = f"""mutation($input: PlanHearingInput!) {{ planHearing(input: $input) {{
    meeting {{ id kind isPlanned attendees decision minutes heldAt }} {ERRORS} }} }}"""
MEETINGS = """query($filter: MeetingFilter, $orderBy: MeetingSort, $first: Int, $after: String) {
    viewer { station { meetings(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
        totalCount nodes { id kind decision heldAt ordersPlaced } pageInfo { hasNextPage endCursor } } } } }"""


def hearing(subject: dict, decision: str, held: str, **extra) -> dict:
    votes = (30, 5) if decision == "APPROVED" else (5, 30)
    return {
        **subject,
        "heldAt": held,
        "attendees": 40,
        "votesFor": votes[0],
        "votesAgainst": votes[1],
        "votesAbstaining": 5,
        "decision": decision,
        "minutes": "居民听证",
        **extra,
    }


async def record(api, subject: dict, decision: str, held: str, **extra) -> dict:
    payload = (
        await api.data(RECORD_HEARING, {"input": hearing(subject, decision, held, **extra)}, as_="station")
    )["recordHearing"]
    assert payload["userErrors"] == [], payload
    return payload["meeting"]


async def refusal(api, service: dict, **overrides) -> list[tuple]:
    payload = (await api.data(PLACE, {"input": place_input(service, **overrides)}, as_="station"))[
        "placeOrder"
    ]
    assert payload["order"] is None
    return [(e["code"], e["field"]) for e in payload["userErrors"]]


async def meeting(api, meeting_id: str) -> dict:
    query = "query($id: ID!) { meeting(id: $id) { decision ordersAuthorized ordersPlaced } }"
    return (await api.data(query, {"id": meeting_id}, as_="station"))["meeting"]


async def test_a_later_rejecting_hearing_stops_new_orders_until_a_later_approval(fresh_api):
    service = await unlimited_service(fresh_api)
    subject = {"serviceId": service["id"]}
    approved = await record(fresh_api, subject, "APPROVED", at(-3, 19))
    await place(fresh_api, service, hearingId=approved["id"])

    rejected = await record(fresh_api, subject, "REJECTED", at(-2, 19))
    assert rejected["ordersAuthorized"] is None and rejected["ordersPlaced"] is None
    assert await refusal(fresh_api, service) == [("HEARING_REJECTED", ["input", "serviceId"])]
    assert await refusal(fresh_api, service, hearingId=approved["id"]) == [
        ("HEARING_SUPERSEDED", ["input", "hearingId"])
    ]
    assert await refusal(fresh_api, service, hearingId=rejected["id"]) == [
        ("HEARING_REJECTED", ["input", "hearingId"])
    ]
    # A hearing recorded now but held before the rejection does not overturn it.
    earlier = await record(fresh_api, subject, "APPROVED", at(-4, 19))
    assert await refusal(fresh_api, service, hearingId=earlier["id"]) == [
        ("HEARING_SUPERSEDED", ["input", "hearingId"])
    ]

    again = await record(fresh_api, subject, "APPROVED", at(-1, 19))
    order = await place(fresh_api, service, hearingId=again["id"])
    assert order["status"] == "SUBMITTED"
    assert await meeting(fresh_api, again["id"]) == {
        "decision": "APPROVED",
        "ordersAuthorized": 1,
        "ordersPlaced": 1,
    }


async def test_an_approval_authorizes_the_number_of_orders_it_names(fresh_api):
    service = await unlimited_service(fresh_api)
    approved = await record(
        fresh_api, {"serviceId": service["id"]}, "APPROVED", at(-1, 19), ordersAuthorized=3
    )
    orders = [await place(fresh_api, service, hearingId=approved["id"]) for _ in range(3)]
    assert await refusal(fresh_api, service, hearingId=approved["id"]) == [
        ("HEARING_USED_UP", ["input", "hearingId"])
    ]
    assert (await meeting(fresh_api, approved["id"]))["ordersPlaced"] == 3

    # A cancelled order gives its authorization back.
    await advance(fresh_api, orders[0], "CANCELLED")
    assert (await meeting(fresh_api, approved["id"]))["ordersPlaced"] == 2
    await place(fresh_api, service, hearingId=approved["id"])
    assert await refusal(fresh_api, service, hearingId=approved["id"]) == [
        ("HEARING_USED_UP", ["input", "hearingId"])
    ]


async def test_a_project_requiring_hearings_takes_one_order_per_approval_by_default(fresh_api):
    project = (
        await fresh_api.data(
            "{ viewer { provider { projects(first: 50, filter: {requiresThreeMeetings: true}) { nodes { id } } } } }",
            as_="provider",
        )
    )["viewer"]["provider"]["projects"]["nodes"][0]
    subject = {"projectId": project["id"]}
    approved = await record(fresh_api, subject, "APPROVED", at(-1, 19))
    assert approved["ordersAuthorized"] == 1
    ordering = {"projectId": project["id"], "serviceId": None}
    order = await place(fresh_api, {"id": None}, **ordering)
    assert order["project"]["id"] == project["id"]
    assert await refusal(fresh_api, {"id": None}, **ordering) == [("HEARING_USED_UP", ["input", "projectId"])]


async def test_concurrent_orders_never_exceed_what_a_hearing_authorized(fresh_api):
    service = await unlimited_service(fresh_api)
    approved = await record(
        fresh_api, {"serviceId": service["id"]}, "APPROVED", at(-1, 19), ordersAuthorized=2
    )
    requests = [{"input": place_input(service, hearingId=approved["id"])} for _ in range(6)]
    results = await asyncio.gather(*(fresh_api.post(PLACE, r, as_="station") for r in requests))
    payloads = [r["data"]["placeOrder"] for r in results]
    placed = [p for p in payloads if p["order"] is not None]
    refused = [[e["code"] for e in p["userErrors"]] for p in payloads if p["order"] is None]
    assert len(placed) == 2
    assert refused == [["HEARING_USED_UP"]] * 4
    assert (await meeting(fresh_api, approved["id"]))["ordersPlaced"] == 2


async def test_how_many_orders_a_hearing_authorizes_is_checked(fresh_api):
    service = await unlimited_service(fresh_api)
    subject = {"serviceId": service["id"]}
    for decision, authorized, expected in (
        ("APPROVED", 0, ("OUT_OF_RANGE", ["input", "ordersAuthorized"])),
        ("APPROVED", 10_001, ("OUT_OF_RANGE", ["input", "ordersAuthorized"])),
        ("REJECTED", 2, ("INVALID", ["input", "ordersAuthorized"])),
    ):
        given = hearing(subject, decision, at(-1, 19), ordersAuthorized=authorized)
        payload = (await fresh_api.data(RECORD_HEARING, {"input": given}, as_="station"))["recordHearing"]
        assert payload["meeting"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [expected]


async def test_a_station_lists_its_meetings_with_filters(fresh_api):
    service = await unlimited_service(fresh_api)
    other = next(
        s
        for s in (
            await fresh_api.data(
                "{ viewer { provider { services(first: 100) { nodes { id status } } } } }", as_="provider"
            )
        )["viewer"]["provider"]["services"]["nodes"]
        if s["status"] == "PUBLISHED" and s["id"] != service["id"]
    )
    rejected = await record(fresh_api, {"serviceId": service["id"]}, "REJECTED", at(-9, 19))
    approved = await record(fresh_api, {"serviceId": service["id"]}, "APPROVED", at(-5, 19))
    elsewhere = await record(fresh_api, {"serviceId": other["id"]}, "APPROVED", at(-3, 19))
    order = await advance(fresh_api, await place(fresh_api, service, hearingId=approved["id"]), "ACCEPTED")
    coordination = await act(
        fresh_api, "RECORD_COORDINATION_MEETING", order, as_="station", heldAt=now_local()
    )
    assert coordination["userErrors"] == []

    async def listed(as_="station", **variables) -> list[str]:
        data = await fresh_api.data(MEETINGS, variables, as_=as_)
        meetings = data["viewer"]["station"]["meetings"]
        assert meetings["totalCount"] == len(meetings["nodes"])
        return [m["id"] for m in meetings["nodes"]]

    coordination_id = coordination["meeting"]["id"]
    assert await listed() == [coordination_id, elsewhere["id"], approved["id"], rejected["id"]]
    assert await listed(orderBy={"field": "HELD_AT", "direction": "ASC"}) == [
        rejected["id"],
        approved["id"],
        elsewhere["id"],
        coordination_id,
    ]
    assert await listed(filter={"kind": ["HEARING"]}) == [elsewhere["id"], approved["id"], rejected["id"]]
    assert await listed(filter={"kind": ["COORDINATION", "EVALUATION"]}) == [coordination_id]
    assert await listed(filter={"decision": "APPROVED"}) == [elsewhere["id"], approved["id"]]
    assert await listed(filter={"serviceId": service["id"], "kind": ["HEARING"]}) == [
        approved["id"],
        rejected["id"],
    ]
    # Is the service approved? The latest hearing about it says so, and how many orders it still allows.
    latest = await fresh_api.data(
        MEETINGS, {"filter": {"serviceId": service["id"], "kind": ["HEARING"]}, "first": 1}, as_="station"
    )
    assert latest["viewer"]["station"]["meetings"]["nodes"][0]["decision"] == "APPROVED"
    assert latest["viewer"]["station"]["meetings"]["nodes"][0]["ordersPlaced"] == 1
    assert await listed(filter={"heldAfter": at(-6), "heldBefore": at(-2)}) == [
        elsewhere["id"],
        approved["id"],
    ]

    first = await fresh_api.data(MEETINGS, {"first": 2}, as_="station")
    page = first["viewer"]["station"]["meetings"]
    assert page["pageInfo"]["hasNextPage"] and len(page["nodes"]) == 2
    rest = await fresh_api.data(MEETINGS, {"first": 2, "after": page["pageInfo"]["endCursor"]}, as_="station")
    assert [m["id"] for m in rest["viewer"]["station"]["meetings"]["nodes"]] == [
        approved["id"],
        rejected["id"],
    ]


async def test_a_planned_hearing_shows_as_upcoming_and_decides_once_its_outcome_is_recorded(fresh_api):
    service = await unlimited_service(fresh_api)
    rejected = await record(fresh_api, {"serviceId": service["id"]}, "REJECTED", at(-2, 19))
    plan = {"serviceId": service["id"], "heldAt": at(3, 19), "agenda": "是否引入助餐服务"}
    planned = (await fresh_api.data(PLAN_HEARING, {"input": plan}, as_="station"))["planHearing"]
    assert planned["userErrors"] == []
    hearing_id = planned["meeting"]["id"]
    assert {k: v for k, v in planned["meeting"].items() if k not in ("id", "heldAt")} == {
        "kind": "HEARING",
        "isPlanned": True,
        "attendees": None,
        "decision": None,
        "minutes": "是否引入助餐服务",
    }

    async def listed(upcoming: bool) -> list[str]:
        data = await fresh_api.data(MEETINGS, {"filter": {"upcoming": upcoming}}, as_="station")
        return [m["id"] for m in data["viewer"]["station"]["meetings"]["nodes"]]

    assert await listed(True) == [hearing_id]
    assert await listed(False) == [rejected["id"]]
    board = await fresh_api.data(
        "{ stationBoard { nextMeetings(first: 3) { nodes { id isPlanned } } } }", as_="station"
    )
    assert board["stationBoard"]["nextMeetings"]["nodes"] == [{"id": hearing_id, "isPlanned": True}]

    # Planned, it decides nothing: the rejection still stands, and it authorizes no order.
    assert await refusal(fresh_api, service) == [("HEARING_REJECTED", ["input", "serviceId"])]
    assert await refusal(fresh_api, service, hearingId=hearing_id) == [
        ("HEARING_REQUIRED", ["input", "hearingId"])
    ]

    outcome = {**hearing({}, "APPROVED", now_local()), "hearingId": hearing_id}
    held = (await fresh_api.data(RECORD_HEARING, {"input": outcome}, as_="station"))["recordHearing"]
    assert held["userErrors"] == [] and held["meeting"]["id"] == hearing_id
    assert held["meeting"]["decision"] == "APPROVED" and held["meeting"]["ordersAuthorized"] == 1
    assert await listed(True) == []
    await place(fresh_api, service, hearingId=hearing_id)

    again = (await fresh_api.data(RECORD_HEARING, {"input": outcome}, as_="station"))["recordHearing"]
    assert [(e["code"], e["field"]) for e in again["userErrors"]] == [
        ("ILLEGAL_TRANSITION", ["input", "hearingId"])
    ]


async def test_a_hearing_is_planned_ahead_only(fresh_api):
    service = await unlimited_service(fresh_api)
    for plan, expected in (
        (
            {"serviceId": service["id"], "heldAt": at(-1), "agenda": "议题"},
            ("IN_THE_PAST", ["input", "heldAt"]),
        ),
        ({"serviceId": service["id"], "heldAt": at(2), "agenda": " "}, ("REQUIRED", ["input", "agenda"])),
        ({"heldAt": at(2), "agenda": "议题"}, ("REQUIRED", ["input", "serviceId"])),
    ):
        payload = (await fresh_api.data(PLAN_HEARING, {"input": plan}, as_="station"))["planHearing"]
        assert payload["meeting"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [expected]
    errors = await fresh_api.errors(
        PLAN_HEARING,
        {"input": {"serviceId": service["id"], "heldAt": at(2), "agenda": "议题"}},
        as_="provider",
    )
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"

"""Orders: stations order, departments deliver, as station screens and department consoles use them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from resolvers.orders.lifecycle import LIFECYCLE
from tests.helpers import global_id, scalar
from tests.order_steps import (
    ALL_STATUSES,
    ERRORS,
    HAPPY_PATH,
    MUTATIONS,
    PLACE,
    act,
    action_input,
    advance,
    at,
    day,
    db_id,
    mutation_text,
    now_local,
    ordered_services,
    parse,
    place,
    place_input,
    today,
    unlimited_service,
)

ORDER = """query($id: ID!) { order(id: $id) { id status nextActions
    history(first: 50) { totalCount nodes { action fromStatus toStatus actorRole note actor { username } } }
    meetings { kind decision attendees } } }"""


async def read(api, order: dict, as_: str = "admin") -> dict:
    return (await api.data(ORDER, {"id": order["id"]}, as_=as_))["order"]


async def test_a_station_orders_and_the_provider_delivers_step_by_step(fresh_api):
    service = await unlimited_service(fresh_api)
    order = await place(fresh_api, service, quantity=3, urgency="KEY")
    assert order["status"] == "SUBMITTED"
    assert order["service"]["id"] == service["id"] and order["project"] is None
    assert order["quantity"] == 3 and order["urgency"] == "KEY" and order["notes"] == "请安排社工上门"
    assert order["nextActions"] == ["CANCEL"]

    expected_next = {
        "ACCEPTED": {"provider": ["SCHEDULE"], "station": ["CANCEL", "RECORD_COORDINATION_MEETING"]},
        "SCHEDULED": {
            "provider": ["SCHEDULE", "START"],
            "station": ["CANCEL", "RECORD_COORDINATION_MEETING"],
        },
        "IN_PROGRESS": {"provider": ["DELIVER"], "station": ["RECORD_COORDINATION_MEETING"]},
        "DELIVERED": {
            "provider": [],
            "station": ["CONFIRM_DELIVERY", "REJECT_DELIVERY", "RECORD_COORDINATION_MEETING"],
        },
        "COMPLETED": {"provider": [], "station": ["EVALUATE"]},
        "EVALUATED": {"provider": [], "station": []},
    }
    for action, role, reached in HAPPY_PATH:
        payload = await act(fresh_api, action, order, as_=role)
        assert payload["userErrors"] == []
        order = payload["order"]
        assert order["status"] == reached
        for viewer, actions in expected_next[reached].items():
            assert (await read(fresh_api, order, as_=viewer))["nextActions"] == actions, (reached, viewer)
        # Town staff supervise (督办) an order while it still owes its delivery, and nothing else.
        supervising = ["URGE", "ESCALATE", "EXTEND_DEADLINE", "REASSIGN"]
        owing = reached in ("ACCEPTED", "SCHEDULED", "IN_PROGRESS")
        assert (await read(fresh_api, order, as_="town"))["nextActions"] == (supervising if owing else [])

    assert order["responsible"] == {"name": "张建国", "phone": "13800138000", "user": None}
    assert parse(order["scheduledAt"]) == parse(f"{order['requestedStart']}T10:00:00+08:00")
    assert order["evaluation"]["rating"] == 5 and order["evaluation"]["satisfaction"] == 92
    assert order["evaluation"]["comment"] == "居民很满意"
    history = (await read(fresh_api, order))["history"]
    assert [(e["action"], e["fromStatus"], e["toStatus"]) for e in history["nodes"]] == [
        ("PLACE", None, "SUBMITTED"),
        ("ACCEPT", "SUBMITTED", "ACCEPTED"),
        ("SCHEDULE", "ACCEPTED", "SCHEDULED"),
        ("START", "SCHEDULED", "IN_PROGRESS"),
        ("DELIVER", "IN_PROGRESS", "DELIVERED"),
        ("CONFIRM_DELIVERY", "DELIVERED", "COMPLETED"),
        ("EVALUATE", "COMPLETED", "EVALUATED"),
    ]
    assert [e["actorRole"] for e in history["nodes"]] == ["STATION_STAFF"] + ["PROVIDER_STAFF"] * 4 + [
        "STATION_STAFF"
    ] * 2
    assert [e["actor"]["username"] for e in history["nodes"]] == ["station"] + ["provider"] * 4 + [
        "station"
    ] * 2
    assert history["nodes"][0]["note"] == "请安排社工上门" and history["nodes"][4]["note"] == "已上门服务"


async def test_an_administrator_may_take_every_action(fresh_api):
    service = await unlimited_service(fresh_api)
    order = await place(fresh_api, service)
    assert (await read(fresh_api, order))["nextActions"] == ["ACCEPT", "DECLINE", "CANCEL"]
    for action, _, reached in HAPPY_PATH:
        payload = await act(fresh_api, action, order, as_="admin")
        assert payload["userErrors"] == [] and payload["order"]["status"] == reached
        order = payload["order"]
    events = (await read(fresh_api, order))["history"]["nodes"]
    assert {e["actorRole"] for e in events[1:]} == {"ADMIN"}


async def test_a_rejected_delivery_goes_back_to_work_and_cancelling_stops_once_work_starts(fresh_api):
    service = await unlimited_service(fresh_api)
    order = await advance(fresh_api, await place(fresh_api, service), "DELIVERED")
    rejected = await act(fresh_api, "REJECT_DELIVERY", order, as_="station")
    assert rejected["userErrors"] == []
    assert (
        rejected["order"]["status"] == "IN_PROGRESS" and rejected["order"]["rejectionReason"] == "服务未完成"
    )
    redelivered = await act(fresh_api, "DELIVER", order, as_="provider")
    assert redelivered["order"]["status"] == "DELIVERED"
    assert (await act(fresh_api, "CONFIRM_DELIVERY", order, as_="station"))["order"]["status"] == "COMPLETED"

    scheduled = await advance(fresh_api, await place(fresh_api, service), "SCHEDULED")
    rescheduled = await act(
        fresh_api,
        "SCHEDULE",
        scheduled,
        as_="provider",
        scheduledAt=f"{scheduled['requestedEnd']}T15:30:00+08:00",
    )
    assert parse(rescheduled["order"]["scheduledAt"]) == parse(f"{scheduled['requestedEnd']}T15:30:00+08:00")
    cancelled = await act(fresh_api, "CANCEL", scheduled, as_="station")
    assert cancelled["order"]["status"] == "CANCELLED"
    assert cancelled["order"]["cancellationReason"] == "居民已自行解决"
    assert cancelled["order"]["nextActions"] == []

    started = await advance(fresh_api, await place(fresh_api, service), "IN_PROGRESS")
    refused = await act(fresh_api, "CANCEL", started, as_="station")
    assert refused["order"] is None
    assert refused["userErrors"][0]["code"] == "ILLEGAL_TRANSITION"
    assert refused["userErrors"][0]["currentStatus"] == "IN_PROGRESS"
    assert refused["userErrors"][0]["allowedActions"] == ["RECORD_COORDINATION_MEETING"]

    declined = await act(fresh_api, "DECLINE", await place(fresh_api, service), as_="provider")
    assert declined["order"]["status"] == "DECLINED" and declined["order"]["declineReason"] == "本月名额已满"


# The lifecycle written out: from each status, the steps allowed and whose side takes them. Every
# (status, action) not listed is refused to everyone; administrators may take every listed step.
# Listed in the order `nextActions` and `allowedActions` name them.
STEPS: dict[str, dict[str, str]] = {
    "SUBMITTED": {"ACCEPT": "provider", "DECLINE": "provider", "CANCEL": "station"},
    "ACCEPTED": {"SCHEDULE": "provider", "CANCEL": "station", "RECORD_COORDINATION_MEETING": "station"},
    "DECLINED": {},
    "SCHEDULED": {
        "SCHEDULE": "provider",
        "START": "provider",
        "CANCEL": "station",
        "RECORD_COORDINATION_MEETING": "station",
    },
    "IN_PROGRESS": {"DELIVER": "provider", "RECORD_COORDINATION_MEETING": "station"},
    "DELIVERED": {
        "CONFIRM_DELIVERY": "station",
        "REJECT_DELIVERY": "station",
        "RECORD_COORDINATION_MEETING": "station",
    },
    "COMPLETED": {"EVALUATE": "station"},
    "EVALUATED": {},
    "CANCELLED": {},
}


def allowed_to(role: str, status: str) -> list[str]:
    return [action for action, side in STEPS[status].items() if role in ("admin", side)]


async def test_every_illegal_transition_names_the_current_status_and_the_allowed_actions(fresh_api):
    assert set(STEPS) == set(ALL_STATUSES)
    service = await unlimited_service(fresh_api)
    orders = {
        status: await advance(fresh_api, await place(fresh_api, service), status) for status in ALL_STATUSES
    }
    refusals = 0
    for status, order in orders.items():
        events_before = await scalar(fresh_api, "SELECT count(*) FROM order_events")
        for role in ("admin", "station", "provider"):
            allowed = allowed_to(role, status)
            assert (await read(fresh_api, order, as_=role))["nextActions"] == allowed, (status, role)
            for action in MUTATIONS:
                if action in allowed:
                    continue
                refusals += 1
                variables = {"input": action_input(action, order)}
                if not any(action in allowed_to(role, state) for state in ALL_STATUSES):
                    # A role that can take the action from no status is refused before the order is read.
                    errors = await fresh_api.errors(mutation_text(action), variables, as_=role)
                    assert errors[0]["extensions"]["code"] == "FORBIDDEN", (status, action, role)
                    continue
                payload = await act(fresh_api, action, order, as_=role)
                assert payload["order"] is None
                assert payload["userErrors"] == [
                    {
                        "code": "ILLEGAL_TRANSITION",
                        "field": None,
                        "message": payload["userErrors"][0]["message"],
                        "currentStatus": status,
                        "allowedActions": allowed,
                    }
                ], (status, action, role)
                assert (
                    status in payload["userErrors"][0]["message"]
                    and action in payload["userErrors"][0]["message"]
                )
        assert (await read(fresh_api, order))["status"] == status
        assert await scalar(fresh_api, "SELECT count(*) FROM order_events") == events_before
    listed = sum(len(steps) for steps in STEPS.values())
    assert refusals == 3 * len(ALL_STATUSES) * len(MUTATIONS) - 2 * listed


async def test_deadlines_follow_the_urgency(fresh_api):
    services = await ordered_services(fresh_api)
    service = next(s for s in services if s["capacityPerPeriod"] is None and s["leadTimeDays"] == 0)
    hours = {"EMERGENCY": (2, 24), "KEY": (24, 72), "ROUTINE": (24, 15 * 24)}
    for urgency, (response, delivery) in hours.items():
        order = await place(fresh_api, service, urgency=urgency, requestedStart=day(0), requestedEnd=day(1))
        placed = parse(order["createdAt"])
        assert parse(order["responseDueAt"]) - placed == timedelta(hours=response)
        assert parse(order["deliveryDueAt"]) - placed == timedelta(hours=delivery)
        assert 0 < order["responseSecondsLeft"] <= response * 3600
        assert 0 < order["deliverySecondsLeft"] <= delivery * 3600
        assert not order["isResponseOverdue"] and not order["isDeliveryOverdue"]

    # Asked for later days, delivery is counted from the first of them (local midnight).
    later = await place(fresh_api, service, urgency="KEY", requestedStart=day(10), requestedEnd=day(12))
    first_day = parse(f"{day(10)}T00:00:00+08:00")
    assert parse(later["deliveryDueAt"]) == first_day + timedelta(hours=72)
    assert parse(later["responseDueAt"]) - parse(later["createdAt"]) == timedelta(hours=24)


async def test_time_limits_are_overridden_per_service_and_per_project(fresh_api):
    services = await ordered_services(fresh_api)
    service = next(s for s in services if s["capacityPerPeriod"] is None and s["leadTimeDays"] == 0)
    project = (
        await fresh_api.data(
            """{ projects(first: 1, filter: {requiresThreeMeetings: false}) {
                nodes { id capacityPerPeriod provider { id } } } }"""
        )
    )["projects"]["nodes"][0]
    limits = "timeLimits { urgency responseHours deliveryHours isDefault }"
    changed = await fresh_api.data(
        f"""mutation($input: UpdateServiceInput!) {{ updateService(input: $input) {{
            service {{ {limits} }} userErrors {{ code field message }} }} }}""",
        {
            "input": {
                "serviceId": service["id"],
                "timeLimits": [{"urgency": "EMERGENCY", "responseHours": 1, "deliveryHours": 6}],
            }
        },
        as_="provider",
    )
    assert changed["updateService"]["userErrors"] == []
    assert changed["updateService"]["service"]["timeLimits"] == [
        {"urgency": "EMERGENCY", "responseHours": 1, "deliveryHours": 6, "isDefault": False},
        {"urgency": "KEY", "responseHours": 24, "deliveryHours": 72, "isDefault": True},
        {"urgency": "ROUTINE", "responseHours": 24, "deliveryHours": 360, "isDefault": True},
    ]
    changed = await fresh_api.data(
        f"""mutation($input: UpdateProjectInput!) {{ updateProject(input: $input) {{
            project {{ {limits} }} userErrors {{ code }} }} }}""",
        {"input": {"projectId": project["id"], "timeLimits": [{"urgency": "KEY", "deliveryHours": 48}]}},
        as_="admin",
    )
    assert changed["updateProject"]["userErrors"] == []
    assert changed["updateProject"]["project"]["timeLimits"][1] == {
        "urgency": "KEY",
        "responseHours": 24,
        "deliveryHours": 48,
        "isDefault": False,
    }
    emergency = await place(
        fresh_api, service, urgency="EMERGENCY", requestedStart=day(0), requestedEnd=day(0)
    )
    assert parse(emergency["responseDueAt"]) - parse(emergency["createdAt"]) == timedelta(hours=1)
    assert parse(emergency["deliveryDueAt"]) - parse(emergency["createdAt"]) == timedelta(hours=6)
    routine = await place(fresh_api, service, urgency="ROUTINE", requestedStart=day(0), requestedEnd=day(0))
    assert parse(routine["deliveryDueAt"]) - parse(routine["createdAt"]) == timedelta(hours=360)

    ordered = await place(
        fresh_api, service, serviceId=None, projectId=project["id"], urgency="KEY", requestedStart=day(0)
    )
    assert (
        ordered["project"]["id"] == project["id"] and ordered["provider"]["id"] == project["provider"]["id"]
    )
    assert parse(ordered["responseDueAt"]) - parse(ordered["createdAt"]) == timedelta(hours=24)
    assert parse(ordered["deliveryDueAt"]) - parse(ordered["createdAt"]) == timedelta(hours=48)


async def test_time_limit_overrides_are_validated(fresh_api):
    service = await unlimited_service(fresh_api)
    mutation = """mutation($input: UpdateServiceInput!) { updateService(input: $input) {
        service { timeLimits { isDefault } } userErrors { code field message } } }"""
    refused = await fresh_api.data(
        mutation,
        {"input": {"serviceId": service["id"], "timeLimits": [{"urgency": "KEY", "responseHours": 0}]}},
        as_="provider",
    )
    errors = refused["updateService"]["userErrors"]
    assert [(e["code"], e["field"]) for e in errors] == [
        ("OUT_OF_RANGE", ["input", "timeLimits", "responseHours"])
    ]
    twice = await fresh_api.errors(
        mutation,
        {"input": {"serviceId": service["id"], "timeLimits": [{"urgency": "KEY"}, {"urgency": "KEY"}]}},
        as_="provider",
    )
    assert twice[0]["extensions"]["code"] == "INVALID_INPUT"
    unchanged = await fresh_api.data(
        "query($id: ID!) { service(id: $id) { timeLimits { isDefault } } }", {"id": service["id"]}
    )
    assert all(limit["isDefault"] for limit in unchanged["service"]["timeLimits"])


async def test_overdue_orders_are_flagged_and_filtered(fresh_api):
    service = await unlimited_service(fresh_api)
    late, on_time = await place(fresh_api, service), await place(fresh_api, service)
    async with fresh_api.engine.begin() as connection:
        await connection.exec_driver_sql(
            "UPDATE orders SET response_due_at = now() - interval '3 hours', "
            f"delivery_due_at = now() - interval '1 hour' WHERE id = {db_id(late['id'])}"
        )
    query = """query($filter: OrderFilter) { orders(filter: $filter, first: 50) { totalCount nodes {
        id isResponseOverdue isDeliveryOverdue responseSecondsLeft deliverySecondsLeft } } }"""

    async def listed(overdue, as_="station"):
        return (await fresh_api.data(query, {"filter": {"overdue": overdue}}, as_=as_))["orders"]["nodes"]

    [flagged] = await listed(True)
    assert flagged["id"] == late["id"] and flagged["isResponseOverdue"] and flagged["isDeliveryOverdue"]
    assert -3 * 3600 - 60 < flagged["responseSecondsLeft"] < -3 * 3600 + 60
    assert flagged["deliverySecondsLeft"] < 0
    assert [o["id"] for o in await listed(False)] == [on_time["id"]]
    assert [o["id"] for o in await listed(True, as_="provider")] == [late["id"]]

    # Answered, it is no longer late with its answer, still late with its delivery.
    await act(fresh_api, "ACCEPT", late, as_="provider")
    [still] = await listed(True)
    assert (
        not still["isResponseOverdue"] and still["isDeliveryOverdue"] and still["responseSecondsLeft"] is None
    )
    delivered = await advance(fresh_api, {**late, "status": "ACCEPTED"}, "DELIVERED")
    assert not delivered["isDeliveryOverdue"] and delivered["deliverySecondsLeft"] is None
    assert await listed(True) == []
    assert {o["id"] for o in await listed(False)} == {late["id"], on_time["id"]}


async def test_projects_that_require_the_three_meetings_need_an_approving_hearing(fresh_api):
    project = (
        await fresh_api.data(
            """{ viewer { provider { projects(first: 50, filter: {requiresThreeMeetings: true}) {
                nodes { id capacityPerPeriod } } } } }""",
            as_="provider",
        )
    )["viewer"]["provider"]["projects"]["nodes"][0]
    hearing_mutation = f"""mutation($input: RecordHearingInput!) {{ recordHearing(input: $input) {{
        meeting {{ id kind decision votesFor votesAgainst votesAbstaining attendees minutes heldAt
                  station {{ id }} project {{ id }} service {{ id }} order {{ id }} recordedBy {{ username }} }}
        {ERRORS} }} }}"""
    hearing = {
        "projectId": project["id"],
        "heldAt": at(-2, 19),
        "attendees": 40,
        "votesFor": 10,
        "votesAgainst": 25,
        "votesAbstaining": 5,
        "decision": "REJECTED",
        "minutes": "居民讨论是否引入该项目",
    }
    order_input = {"projectId": project["id"], "serviceId": None}

    refused = await fresh_api.data(PLACE, {"input": place_input({"id": None}, **order_input)}, as_="station")
    assert [e["code"] for e in refused["placeOrder"]["userErrors"]] == ["HEARING_REQUIRED"]
    assert refused["placeOrder"]["userErrors"][0]["field"] == ["input", "projectId"]

    rejected = (await fresh_api.data(hearing_mutation, {"input": hearing}, as_="station"))["recordHearing"]
    assert rejected["userErrors"] == [] and rejected["meeting"]["decision"] == "REJECTED"
    assert (
        rejected["meeting"]["recordedBy"] == {"username": "station"} and rejected["meeting"]["order"] is None
    )
    still = await fresh_api.data(PLACE, {"input": place_input({"id": None}, **order_input)}, as_="station")
    assert [e["code"] for e in still["placeOrder"]["userErrors"]] == ["HEARING_REJECTED"]
    named = await fresh_api.data(
        PLACE,
        {"input": place_input({"id": None}, **order_input, hearingId=rejected["meeting"]["id"])},
        as_="station",
    )
    assert [e["field"] for e in named["placeOrder"]["userErrors"]] == [["input", "hearingId"]]
    assert await scalar(fresh_api, "SELECT count(*) FROM orders") == 0

    approving = {**hearing, "votesFor": 30, "votesAgainst": 6, "votesAbstaining": 4, "decision": "APPROVED"}
    approved = (await fresh_api.data(hearing_mutation, {"input": approving}, as_="station"))["recordHearing"]
    assert approved["userErrors"] == [] and approved["meeting"]["kind"] == "HEARING"
    order = await place(fresh_api, {"id": None}, **order_input)
    assert order["project"]["id"] == project["id"]

    # A coordination meeting during delivery, the evaluation meeting closing it.
    accepted = await advance(fresh_api, order, "ACCEPTED")
    early = await act(fresh_api, "RECORD_COORDINATION_MEETING", order, as_="station", heldAt=at(-1))
    assert [e["code"] for e in early["userErrors"]] == ["OUT_OF_RANGE"]
    assert early["userErrors"][0]["field"] == ["input", "heldAt"]
    coordination = await act(fresh_api, "RECORD_COORDINATION_MEETING", accepted, as_="station")
    assert coordination["userErrors"] == [] and coordination["meeting"]["kind"] == "COORDINATION"
    assert coordination["order"]["status"] == "ACCEPTED"
    completed = await advance(fresh_api, accepted, "COMPLETED")
    meeting = {"heldAt": now_local(), "attendees": 25, "minutes": "居民评议：服务及时"}
    evaluated = await act(fresh_api, "EVALUATE", completed, as_="station", meeting=meeting)
    assert evaluated["userErrors"] == [] and evaluated["order"]["status"] == "EVALUATED"
    seen = await read(fresh_api, order, as_="station")
    assert [m["kind"] for m in seen["meetings"]] == ["HEARING", "COORDINATION", "EVALUATION"]
    assert seen["meetings"][0]["decision"] == "APPROVED" and seen["meetings"][2]["attendees"] == 25
    assert "RECORD_COORDINATION_MEETING" in [e["action"] for e in seen["history"]["nodes"]]
    # The provider of the project sees the hearing about it.
    hearing_seen = await fresh_api.data(
        "query($id: ID!) { meeting(id: $id) { kind project { id } } }",
        {"id": approved["meeting"]["id"]},
        as_="provider",
    )
    assert hearing_seen["meeting"] == {"kind": "HEARING", "project": {"id": project["id"]}}


async def test_a_hearing_input_is_checked(fresh_api):
    service = await unlimited_service(fresh_api)
    mutation = f"""mutation($input: RecordHearingInput!) {{ recordHearing(input: $input) {{
        meeting {{ id }} {ERRORS} }} }}"""
    valid = {
        "serviceId": service["id"],
        "heldAt": at(-1),
        "attendees": 20,
        "votesFor": 12,
        "votesAgainst": 3,
        "votesAbstaining": 1,
        "decision": "APPROVED",
        "minutes": "听证会纪要",
    }
    cases = [
        ({"serviceId": None}, "REQUIRED", ["input", "serviceId"]),
        ({"heldAt": at(2)}, "OUT_OF_RANGE", ["input", "heldAt"]),
        (
            {"attendees": 0, "votesFor": 0, "votesAgainst": 0, "votesAbstaining": 0, "decision": "REJECTED"},
            "OUT_OF_RANGE",
            ["input", "attendees"],
        ),
        ({"votesFor": 15, "votesAgainst": 5, "votesAbstaining": 1}, "INVALID", ["input", "attendees"]),
        ({"votesAgainst": -1}, "OUT_OF_RANGE", ["input", "votesAgainst"]),
        ({"votesFor": 3, "votesAgainst": 3}, "INVALID", ["input", "decision"]),
        ({"minutes": " "}, "REQUIRED", ["input", "minutes"]),
        ({"minutes": "纪" * 20_001}, "TOO_LONG", ["input", "minutes"]),
        ({"serviceId": global_id("Service", 999_999)}, "NOT_FOUND", ["input", "serviceId"]),
    ]
    for change, code, field in cases:
        payload = (await fresh_api.data(mutation, {"input": {**valid, **change}}, as_="station"))[
            "recordHearing"
        ]
        assert payload["meeting"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)], change
    assert await scalar(fresh_api, "SELECT count(*) FROM meetings") == 0
    both = {**valid, "projectId": global_id("Project", 1)}
    assert (await fresh_api.data(mutation, {"input": both}, as_="station"))["recordHearing"]["userErrors"]
    ok = (await fresh_api.data(mutation, {"input": valid}, as_="station"))["recordHearing"]
    assert ok["userErrors"] == [] and ok["meeting"]["id"]


async def test_the_same_idempotency_key_returns_the_same_order(fresh_api):
    service = await unlimited_service(fresh_api)
    first_input = place_input(service)
    first = (await fresh_api.data(PLACE, {"input": first_input}, as_="station"))["placeOrder"]
    again = (await fresh_api.data(PLACE, {"input": first_input}, as_="station"))["placeOrder"]
    assert again["userErrors"] == [] and again["order"]["id"] == first["order"]["id"]
    assert await scalar(fresh_api, "SELECT count(*) FROM orders") == 1
    assert await scalar(fresh_api, "SELECT count(*) FROM order_events") == 1
    # Still the same order after it moved on.
    await act(fresh_api, "ACCEPT", first["order"], as_="provider")
    later = (await fresh_api.data(PLACE, {"input": first_input}, as_="station"))["placeOrder"]
    assert later["order"]["id"] == first["order"]["id"] and later["order"]["status"] == "ACCEPTED"
    # Any difference in the request is another order, which the key cannot place.
    for change in (
        {"quantity": 2},
        {"notes": "另一张订单"},
        {"resident": {"name": "王阿姨", "phone": "13900139000"}},
        {"urgency": "KEY"},
    ):
        different = await fresh_api.data(PLACE, {"input": {**first_input, **change}}, as_="station")
        assert [(e["code"], e["field"]) for e in different["placeOrder"]["userErrors"]] == [
            ("IDEMPOTENCY_KEY_REUSED", ["input", "idempotencyKey"])
        ], change
        assert different["placeOrder"]["order"] is None
    # The same request with its notes spaced otherwise is the same request.
    spaced = {**first_input, "notes": f"  {first_input['notes']} "}
    same = (await fresh_api.data(PLACE, {"input": spaced}, as_="station"))["placeOrder"]
    assert same["userErrors"] == [] and same["order"]["id"] == first["order"]["id"]
    assert await scalar(fresh_api, "SELECT count(*) FROM orders") == 1


async def test_a_reused_key_with_another_resident_never_answers_with_the_first_residents_order(fresh_api):
    service = await unlimited_service(fresh_api)
    first_input = place_input(service, resident={"name": "李奶奶", "phone": "13800138001"})
    first = (await fresh_api.data(PLACE, {"input": first_input}, as_="station"))["placeOrder"]
    assert first["userErrors"] == []
    other = {**first_input, "resident": {"name": "赵爷爷", "phone": "13800138002"}}
    again = (await fresh_api.data(PLACE, {"input": other}, as_="station"))["placeOrder"]
    assert again["order"] is None
    assert [e["code"] for e in again["userErrors"]] == ["IDEMPOTENCY_KEY_REUSED"]
    assert await scalar(fresh_api, "SELECT resident_name FROM orders") == "李奶奶"

    # An order placed before requests were hashed is compared field by field.
    async with fresh_api.engine.begin() as connection:
        await connection.exec_driver_sql("UPDATE orders SET request_hash = NULL")
    retry = (await fresh_api.data(PLACE, {"input": first_input}, as_="station"))["placeOrder"]
    assert retry["userErrors"] == [] and retry["order"]["id"] == first["order"]["id"]
    legacy = (await fresh_api.data(PLACE, {"input": other}, as_="station"))["placeOrder"]
    assert [e["code"] for e in legacy["userErrors"]] == ["IDEMPOTENCY_KEY_REUSED"]


async def test_placing_refuses_bad_input_and_writes_nothing(fresh_api):
    services = await ordered_services(fresh_api)
    service = next(s for s in services if s["capacityPerPeriod"] is None and s["leadTimeDays"] > 0)
    limited = next(s for s in services if s["capacityPerPeriod"] is not None)
    lead = service["leadTimeDays"]
    demand_of_other_station = await scalar(
        fresh_api,
        "SELECT d.id FROM demands d WHERE d.station_id <> (SELECT station_id FROM users WHERE username = 'station') "
        "LIMIT 1",
    )
    cases = [
        ({"idempotencyKey": " "}, "REQUIRED", ["input", "idempotencyKey"]),
        ({"idempotencyKey": "k" * 101}, "TOO_LONG", ["input", "idempotencyKey"]),
        ({"serviceId": None}, "REQUIRED", ["input", "serviceId"]),
        ({"projectId": global_id("Project", 1)}, "INVALID", ["input", "projectId"]),
        ({"quantity": 0}, "OUT_OF_RANGE", ["input", "quantity"]),
        ({"quantity": 10_001}, "OUT_OF_RANGE", ["input", "quantity"]),
        ({"requestedStart": day(-1)}, "IN_THE_PAST", ["input", "requestedStart"]),
        ({"requestedEnd": day(19)}, "INVALID", ["input", "requestedEnd"]),
        ({"requestedEnd": day(400)}, "OUT_OF_RANGE", ["input", "requestedEnd"]),
        ({"requestedStart": day(lead - 1)}, "OUT_OF_RANGE", ["input", "requestedStart"]),
        ({"notes": "注" * 2001}, "TOO_LONG", ["input", "notes"]),
        ({"resident": {"name": "", "phone": "13912345678"}}, "REQUIRED", ["input", "resident", "name"]),
        ({"resident": {"name": "王阿婆", "phone": "not a phone"}}, "INVALID", ["input", "resident", "phone"]),
        ({"serviceId": global_id("Service", 999_999)}, "NOT_FOUND", ["input", "serviceId"]),
        ({"demandId": global_id("Demand", demand_of_other_station)}, "NOT_FOUND", ["input", "demandId"]),
        ({"hearingId": global_id("Meeting", 999_999)}, "NOT_FOUND", ["input", "hearingId"]),
        (
            {
                "serviceId": limited["id"],
                "quantity": limited["capacityPerPeriod"] + 1,
                "requestedStart": day(20),
            },
            "OUT_OF_RANGE",
            ["input", "quantity"],
        ),
    ]
    for change, code, field in cases:
        payload = (await fresh_api.data(PLACE, {"input": place_input(service, **change)}, as_="station"))[
            "placeOrder"
        ]
        assert payload["order"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)], change
    unpublished = await scalar(fresh_api, "SELECT id FROM services WHERE status <> 'PUBLISHED' LIMIT 1")
    hidden = await fresh_api.data(
        PLACE, {"input": place_input({"id": global_id("Service", unpublished)})}, as_="station"
    )
    assert [e["code"] for e in hidden["placeOrder"]["userErrors"]] == ["NOT_FOUND"]
    assert await scalar(fresh_api, "SELECT count(*) FROM orders") == 0
    assert await scalar(fresh_api, "SELECT count(*) FROM order_events") == 0


async def test_a_station_orders_only_from_providers_of_its_district(fresh_api):
    service = await unlimited_service(fresh_api)
    async with fresh_api.engine.begin() as connection:
        await connection.exec_driver_sql("INSERT INTO districts (code, name) VALUES ('310999', '测试区')")
        await connection.exec_driver_sql(
            "UPDATE providers SET district_id = (SELECT id FROM districts WHERE code = '310999') "
            f"WHERE id = (SELECT provider_id FROM services WHERE id = {db_id(service['id'])})"
        )
    payload = (await fresh_api.data(PLACE, {"input": place_input(service)}, as_="station"))["placeOrder"]
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
        ("NOT_ORDERABLE", ["input", "serviceId"])
    ]


async def test_an_order_answers_a_demand_of_its_station(fresh_api):
    service = await unlimited_service(fresh_api)
    demand = (
        await fresh_api.data(
            """{ viewer { station { demands(first: 1, filter: {status: OPEN}) { nodes { id } } } } }""",
            as_="station",
        )
    )["viewer"]["station"]["demands"]["nodes"][0]
    order = await place(fresh_api, service, demandId=demand["id"])
    assert order["demand"] == {"id": demand["id"]}
    listed = await fresh_api.data(
        "query($id: ID!) { orders(filter: {demandId: $id}) { nodes { id } } }",
        {"id": demand["id"]},
        as_="station",
    )
    assert listed["orders"]["nodes"] == [{"id": order["id"]}]


async def test_capacity_per_period_is_never_overbooked(fresh_api):
    service = await unlimited_service(fresh_api)
    async with fresh_api.engine.begin() as connection:
        await connection.exec_driver_sql(
            "UPDATE services SET capacity_per_period = 5, capacity_period = 'WEEK', lead_time_days = 0 "
            f"WHERE id = {db_id(service['id'])}"
        )
    monday = today() + timedelta(days=14 - today().weekday())
    week = [(monday + timedelta(days=offset)).isoformat() for offset in range(7)]
    first = await place(fresh_api, service, quantity=3, requestedStart=week[0], requestedEnd=week[6])
    await place(fresh_api, service, quantity=2, requestedStart=week[6], requestedEnd=week[6])
    full = (
        await fresh_api.data(
            PLACE,
            {"input": place_input(service, requestedStart=week[3], requestedEnd=week[4])},
            as_="station",
        )
    )["placeOrder"]
    assert [(e["code"], e["field"]) for e in full["userErrors"]] == [
        ("CAPACITY_EXCEEDED", ["input", "quantity"])
    ]
    assert "5 of 5" in full["userErrors"][0]["message"]
    # Another week has its own capacity; a cancelled order gives its share back.
    next_week = (monday + timedelta(days=7)).isoformat()
    await place(fresh_api, service, quantity=5, requestedStart=next_week, requestedEnd=next_week)
    await act(fresh_api, "CANCEL", first, as_="station")
    await place(fresh_api, service, quantity=3, requestedStart=week[2], requestedEnd=week[2])


async def test_scheduling_and_answering_check_their_input(fresh_api):
    service = await unlimited_service(fresh_api)
    order = await place(fresh_api, service)
    station_staff = await scalar(fresh_api, "SELECT id FROM users WHERE username = 'station'")
    provider_staff = await scalar(fresh_api, "SELECT id FROM users WHERE username = 'provider'")
    cases = [
        ("ACCEPT", {"responsibleName": ""}, "REQUIRED", ["input", "responsibleName"]),
        ("ACCEPT", {"responsibleName": "张" * 51}, "TOO_LONG", ["input", "responsibleName"]),
        ("ACCEPT", {"responsiblePhone": "电话"}, "INVALID", ["input", "responsiblePhone"]),
        ("ACCEPT", {"note": "注" * 2001}, "TOO_LONG", ["input", "note"]),
        (
            "ACCEPT",
            {"responsibleUserId": global_id("User", station_staff)},
            "INVALID",
            ["input", "responsibleUserId"],
        ),
        ("DECLINE", {"reason": "  "}, "REQUIRED", ["input", "reason"]),
        ("DECLINE", {"reason": "因" * 1001}, "TOO_LONG", ["input", "reason"]),
        ("CANCEL", {"reason": "因" * 1001}, "TOO_LONG", ["input", "reason"]),
    ]
    for action, change, code, field in cases:
        payload = await act(
            fresh_api, action, order, as_="provider" if action != "CANCEL" else "station", **change
        )
        assert payload["order"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)], change
    accepted = await act(
        fresh_api, "ACCEPT", order, as_="provider", responsibleUserId=global_id("User", provider_staff)
    )
    assert accepted["order"]["responsible"]["user"] == {"username": "provider"}
    for change, code in [
        ({"scheduledAt": at(-1)}, "IN_THE_PAST"),
        ({"scheduledAt": f"{day(19)}T23:00:00+08:00"}, "OUT_OF_RANGE"),
        ({"scheduledAt": f"{day(30)}T23:59:00+08:00"}, None),
        ({"scheduledAt": f"{day(30)}T16:00:00+00:00"}, "OUT_OF_RANGE"),
    ]:
        payload = await act(fresh_api, "SCHEDULE", accepted["order"], as_="provider", **change)
        assert [e["code"] for e in payload["userErrors"]] == ([code] if code else []), change
    # A time without an offset is Shanghai time.
    local = await act(
        fresh_api, "SCHEDULE", accepted["order"], as_="provider", scheduledAt=f"{day(25)}T09:00:00"
    )
    assert parse(local["order"]["scheduledAt"]) == parse(f"{day(25)}T09:00:00+08:00")


async def test_evaluating_and_rejecting_check_their_input(fresh_api):
    service = await unlimited_service(fresh_api)
    delivered = await advance(fresh_api, await place(fresh_api, service), "DELIVERED")
    refused = await act(fresh_api, "REJECT_DELIVERY", delivered, as_="station", reason="")
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("REQUIRED", ["input", "reason"])]
    completed = await advance(fresh_api, delivered, "COMPLETED")
    meeting = {"heldAt": now_local(), "attendees": 10, "minutes": "评议会"}
    cases = [
        ({"rating": 0}, "OUT_OF_RANGE", ["input", "rating"]),
        ({"rating": 6}, "OUT_OF_RANGE", ["input", "rating"]),
        ({"satisfaction": -1}, "OUT_OF_RANGE", ["input", "satisfaction"]),
        ({"satisfaction": 101}, "OUT_OF_RANGE", ["input", "satisfaction"]),
        ({"comment": "评" * 2001}, "TOO_LONG", ["input", "comment"]),
        ({"meeting": {**meeting, "heldAt": at(3)}}, "OUT_OF_RANGE", ["input", "meeting", "heldAt"]),
        ({"meeting": {**meeting, "attendees": 0}}, "OUT_OF_RANGE", ["input", "meeting", "attendees"]),
        ({"meeting": {**meeting, "minutes": ""}}, "REQUIRED", ["input", "meeting", "minutes"]),
        ({"meeting": {**meeting, "heldAt": at(-400)}}, "OUT_OF_RANGE", ["input", "meeting", "heldAt"]),
    ]
    for change, code, field in cases:
        payload = await act(fresh_api, "EVALUATE", completed, as_="station", **change)
        assert payload["order"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)], change
    assert (await read(fresh_api, completed))["status"] == "COMPLETED"
    assert await scalar(fresh_api, "SELECT count(*) FROM meetings") == 0


async def test_order_lists_filter_sort_and_page(fresh_api):
    service = await unlimited_service(fresh_api)
    placed = []
    for urgency, start in [("EMERGENCY", 21), ("KEY", 25), ("ROUTINE", 22), ("ROUTINE", 24)]:
        placed.append(await place(fresh_api, service, urgency=urgency, requestedStart=day(start)))
    await advance(fresh_api, placed[0], "ACCEPTED")
    query = """query($filter: OrderFilter, $orderBy: OrderSort, $first: Int, $after: String) {
        orders(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
            totalCount nodes { id urgency status requestedStart createdAt } pageInfo { hasNextPage endCursor } } }"""

    async def ids(as_="station", **variables):
        return [o["id"] for o in (await fresh_api.data(query, variables, as_=as_))["orders"]["nodes"]]

    newest_first = await ids()
    assert newest_first == [o["id"] for o in reversed(placed)]
    assert await ids(filter={"urgency": "ROUTINE"}) == [placed[3]["id"], placed[2]["id"]]
    assert await ids(filter={"status": ["ACCEPTED"]}) == [placed[0]["id"]]
    assert set(await ids(filter={"status": ["ACCEPTED", "SUBMITTED"]})) == {o["id"] for o in placed}
    by_start = await ids(orderBy={"field": "REQUESTED_START", "direction": "ASC"})
    assert by_start == [placed[0]["id"], placed[2]["id"], placed[3]["id"], placed[1]["id"]]
    assert await ids(filter={"placedAfter": placed[2]["createdAt"]}) == [placed[3]["id"], placed[2]["id"]]
    assert await ids(filter={"placedBefore": placed[1]["createdAt"]}) == [placed[0]["id"]]
    station = placed[0]["station"]["id"]
    assert (
        len(await ids(as_="admin", filter={"stationId": station, "providerId": placed[0]["provider"]["id"]}))
        == 4
    )

    first_page = (await fresh_api.data(query, {"first": 3}, as_="station"))["orders"]
    assert first_page["totalCount"] == 4 and first_page["pageInfo"]["hasNextPage"]
    rest = await ids(first=3, after=first_page["pageInfo"]["endCursor"])
    assert [o["id"] for o in first_page["nodes"]] + rest == newest_first
    dated = (
        await fresh_api.data(
            query, {"first": 2, "orderBy": {"field": "REQUESTED_START", "direction": "ASC"}}, as_="station"
        )
    )["orders"]
    after_dated = await ids(
        first=5,
        after=dated["pageInfo"]["endCursor"],
        orderBy={"field": "REQUESTED_START", "direction": "ASC"},
    )
    assert [o["id"] for o in dated["nodes"]] + after_dated == by_start

    nested = await fresh_api.data(
        """query($station: ID!, $provider: ID!) {
            station(id: $station) { orders(first: 10, filter: {urgency: ROUTINE}) { totalCount nodes { id } } }
            provider(id: $provider) { orders(first: 10) { totalCount nodes { id station { id } } } } }""",
        {"station": station, "provider": placed[0]["provider"]["id"]},
        as_="provider",
    )
    assert nested["station"]["orders"]["totalCount"] == 2
    assert nested["provider"]["orders"]["totalCount"] == 4


async def test_many_orders_with_their_relations_take_constant_statements(fresh_api):
    service = await unlimited_service(fresh_api)
    for batch in range(5):
        await asyncio.gather(*(place(fresh_api, service, notes=f"批次{batch}") for _ in range(10)))
    query = """query($first: Int) { orders(first: $first) { totalCount nodes { id status nextActions
        isResponseOverdue responseSecondsLeft resident { name } responsible { name }
        station { name town { name } } service { name provider { name } } project { name } provider { name }
        demand { title } placedBy { username }
        history(first: 5) { totalCount nodes { action actor { username } } } meetings { kind } } } }"""
    await fresh_api.warm(query, {"first": 1}, {"first": 50}, as_="admin")
    with fresh_api.counting_statements() as small:
        await fresh_api.data(query, {"first": 1}, as_="admin")
    with fresh_api.counting_statements() as large:
        data = await fresh_api.data(query, {"first": 50}, as_="admin")
    assert len(data["orders"]["nodes"]) == 50
    assert all(o["history"]["totalCount"] == 1 for o in data["orders"]["nodes"])
    assert len(large) == len(small) <= 11

    # Stations with their orders: the demo station's, among as few or as many others as asked.
    stations = (await fresh_api.data("{ stations(first: 100) { nodes { id } } }"))["stations"]["nodes"]
    own = (await fresh_api.data("{ viewer { station { id } } }", as_="station"))["viewer"]["station"]["id"]
    nested = """query($first: Int) { stations(first: $first) { nodes { name
        orders(first: 5) { totalCount nodes { status service { name } history(first: 2) { nodes { action } } } } } } }"""
    first_with_orders = {"first": [s["id"] for s in stations].index(own) + 1}
    await fresh_api.warm(nested, first_with_orders, {"first": 100}, as_="admin")
    with fresh_api.counting_statements() as small:
        await fresh_api.data(nested, first_with_orders, as_="admin")
    with fresh_api.counting_statements() as large:
        data = await fresh_api.data(nested, {"first": 100}, as_="admin")
    assert sum(s["orders"]["totalCount"] for s in data["stations"]["nodes"]) == 50
    assert len(large) == len(small) <= 6


async def test_an_order_keeps_its_subject_after_the_provider_withdraws_it(fresh_api):
    service = await unlimited_service(fresh_api)
    order = await place(fresh_api, service)
    async with fresh_api.engine.begin() as connection:
        await connection.exec_driver_sql(
            f"UPDATE services SET status = 'RETIRED' WHERE id = {db_id(service['id'])}"
        )
    seen = await fresh_api.data(
        "query($id: ID!) { order(id: $id) { service { id name } urgency } }",
        {"id": order["id"]},
        as_="station",
    )
    assert seen["order"] == {"service": {"id": service["id"], "name": service["name"]}, "urgency": "ROUTINE"}


async def test_order_events_cannot_be_changed(fresh_api):
    service = await unlimited_service(fresh_api)
    await place(fresh_api, service)
    with pytest.raises(Exception, match="immutable"):
        async with fresh_api.engine.begin() as connection:
            await connection.exec_driver_sql("UPDATE order_events SET note = 'rewritten'")
    with pytest.raises(Exception, match="immutable"):
        async with fresh_api.engine.begin() as connection:
            await connection.exec_driver_sql("DELETE FROM order_events")
    assert await scalar(fresh_api, "SELECT note FROM order_events") == "请安排社工上门"


def test_the_lifecycle_table_reaches_every_status_from_submitted():
    reachable, frontier = {"SUBMITTED"}, ["SUBMITTED"]
    while frontier:
        status = frontier.pop()
        for (state, _), transition in LIFECYCLE.items():
            if state.name == status and transition.to.name not in reachable:
                reachable.add(transition.to.name)
                frontier.append(transition.to.name)
    assert reachable == set(ALL_STATUSES)


async def test_notes_meetings_and_filters_check_their_input(fresh_api):
    service = await unlimited_service(fresh_api)
    order = await advance(fresh_api, await place(fresh_api, service), "SCHEDULED")
    for action, role in [("START", "provider"), ("DELIVER", "provider"), ("CONFIRM_DELIVERY", "station")]:
        payload = await act(fresh_api, action, order, as_=role, note="注" * 2001)
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("TOO_LONG", ["input", "note"])]
    for change, code, field in [
        ({"heldAt": at(1)}, "OUT_OF_RANGE", ["input", "heldAt"]),
        ({"attendees": 0}, "OUT_OF_RANGE", ["input", "attendees"]),
        ({"attendees": 10_001}, "OUT_OF_RANGE", ["input", "attendees"]),
        ({"minutes": ""}, "REQUIRED", ["input", "minutes"]),
    ]:
        payload = await act(fresh_api, "RECORD_COORDINATION_MEETING", order, as_="station", **change)
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)], change
    assert (await read(fresh_api, order))["status"] == "SCHEDULED"
    assert await scalar(fresh_api, "SELECT count(*) FROM meetings") == 0
    errors = await fresh_api.errors(
        "query($id: ID!) { orders(filter: {stationId: $id}) { totalCount } }",
        {"id": service["id"]},
        as_="admin",
    )
    assert errors[0]["extensions"]["code"] == "INVALID_ID"
    errors = await fresh_api.errors("{ orders(first: 101) { totalCount } }", as_="admin")
    assert errors[0]["extensions"]["code"] == "PAGE_SIZE_OUT_OF_RANGE"
    wrong = await fresh_api.errors(
        "query($id: ID!) { order(id: $id) { id } }", {"id": service["id"]}, as_="admin"
    )
    assert wrong[0]["extensions"]["code"] == "INVALID_ID"

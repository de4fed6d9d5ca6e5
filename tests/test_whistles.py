"""Whistles (吹哨报到): a station calls a department in for a matter outside any catalog; the
department accepts or refers it within the urgency's response limit; then it is an order."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.case_steps import actions, blow, other_provider, viewer_scope
from tests.order_steps import act, create_account, parse, place, unlimited_service

SHANGHAI = ZoneInfo("Asia/Shanghai")
WHISTLE = """query($id: ID!) { order(id: $id) { id kind status provider { id } nextActions
    responseDueAt isResponseOverdue history(first: 20) { nodes { action note } } } }"""
BLOW_PLAIN = """mutation($p: ID!) { blowWhistle(input: {idempotencyKey: "k", providerId: $p, matter: "m",
    urgency: KEY}) { order { id } } }"""
REFER = """mutation($input: ReferWhistleInput!) { referWhistle(input: $input) {
    order { id status provider { id } responseDueAt } userErrors { code field message currentStatus allowedActions } } }"""


@pytest.fixture
async def world(fresh_api):
    api = fresh_api
    provider_id = (await viewer_scope(api, "provider"))["provider"]["id"]
    second = await other_provider(api, provider_id)
    await create_account(api, "other-provider", "PROVIDER_STAFF", providerId=second)
    return api, provider_id, second


async def test_a_whistle_is_an_order_of_its_own_kind_with_the_urgencys_limits(world):
    api, provider_id, _ = world
    payload = await blow(api, provider_id, idempotencyKey="whistle-1")
    assert payload["userErrors"] == []
    whistle = payload["order"]
    assert whistle["kind"] == "WHISTLE" and whistle["matter"] == "小区河道漂浮垃圾需要清理"
    assert whistle["status"] == "SUBMITTED" and whistle["service"] is None and whistle["project"] is None
    # EMERGENCY: answered within 2 hours, delivered within 24, counted from the whistle.
    blown = parse(whistle["createdAt"])
    assert parse(whistle["responseDueAt"]) - blown == timedelta(hours=2)
    assert parse(whistle["deliveryDueAt"]) - blown == timedelta(hours=24)
    assert actions(whistle) == ["PLACE"]
    assert whistle["nextActions"] == ["CANCEL"]
    seen = (await api.data(WHISTLE, {"id": whistle["id"]}, as_="provider"))["order"]
    assert seen["nextActions"] == ["ACCEPT", "DECLINE", "REFER"]

    # A retry with the key finds the first whistle; the key used for another matter is refused.
    again = await blow(api, provider_id, idempotencyKey="whistle-1")
    assert again["order"]["id"] == whistle["id"]
    other = await blow(api, provider_id, idempotencyKey="whistle-1", matter="另一件事")
    assert [e["code"] for e in other["userErrors"]] == ["IDEMPOTENCY_KEY_REUSED"]

    # Lists of orders tell whistles apart; the statistics count them as orders placed today.
    listed = await api.data(
        "{ whistles: orders(first: 50, filter: {kind: WHISTLE}) { nodes { id } }"
        " catalog: orders(first: 50, filter: {kind: CATALOG}) { nodes { id } } }",
        as_="station",
    )
    assert [o["id"] for o in listed["whistles"]["nodes"]] == [whistle["id"]]
    assert whistle["id"] not in [o["id"] for o in listed["catalog"]["nodes"]]
    today = datetime.now(SHANGHAI).date().isoformat()
    figures = await api.data(
        "query($f: StatisticsFilter) { statistics(filter: $f) { totals { orders { placed } } } }",
        {"f": {"from": today, "to": today}},
        as_="admin",
    )
    assert figures["statistics"]["totals"]["orders"]["placed"] == 1

    # Accepted, it has no catalog subject to hold coordination meetings on.
    accepted = (await act(api, "ACCEPT", whistle, as_="provider"))["order"]
    assert accepted["nextActions"] == ["SCHEDULE"]
    station_view = (await api.data(WHISTLE, {"id": whistle["id"]}, as_="station"))["order"]
    assert station_view["nextActions"] == ["CANCEL"]
    meeting = await act(api, "RECORD_COORDINATION_MEETING", whistle, as_="station")
    assert [e["code"] for e in meeting["userErrors"]] == ["ILLEGAL_TRANSITION"]


async def test_the_called_department_refers_a_whistle_by_the_same_deadline(world):
    api, provider_id, second = world
    whistle = (await blow(api, provider_id, urgency="KEY"))["order"]
    referred = (
        await api.data(
            REFER,
            {"input": {"orderId": whistle["id"], "providerId": second, "reason": "非本部门职责"}},
            as_="provider",
        )
    )["referWhistle"]
    assert referred["userErrors"] == []
    assert referred["order"]["provider"]["id"] == second
    assert referred["order"]["responseDueAt"] == whistle["responseDueAt"]
    # The department it left no longer sees it; the one it reached answers it.
    assert (await api.data(WHISTLE, {"id": whistle["id"]}, as_="provider"))["order"] is None
    seen = (await api.data(WHISTLE, {"id": whistle["id"]}, as_="other-provider"))["order"]
    assert [(e["action"], e["note"]) for e in seen["history"]["nodes"]] == [
        ("PLACE", "小区河道漂浮垃圾需要清理"),
        ("REFER", "非本部门职责"),
    ]
    assert (await act(api, "ACCEPT", whistle, as_="other-provider"))["order"]["status"] == "ACCEPTED"
    # Once answered it is no longer referred.
    late = (
        await api.data(
            REFER,
            {"input": {"orderId": whistle["id"], "providerId": provider_id, "reason": "退回"}},
            as_="other-provider",
        )
    )["referWhistle"]
    assert [(e["code"], e["currentStatus"]) for e in late["userErrors"]] == [
        ("ILLEGAL_TRANSITION", "ACCEPTED")
    ]


async def test_catalog_orders_are_not_referred_and_whistles_are_blown_by_stations_only(world):
    api, provider_id, second = world
    order = await place(api, await unlimited_service(api))
    refused = (
        await api.data(
            REFER, {"input": {"orderId": order["id"], "providerId": second, "reason": "转"}}, as_="provider"
        )
    )["referWhistle"]
    assert [(e["code"], e["allowedActions"]) for e in refused["userErrors"]] == [
        ("ILLEGAL_TRANSITION", ["ACCEPT", "DECLINE"])
    ]
    for viewer in ("provider", "town", "admin"):
        errors = await api.errors(
            BLOW_PLAIN,
            {"p": provider_id},
            as_=viewer,
        )
        assert errors[0]["extensions"]["code"] == "FORBIDDEN", viewer
    anonymous = await api.errors(
        BLOW_PLAIN,
        {"p": provider_id},
    )
    assert anonymous[0]["extensions"]["code"] == "UNAUTHENTICATED"

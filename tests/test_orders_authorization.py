"""Who may see and change which orders: roles × operations, and the resident's personal data."""

from __future__ import annotations

import pytest

from tests.order_steps import (
    ERRORS,
    MUTATIONS,
    PLACE,
    act,
    action_input,
    advance,
    at,
    create_account,
    mutation_text,
    place,
    place_input,
    stations,
    unlimited_service,
)

SEE = """query($id: ID!) { order(id: $id) { id resident { name phone } isProxy }
    node(id: $id) { id }
    orders(first: 50) { totalCount nodes { id } } }"""
NESTED = """query($station: ID!, $provider: ID!) {
    station(id: $station) { orders(first: 10) { totalCount } }
    provider(id: $provider) { orders(first: 10) { totalCount } } }"""
RESIDENT = {"name": "王阿婆", "phone": "13912345678"}


@pytest.fixture
async def world(fresh_api):
    """A proxy order of the demo station, plus a station of another town, a provider of another
    department and their accounts, made by the administrator."""
    api = fresh_api
    service = await unlimited_service(api)
    order = await place(api, service, resident=RESIDENT)
    town = (await api.data("{ viewer { town { id } } }", as_="town"))["viewer"]["town"]["id"]
    [far_station] = await stations(api, 1, other_town_than=town)
    await create_account(api, "far-station", "STATION_STAFF", stationId=far_station["id"])
    other_provider = next(
        p
        for p in (await api.data("{ providers(first: 100) { nodes { id } } }"))["providers"]["nodes"]
        if p["id"] != order["provider"]["id"]
    )
    await create_account(api, "other-provider", "PROVIDER_STAFF", providerId=other_provider["id"])
    await create_account(api, "far-town", "TOWN_STAFF", townId=far_station["town"]["id"])
    return api, service, order


async def test_each_role_sees_the_orders_of_its_scope_and_the_resident_only_where_allowed(world):
    api, _, order = world
    for viewer, sees in [
        ("station", True),
        ("provider", True),
        ("town", True),
        ("admin", True),
        ("far-station", False),
        ("other-provider", False),
        ("far-town", False),
        (None, False),
    ]:
        data = await api.data(SEE, {"id": order["id"]}, as_=viewer)
        if sees:
            assert data["order"]["id"] == data["node"]["id"] == order["id"], viewer
            assert [o["id"] for o in data["orders"]["nodes"]] == [order["id"]], viewer
        else:
            # Hidden answers exactly like missing.
            assert data == {"order": None, "node": None, "orders": {"totalCount": 0, "nodes": []}}, viewer
        nested = await api.data(
            NESTED, {"station": order["station"]["id"], "provider": order["provider"]["id"]}, as_=viewer
        )
        counts = (nested["station"]["orders"]["totalCount"], nested["provider"]["orders"]["totalCount"])
        assert counts == ((1, 1) if sees else (0, 0)), viewer

    # The resident's name and phone: the ordering station and the delivering provider only.
    for viewer, resident in [("station", RESIDENT), ("provider", RESIDENT), ("town", None), ("admin", None)]:
        data = await api.data(SEE, {"id": order["id"]}, as_=viewer)
        assert data["order"]["resident"] == resident, viewer
        assert data["order"]["isProxy"] is True
    listed = await api.data("{ orders(first: 5) { nodes { resident { name } } } }", as_="admin")
    assert listed["orders"]["nodes"] == [{"resident": None}]

    # Its history and meetings follow the order.
    accepted = await advance(api, order, "ACCEPTED")
    recorded = await act(api, "RECORD_COORDINATION_MEETING", accepted, as_="station")
    meeting_id = recorded["meeting"]["id"]
    events = await api.data(
        "query($id: ID!) { order(id: $id) { history(first: 5) { nodes { id } } } }",
        {"id": order["id"]},
        as_="admin",
    )
    event_id = events["order"]["history"]["nodes"][0]["id"]
    query = "query($e: ID!, $m: ID!) { event: node(id: $e) { id } meeting(id: $m) { id kind } }"
    for viewer, sees in [
        ("station", True),
        ("provider", True),
        ("town", True),
        ("far-station", False),
        (None, False),
    ]:
        data = await api.data(query, {"e": event_id, "m": meeting_id}, as_=viewer)
        assert (data["event"] is not None, data["meeting"] is not None) == (sees, sees), viewer


async def test_changes_need_a_signed_in_role_that_may_act_on_an_order_in_its_scope(world):
    api, service, order = world
    errors = await api.errors(PLACE, {"input": place_input(service)})
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    for action in MUTATIONS:
        errors = await api.errors(mutation_text(action), {"input": action_input(action, order)})
        assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED", action

    # Roles that can never take an action are refused outright.
    provider_side = {"ACCEPT", "DECLINE", "SCHEDULE", "START", "DELIVER"}
    for viewer in ("provider", "town", "admin"):
        errors = await api.errors(PLACE, {"input": place_input(service)}, as_=viewer)
        assert errors[0]["extensions"]["code"] == "FORBIDDEN", viewer
    hearing = """mutation($input: RecordHearingInput!) { recordHearing(input: $input) { meeting { id } } }"""
    hearing_input = {
        "serviceId": service["id"],
        "heldAt": at(-1),
        "attendees": 5,
        "votesFor": 5,
        "votesAgainst": 0,
        "votesAbstaining": 0,
        "decision": "APPROVED",
        "minutes": "纪要",
    }
    assert (await api.errors(hearing, {"input": hearing_input}, as_="provider"))[0]["extensions"]["code"] == (
        "FORBIDDEN"
    )
    for action in MUTATIONS:
        forbidden = ["town", "station" if action in provider_side else "provider"]
        for viewer in forbidden:
            errors = await api.errors(
                mutation_text(action), {"input": action_input(action, order)}, as_=viewer
            )
            assert errors[0]["extensions"]["code"] == "FORBIDDEN", (action, viewer)

    # Staff whose role may act, outside the order's scope, find nothing to act on.
    for viewer, action in [
        ("far-station", "CANCEL"),
        ("other-provider", "ACCEPT"),
        ("other-provider", "DECLINE"),
    ]:
        payload = await act(api, action, order, as_=viewer)
        assert payload["order"] is None
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
            ("NOT_FOUND", ["input", "orderId"])
        ]
    missing = await act(api, "CANCEL", {**order, "id": "T3JkZXI6OTk5OTk5"}, as_="station")
    assert [e["code"] for e in missing["userErrors"]] == ["NOT_FOUND"]
    assert (await api.data(SEE, {"id": order["id"]}, as_="station"))["order"]["id"] == order["id"]


async def test_a_station_records_hearings_only_for_itself(world):
    api, service, _ = world
    mutation = f"""mutation($input: RecordHearingInput!) {{ recordHearing(input: $input) {{
        meeting {{ id station {{ id }} }} {ERRORS} }} }}"""
    hearing = {
        "serviceId": service["id"],
        "heldAt": at(-1),
        "attendees": 8,
        "votesFor": 6,
        "votesAgainst": 1,
        "votesAbstaining": 1,
        "decision": "APPROVED",
        "minutes": "纪要",
    }
    far = (await api.data(mutation, {"input": hearing}, as_="far-station"))["recordHearing"]
    # Another station's hearing cannot carry this station's order.
    payload = (
        await api.data(PLACE, {"input": place_input(service, hearingId=far["meeting"]["id"])}, as_="station")
    )["placeOrder"]
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("NOT_FOUND", ["input", "hearingId"])]
    assert (
        await api.data(
            "query($id: ID!) { meeting(id: $id) { id } }", {"id": far["meeting"]["id"]}, as_="station"
        )
    )["meeting"] is None

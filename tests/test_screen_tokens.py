"""Screen tokens: issued by a station's staff (or a provider's), read that board and feed only, revocable."""

from __future__ import annotations

import asyncio
import hashlib
import uuid

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.conftest import Api
from tests.helpers import execute, scalar
from tests.live import GraphQLSocket, served_app
from tests.order_steps import PLACE, advance, db_id, place, place_input, stations, unlimited_service

WAIT = 20  # seconds a message may take before the test fails; not a timing assertion
ISSUE = """mutation($input: IssueScreenTokenInput!) { issueScreenToken(input: $input) {
    token screenToken { id name revokedAt station { code } provider { name } } userErrors { code field } } }"""
REVOKE = """mutation($id: ID!) { revokeScreenToken(input: {screenTokenId: $id}) {
    screenToken { id revokedAt } userErrors { code field } } }"""
LIST = "{ screenTokens(first: 10) { nodes { id name revokedAt station { code } provider { name } } } }"
BOARD = """{ stationBoard { station { code } liveCursor todayByStatus { status label count }
    overdue(first: 5) { totalCount } awaitingConfirmation(first: 5) { nodes { id status resident { name } } } } }"""
FEED = "subscription($id: ID!) { stationFeed(stationId: $id) { action order { id status } } }"


async def _ids(api: Api) -> dict:
    data = await api.data("{ viewer { station { id code } } }", as_="station")
    provider = await api.data("{ viewer { provider { id } } }", as_="provider")
    return {**data["viewer"]["station"], "provider": provider["viewer"]["provider"]["id"]}


async def _issue(api: Api, as_: str, **scope) -> dict:
    payload = (await api.data(ISSUE, {"input": {"name": "大厅电视", **scope}}, as_=as_))["issueScreenToken"]
    assert payload["userErrors"] == [], payload
    return payload


def _as_screen(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


async def test_station_staff_issue_list_and_revoke_their_screens_tokens_kept_hashed(fresh_api):
    api = fresh_api
    ids = await _ids(api)
    other = (await stations(api, 1))[0]["id"]

    issued = await _issue(api, "station", stationId=ids["id"])
    token = issued["token"]
    assert token.startswith("dss_") and len(token) > 40
    assert issued["screenToken"]["station"] == {"code": ids["code"]}
    assert issued["screenToken"]["revokedAt"] is None
    # Only the hash is kept: the token itself is nowhere in the table.
    assert await scalar(api, "SELECT count(*) FROM screen_tokens WHERE token_hash = :t", t=token) == 0
    digest = hashlib.sha256(token.encode()).hexdigest()
    assert await scalar(api, "SELECT count(*) FROM screen_tokens WHERE token_hash = :h", h=digest) == 1

    listed = (await api.data(LIST, as_="station"))["screenTokens"]["nodes"]
    assert [t["id"] for t in listed] == [issued["screenToken"]["id"]]
    assert (await api.data(LIST, as_="admin"))["screenTokens"]["nodes"][0]["id"] == issued["screenToken"][
        "id"
    ]
    assert (await api.data(LIST, as_="provider"))["screenTokens"]["nodes"] == []

    refused = [
        ("station", {"stationId": other}, "NOT_PERMITTED"),
        ("town", {"stationId": ids["id"]}, "NOT_PERMITTED"),
        ("provider", {"stationId": ids["id"]}, "NOT_PERMITTED"),
        ("station", {}, "REQUIRED"),
        ("admin", {"stationId": ids["id"], "providerId": ids["provider"]}, "REQUIRED"),
    ]
    for role, scope, code in refused:
        payload = (await api.data(ISSUE, {"input": {"name": "x", **scope}}, as_=role))["issueScreenToken"]
        assert payload["token"] is None and [e["code"] for e in payload["userErrors"]] == [code], (
            role,
            scope,
        )
    anonymous = await api.post(ISSUE, {"input": {"name": "x", "stationId": ids["id"]}})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await scalar(api, "SELECT count(*) FROM screen_tokens") == 1

    assert (await api.data(BOARD, headers=_as_screen(token)))["stationBoard"]["station"]["code"] == ids[
        "code"
    ]
    stranger = (await api.data(REVOKE, {"id": issued["screenToken"]["id"]}, as_="provider"))[
        "revokeScreenToken"
    ]
    assert [e["code"] for e in stranger["userErrors"]] == ["NOT_FOUND"]
    revoked = (await api.data(REVOKE, {"id": issued["screenToken"]["id"]}, as_="station"))[
        "revokeScreenToken"
    ]
    assert revoked["userErrors"] == [] and revoked["screenToken"]["revokedAt"] is not None
    # Refused at once, also by an answer the response cache kept for it.
    errors = await api.errors(BOARD, headers=_as_screen(token))
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_screen_token_reads_its_board_feed_and_labels_and_nothing_else(fresh_api):
    api = fresh_api
    ids = await _ids(api)
    other = (await stations(api, 1))[0]["id"]
    service = await unlimited_service(api)
    delivered = await advance(api, await place(api, service), "DELIVERED")
    past = await advance(api, await place(api, service), "EVALUATED")
    await execute(
        api,
        "UPDATE orders SET created_at = created_at - interval '3 days' WHERE id = :id",
        id=db_id(past["id"]),
    )
    screen = _as_screen((await _issue(api, "station", stationId=ids["id"]))["token"])

    board = (await api.data(BOARD, headers=screen))["stationBoard"]
    # A wall screen shows no resident's name or phone.
    assert board["awaitingConfirmation"]["nodes"] == [
        {"id": delivered["id"], "status": "DELIVERED", "resident": None}
    ]
    assert {c["status"]: (c["label"], c["count"]) for c in board["todayByStatus"]}["DELIVERED"] == (
        "待确认",
        1,
    )
    labels = await api.data(
        "{ labels(enums: [ORDER_STATUS]) { enum values { value label } } }", headers=screen
    )
    assert {"value": "SUBMITTED", "label": "待受理"} in labels["labels"][0]["values"]
    # Inside the board, the station's orders are those a board shows: not its evaluated past.
    inside = await api.data(
        "{ stationBoard { station { orders(first: 50) { nodes { id } } } } }", headers=screen
    )
    assert [o["id"] for o in inside["stationBoard"]["station"]["orders"]["nodes"]] == [delivered["id"]]

    refused = [
        ('{ stationBoard(stationId: "' + other + '") { day } }', "NOT_FOUND"),
        ("{ orders(first: 5) { nodes { id } } }", "FORBIDDEN"),
        ('{ order(id: "' + delivered["id"] + '") { id } }', "FORBIDDEN"),
        ('{ node(id: "' + delivered["id"] + '") { id } }', "FORBIDDEN"),
        ("{ viewer { id } }", "FORBIDDEN"),
        ("{ stations(first: 1) { nodes { id } } }", "FORBIDDEN"),
        ("{ services(first: 1) { nodes { id } } }", "FORBIDDEN"),
        ("{ screenTokens(first: 1) { nodes { id } } }", "FORBIDDEN"),
        ("{ providerBoard { day } }", "FORBIDDEN"),
        (
            "{ ...Sneaky } fragment Sneaky on Query { stationBoard { day } orders(first: 1) { nodes { id } } }",
            "FORBIDDEN",
        ),
        ("{ __schema { types { name } } }", "FORBIDDEN"),
    ]
    for query, code in refused:
        errors = await api.errors(query, headers=screen)
        assert errors[0]["extensions"]["code"] == code, (query, errors)
    mutation = await api.errors(PLACE, {"input": place_input(service)}, headers=screen)
    assert mutation[0]["extensions"]["code"] == "FORBIDDEN"
    issue = await api.errors(ISSUE, {"input": {"name": "x", "stationId": ids["id"]}}, headers=screen)
    assert issue[0]["extensions"]["code"] == "FORBIDDEN"
    assert await scalar(api, "SELECT count(*) FROM orders") == 2
    export = await api.http.get("/exports/orders.csv", headers=screen)
    assert export.status_code == 403


async def test_a_providers_console_token_reads_its_board_and_inbox_only(fresh_api):
    api = fresh_api
    ids = await _ids(api)
    console = _as_screen((await _issue(api, "provider", providerId=ids["provider"]))["token"])
    order = await place(api, await unlimited_service(api))
    board = await api.data(
        "{ providerBoard { newOrders(first: 5) { nodes { id resident { name } } } } }", headers=console
    )
    assert board["providerBoard"]["newOrders"]["nodes"] == [{"id": order["id"], "resident": None}]
    for query, code in [
        ('{ stationBoard(stationId: "' + ids["id"] + '") { day } }', "FORBIDDEN"),
        ("{ orders(first: 5) { nodes { id } } }", "FORBIDDEN"),
    ]:
        assert (await api.errors(query, headers=console))[0]["extensions"]["code"] == code


async def _until(condition) -> None:
    """Waits (up to WAIT seconds) for a condition of the served app to hold."""
    for _ in range(WAIT * 20):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("never held")


@pytest.fixture
async def served(server, template):
    url = await server.clone(template, f"doorstep_screen_{uuid.uuid4().hex[:8]}")
    async with served_app(url) as app, httpx.AsyncClient(base_url=app.http_url, timeout=30) as http:
        yield app, Api(http, app.app.state.engine)


async def test_revoking_a_token_closes_the_screen_subscribed_with_it(served):
    app, api = served
    ids = await _ids(api)
    service = await unlimited_service(api)
    kept = await _issue(api, "station", stationId=ids["id"])
    revoked = await _issue(api, "admin", stationId=ids["id"])
    async with (
        GraphQLSocket.open(app.ws_url, kept["token"]) as staying,
        GraphQLSocket.open(app.ws_url, revoked["token"]) as leaving,
    ):
        await staying.subscribe("alerts", "subscription { deadlineAlerts { action } }")
        refusal = await staying.receive("alerts", WAIT)
        assert refusal["type"] == "error" and refusal["payload"][0]["extensions"]["code"] == "FORBIDDEN"
        for socket in (staying, leaving):
            await socket.subscribe("feed", FEED, {"id": ids["id"]})
        await _until(lambda: len(app.app.state.broker.subscribers) == 2)
        first = await place(api, service)
        for socket in (staying, leaving):
            assert (await socket.next_data("feed", WAIT))["stationFeed"]["order"]["id"] == first["id"]
        payload = await api.data(REVOKE, {"id": revoked["screenToken"]["id"]}, as_="station")
        assert payload["revokeScreenToken"]["userErrors"] == []
        await place(api, service)
        assert (await staying.next_data("feed", WAIT))["stationFeed"]["action"] == "PLACE"
        with pytest.raises(ConnectionClosed) as closed:
            await leaving.receive("feed", WAIT)
    assert closed.value.rcvd.code == 4403
    assert closed.value.rcvd.reason == "screen token revoked"
    with pytest.raises(ConnectionClosed) as refused:
        async with GraphQLSocket.open(app.ws_url, revoked["token"]):
            pass
    assert refused.value.rcvd.code == 4403

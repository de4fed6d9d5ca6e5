"""The station board and the provider board: one query draws a screen, a live feed keeps it current."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import httpx
from sqlalchemy import text

from doorstep.database import create_engine
from tests.conftest import Api
from tests.helpers import global_id, scalar
from tests.live import GraphQLSocket, live_server
from tests.order_steps import (
    ALL_STATUSES,
    SHANGHAI,
    act,
    advance,
    at,
    db_id,
    place,
    stations,
    unlimited_service,
)

LIST = "totalCount nodes { id status }"
STATION_BOARD = f"""query($id: ID) {{ stationBoard(stationId: $id) {{
    station {{ id }} day liveCursor
    todayByStatus {{ status label count }}
    overdue(first: 10) {{ {LIST} }}
    dueWithinHour(first: 10) {{ {LIST} }}
    awaitingConfirmation(first: 10) {{ {LIST} }}
    awaitingEvaluation(first: 10) {{ {LIST} }}
    openDemands(first: 10) {{ totalCount nodes {{ id title status suggestions(first: 2) {{ score }} }} }}
    nextMeetings(first: 5) {{ nodes {{ id isPlanned }} }}
    meetings(first: 5) {{ nodes {{ id kind decision ordersAuthorized ordersPlaced }} }}
}} }}"""
PROVIDER_BOARD = f"""query {{ providerBoard {{
    provider {{ id }} day liveCursor
    todayByStatus {{ status count }}
    newOrders(first: 10) {{ {LIST} }}
    overdue(first: 10) {{ {LIST} }}
    dueToday(first: 10) {{ {LIST} }}
}} }}"""
POST_DEMAND = """mutation($input: PostDemandInput!) { postDemand(input: $input) {
    demand { id } userErrors { code field message } } }"""
RECORD_HEARING = """mutation($input: RecordHearingInput!) { recordHearing(input: $input) {
    meeting { id } userErrors { code field message } } }"""
PLAN_HEARING = """mutation($input: PlanHearingInput!) { planHearing(input: $input) {
    meeting { id } userErrors { code field message } } }"""


async def set_due(api: Api, order: dict, column: str, moment: str) -> None:
    """Test set-up: move an order's deadline (in SQL, as the clock would)."""
    async with api.engine.begin() as connection:
        await connection.execute(
            text(f"UPDATE orders SET {column} = {moment} WHERE id = :id"), {"id": db_id(order["id"])}
        )


async def post_demand(api: Api, title: str) -> str:
    category = (await api.data("{ categories { id } }"))["categories"][0]["id"]
    demand = {
        "title": title,
        "categoryId": category,
        "audiences": ["EVERYONE"],
        "beneficiaries": 30,
        "urgency": "KEY",
    }
    payload = (await api.data(POST_DEMAND, {"input": demand}, as_="station"))["postDemand"]
    assert payload["userErrors"] == []
    return payload["demand"]["id"]


async def make_a_day(api: Api) -> dict:
    """Orders, demands and a hearing of the demo station, in every state a board shows."""
    service = await unlimited_service(api)
    waiting, late, due_soon, delivered, completed, cancelled = [await place(api, service) for _ in range(6)]
    await set_due(api, late, "response_due_at", "now() - interval '2 hours'")
    # Within the hour, and still today in the district (the board's day).
    tomorrow = datetime.now(SHANGHAI).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    soon = min(datetime.now(SHANGHAI) + timedelta(minutes=30), tomorrow - timedelta(minutes=1))
    await set_due(api, due_soon, "response_due_at", f"'{soon.isoformat()}'::timestamptz")
    await advance(api, delivered, "DELIVERED")
    await advance(api, completed, "COMPLETED")
    await advance(api, cancelled, "CANCELLED")
    demand = await post_demand(api, "老年人助餐服务")
    closed = await post_demand(api, "社区健身器材维修")
    await api.data(
        "mutation($id: ID!) { closeDemand(input: {demandId: $id}) { demand { id } } }",
        {"id": closed},
        as_="station",
    )
    hearing = {
        "serviceId": service["id"],
        "heldAt": at(-1, 19),
        "attendees": 30,
        "votesFor": 20,
        "votesAgainst": 5,
        "votesAbstaining": 5,
        "decision": "APPROVED",
        "ordersAuthorized": 2,
        "minutes": "居民同意引入该服务",
    }
    meeting = (await api.data(RECORD_HEARING, {"input": hearing}, as_="station"))["recordHearing"]
    assert meeting["userErrors"] == []
    plan = {"serviceId": service["id"], "heldAt": at(7, 19), "agenda": "是否增加助餐点"}
    planned = (await api.data(PLAN_HEARING, {"input": plan}, as_="station"))["planHearing"]
    assert planned["userErrors"] == []
    return {
        "service": service,
        "waiting": waiting["id"],
        "late": late["id"],
        "due_soon": due_soon["id"],
        "delivered": delivered["id"],
        "completed": completed["id"],
        "cancelled": cancelled["id"],
        "demand": demand,
        "hearing": meeting["meeting"]["id"],
        "planned": planned["meeting"]["id"],
    }


def listed(connection: dict) -> list[str]:
    assert connection["totalCount"] == len(connection["nodes"])
    return [node["id"] for node in connection["nodes"]]


async def test_a_station_board_shows_its_day(fresh_api):
    made = await make_a_day(fresh_api)
    board = (await fresh_api.data(STATION_BOARD, as_="station"))["stationBoard"]
    own = (await fresh_api.data("{ viewer { station { id } } }", as_="station"))["viewer"]["station"]["id"]
    assert board["station"] == {"id": own}
    assert board["day"] == datetime.now(SHANGHAI).date().isoformat()
    counts = {entry["status"]: entry["count"] for entry in board["todayByStatus"]}
    assert counts == {
        **dict.fromkeys(ALL_STATUSES, 0),
        "SUBMITTED": 3,
        "DELIVERED": 1,
        "COMPLETED": 1,
        "CANCELLED": 1,
    }
    assert [entry["status"] for entry in board["todayByStatus"]] == ALL_STATUSES
    assert {entry["status"]: entry["label"] for entry in board["todayByStatus"]}["SUBMITTED"] == "待受理"
    assert listed(board["overdue"]) == [made["late"]]
    assert listed(board["dueWithinHour"]) == [made["due_soon"]]
    assert listed(board["awaitingConfirmation"]) == [made["delivered"]]
    assert listed(board["awaitingEvaluation"]) == [made["completed"]]
    # The demo station has demands of its own besides the one posted here (and the one closed).
    demands = board["openDemands"]["nodes"]
    assert (demands[0]["id"], demands[0]["status"]) == (made["demand"], "OPEN")
    assert {d["status"] for d in demands} <= {"OPEN", "MATCHED", "IN_PROGRESS"}
    unmet = await scalar(
        fresh_api,
        "SELECT count(*) FROM demands WHERE station_id = :station AND status IN ('OPEN', 'MATCHED', 'IN_PROGRESS')",
        station=db_id(own),
    )
    assert board["openDemands"]["totalCount"] == unmet and len(demands) == min(unmet, 10)
    assert len(demands[0]["suggestions"]) == 2 and all(s["score"] > 0 for s in demands[0]["suggestions"])
    assert board["nextMeetings"]["nodes"] == [{"id": made["planned"], "isPlanned": True}]
    assert board["meetings"]["nodes"] == [
        {
            "id": made["planned"],
            "kind": "HEARING",
            "decision": None,
            "ordersAuthorized": None,
            "ordersPlaced": None,
        },
        {
            "id": made["hearing"],
            "kind": "HEARING",
            "decision": "APPROVED",
            "ordersAuthorized": 2,
            "ordersPlaced": 0,
        },
    ]


async def test_a_provider_board_shows_new_late_and_due_today(fresh_api):
    made = await make_a_day(fresh_api)
    board = (await fresh_api.data(PROVIDER_BOARD, as_="provider"))["providerBoard"]
    own = (await fresh_api.data("{ viewer { provider { id } } }", as_="provider"))["viewer"]["provider"]["id"]
    assert board["provider"] == {"id": own}
    assert listed(board["newOrders"]) == [made["waiting"], made["late"], made["due_soon"]]
    assert listed(board["overdue"]) == [made["late"]]
    assert listed(board["dueToday"]) == [made["due_soon"]]
    counts = {entry["status"]: entry["count"] for entry in board["todayByStatus"]}
    assert (counts["SUBMITTED"], counts["DELIVERED"], counts["COMPLETED"], counts["EVALUATED"]) == (
        3,
        1,
        1,
        0,
    )


async def test_boards_cost_a_bounded_number_of_statements(fresh_api):
    await make_a_day(fresh_api)
    await fresh_api.warm(STATION_BOARD, {}, as_="station")
    await fresh_api.warm(PROVIDER_BOARD, {}, as_="provider")
    with fresh_api.counting_statements() as station_trips:
        await fresh_api.data(STATION_BOARD, as_="station")
    with fresh_api.counting_statements() as provider_trips:
        await fresh_api.data(PROVIDER_BOARD, as_="provider")
    # Three times the orders, demands and meetings cost the same statements.
    await make_a_day(fresh_api)
    await make_a_day(fresh_api)
    with fresh_api.counting_statements() as station_again:
        await fresh_api.data(STATION_BOARD, as_="station")
    with fresh_api.counting_statements() as provider_again:
        await fresh_api.data(PROVIDER_BOARD, as_="provider")
    # Station: the signed-in account, the station's town, counts, four order lists (each first page
    # counts its total in its own statement), demands and their suggestions, next meetings, meetings
    # and their orders placed, the station.
    assert len(station_trips) == len(station_again) == 13, station_again
    # Provider: the signed-in account, counts, three order lists, the provider.
    assert len(provider_trips) == len(provider_again) == 6, provider_again


async def test_who_sees_which_board(fresh_api):
    own = (await fresh_api.data("{ viewer { station { id } } }", as_="station"))["viewer"]["station"]["id"]
    [other] = await stations(fresh_api, 1)
    query = "query($id: ID) { stationBoard(stationId: $id) { station { id } } }"
    assert (await fresh_api.data(query, {"id": own}, as_="town"))["stationBoard"]["station"]["id"] == own
    assert (await fresh_api.data(query, {"id": own}, as_="admin"))["stationBoard"]["station"]["id"] == own
    for as_, variables, code in (
        ("station", {"id": other["id"]}, "NOT_FOUND"),
        ("provider", {"id": own}, "NOT_FOUND"),
        ("admin", {}, "BAD_REQUEST"),
        (None, {"id": own}, "UNAUTHENTICATED"),
    ):
        errors = await fresh_api.errors(query, variables, as_=as_)
        assert errors[0]["extensions"]["code"] == code, (as_, errors)
    provider_query = "query($id: ID) { providerBoard(providerId: $id) { provider { id } } }"
    errors = await fresh_api.errors(provider_query, {"id": global_id("Provider", 999_999)}, as_="provider")
    assert errors[0]["extensions"]["code"] == "NOT_FOUND"
    errors = await fresh_api.errors(provider_query, {}, as_="station")
    assert errors[0]["extensions"]["code"] == "BAD_REQUEST"


async def test_the_live_cursor_of_a_board_misses_no_change_made_after_it(server, template):
    """A screen reads its board, the provider acts before the screen subscribes: the feed replays it."""
    url = await server.clone(template, f"doorstep_board_{uuid.uuid4().hex[:8]}")
    engine = create_engine(url, pool_size=2)
    try:
        async with (
            live_server(url) as running,
            httpx.AsyncClient(base_url=running.http_url, timeout=30) as http,
        ):
            api = Api(http, engine)
            service = await unlimited_service(api)
            order = await place(api, service)
            board = (await api.data("{ stationBoard { station { id } liveCursor } }", as_="station"))[
                "stationBoard"
            ]
            accepted = await act(api, "ACCEPT", order, as_="provider")
            assert accepted["userErrors"] == []
            feed = """subscription($id: ID!, $after: String) { stationFeed(stationId: $id, after: $after) {
                action order { id } } }"""
            async with GraphQLSocket.open(running.ws_url, await api.token("station")) as screen:
                variables = {"id": board["station"]["id"], "after": board["liveCursor"]}
                await screen.subscribe("feed", feed, variables)
                # The placement too, when the broker had not yet offered it as the board was read.
                received = [(await screen.next_data("feed", 20))["stationFeed"]]
                if received[0]["action"] == "PLACE":
                    received.append((await screen.next_data("feed", 20))["stationFeed"])
            assert received[-1] == {"action": "ACCEPT", "order": {"id": order["id"]}}
    finally:
        await engine.dispose()

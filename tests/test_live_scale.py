"""Live at scale: subscriptions hold no connection, share each event's loading, end with their credentials.

The app is served by uvicorn inside the test's process (real websockets, a real port), so
the tests can read its connection pools and count the statements of its live pool.
"""

from __future__ import annotations

import asyncio
import uuid
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from sqlalchemy import event, text
from websockets.exceptions import ConnectionClosed

from tests.conftest import Api
from tests.live import SECRET, GraphQLSocket, ServedApp, served_app
from tests.order_steps import CREATE_USER, act, place, unlimited_service

WAIT = 20  # seconds a message may take before the test fails; not a timing assertion
SCREEN = "cursor action order { id status station { name } service { name } }"
FEED = "subscription($id: ID!, $after: String) { stationFeed(stationId: $id, after: $after) { %s } }"
ACCEPT = """mutation($id: ID!) { acceptOrder(input: {orderId: $id, responsibleName: "张建国",
    responsiblePhone: "13800138000"}) { userErrors { code } } }"""
HISTORY = "query($id: ID!) { order(id: $id) { history(first: 20) { nodes { cursor action } } } }"


@pytest.fixture
async def served(server, template):
    url = await server.clone(template, f"doorstep_scale_{uuid.uuid4().hex[:8]}")
    async with served_app(url) as app, httpx.AsyncClient(base_url=app.http_url, timeout=30) as http:
        yield app, Api(http, app.app.state.engine)


async def _station(api: Api) -> str:
    return (await api.data("{ viewer { station { id } } }", as_="station"))["viewer"]["station"]["id"]


async def _until(condition, what: str) -> None:
    """Waits (up to WAIT seconds) for a condition of the served app to hold."""
    for _ in range(WAIT * 20):
        if await condition() if asyncio.iscoroutinefunction(condition) else condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never: {what}")


def _subscribers(app: ServedApp, count: int):
    return lambda: len(app.app.state.broker.subscribers) == count


def _pools_whole(app: ServedApp):
    state = app.app.state
    return lambda: state.engine.pool.checkedout() == 0 and state.live_engine.pool.checkedout() == 0


async def _waiting_on_lock(api: Api, table: str, count: int) -> None:
    async def waiting() -> bool:
        async with api.engine.connect() as connection:
            found = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND application_name = 'doorstep' AND wait_event_type = 'Lock' AND query LIKE :like"
                ),
                {"like": f"%{table}%"},
            )
        return found >= count

    await _until(waiting, f"{count} statements waiting on the {table} lock")


async def _open(
    stack: AsyncExitStack, app: ServedApp, token: str, count: int, variables: dict, selection: str = SCREEN
) -> list[GraphQLSocket]:
    """`count` sockets, each subscribed to the station's feed as `s0`, `s1`…; closed with the stack."""
    sockets = []
    for index in range(count):
        socket = await stack.enter_async_context(GraphQLSocket.open(app.ws_url, token))
        await socket.subscribe(f"s{index}", FEED % selection, variables)
        sockets.append(socket)
    return sockets


async def test_subscriptions_that_end_any_way_give_every_connection_back(served):
    app, api = served
    station = await _station(api)
    service = await unlimited_service(api)
    order = await place(api, service)
    newest = (await api.data(HISTORY, {"id": order["id"]}, as_="station"))["order"]["history"]["nodes"][-1]
    token = await api.token("station")

    # Resuming with nothing to replay, then leaving before any event.
    async with AsyncExitStack() as waiting:
        await _open(waiting, app, token, 60, {"id": station, "after": newest["cursor"]})
        await _until(_subscribers(app, 60), "60 subscribers")
    await _until(_subscribers(app, 0), "every subscriber gone")
    await _until(_pools_whole(app), "both pools whole after idle subscribers left")

    # Leaving while the event's order is being rendered (its meetings blocked behind a lock).
    loading = AsyncExitStack()
    await _open(loading, app, token, 20, {"id": station}, "cursor order { id meetings { id } }")
    await _until(_subscribers(app, 20), "20 subscribers")
    async with api.engine.connect() as blocker:
        transaction = await blocker.begin()
        await blocker.execute(text("LOCK TABLE meetings IN ACCESS EXCLUSIVE MODE"))
        accepted = await api.data(ACCEPT, {"id": order["id"]}, as_="provider")
        assert accepted["acceptOrder"]["userErrors"] == []
        await _waiting_on_lock(api, "meetings", 1)
        await loading.aclose()
        await _until(_subscribers(app, 0), "the loading subscribers gone")
        await transaction.rollback()
    await _until(_pools_whole(app), "both pools whole after subscribers left during a load")

    # Leaving while replaying (its reads blocked behind a lock), more of them than the live pool holds.
    async with AsyncExitStack() as replaying, api.engine.connect() as blocker:
        sockets = [
            await replaying.enter_async_context(GraphQLSocket.open(app.ws_url, token)) for _ in range(12)
        ]
        transaction = await blocker.begin()
        await blocker.execute(text("LOCK TABLE stations IN ACCESS EXCLUSIVE MODE"))
        for socket in sockets:
            await socket.subscribe("feed", FEED % SCREEN, {"id": station, "after": newest["cursor"]})
        await _waiting_on_lock(api, "stations", 4)
        await replaying.aclose()
        await transaction.rollback()
    await _until(_subscribers(app, 0), "the replaying subscribers gone")
    await _until(_pools_whole(app), "both pools whole after subscribers left during a replay")

    # The service answers as before: health, a mutation, and a new subscriber's event.
    async with httpx.AsyncClient(base_url=app.http_url, timeout=WAIT) as http:
        health = await http.get("/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    async with GraphQLSocket.open(app.ws_url, token) as screen:
        await screen.subscribe("feed", FEED % SCREEN, {"id": station})
        await _until(_subscribers(app, 1), "the new subscriber")
        scheduled = await act(api, "SCHEDULE", {**order, "status": "ACCEPTED"}, as_="provider")
        assert scheduled["userErrors"] == []
        received = (await screen.next_data("feed", WAIT))["stationFeed"]
    assert received["action"] == "SCHEDULE" and received["order"]["status"] == "SCHEDULED"
    assert received["order"]["service"]["name"] == service["name"]
    await _until(_pools_whole(app), "both pools whole at the end")


async def test_an_event_costs_the_same_statements_for_one_subscriber_as_for_ten(served):
    app, api = served
    live = Api(api.http, app.app.state.live_engine)
    event.listen(live.engine.sync_engine, "connect", live.count_round_trips)
    station = await _station(api)
    service = await unlimited_service(api)
    order = await place(api, service)
    token = await api.token("station")
    steps = iter(
        [
            ("ACCEPT", "provider"),
            ("SCHEDULE", "provider"),
            ("START", "provider"),
            ("DELIVER", "provider"),
            ("CONFIRM_DELIVERY", "station"),
        ]
    )
    statuses = iter(["ACCEPTED", "SCHEDULED", "IN_PROGRESS", "DELIVERED", "COMPLETED"])

    async def next_event(sockets: list[GraphQLSocket]) -> list[str]:
        """The live pool's statements for one event, once every socket received it."""
        nonlocal order
        with live.counting_statements() as seen:
            action, role = next(steps)
            order = (await act(api, action, order, as_=role))["order"]
            status = next(statuses)
            for index, socket in enumerate(sockets):
                received = (await socket.next_data(f"s{index}", WAIT))["stationFeed"]
                assert received["order"]["status"] == status
                assert received["order"]["service"]["name"] == service["name"]
        # A statement's first use on a pooled connection prepares it there, and asyncpg looks up
        # its array type (round trips with no statement of ours); which pooled connection serves
        # a load varies, so the statements executed are compared.
        executed = (trip.partition(": ") for trip in seen)
        return sorted(sql for kind, _, sql in executed if kind != "prepare" and sql)

    async with AsyncExitStack() as stack:
        sockets = await _open(stack, app, token, 1, {"id": station})
        await _until(_subscribers(app, 1), "1 subscriber")
        await next_event(sockets)  # warms the statements
        alone = await next_event(sockets)
        for index in range(1, 10):
            socket = await stack.enter_async_context(GraphQLSocket.open(app.ws_url, token))
            await socket.subscribe(f"s{index}", FEED % SCREEN, {"id": station})
            sockets.append(socket)
        await _until(_subscribers(app, 10), "10 subscribers")
        await next_event(sockets)  # warms the connections the ten opened
        with_ten = await next_event(sockets)

    # The account check, once for all ten: the order, its station and its service came with the
    # broker's one read of the event (on its own pool), and every screen rendered them from it.
    assert len(alone) == 1 and alone[0].startswith("SELECT users."), alone
    assert with_ten == alone


async def _user(api: Api, username: str, station: str) -> str:
    created = await api.data(
        CREATE_USER,
        {
            "input": {
                "username": username,
                "password": "doorstep-test-password",
                "displayName": username,
                "role": "STATION_STAFF",
                "stationId": station,
            }
        },
        as_="admin",
    )
    assert created["createUser"]["userErrors"] == []
    await api.token(username, "doorstep-test-password")
    return created["createUser"]["user"]["id"]


async def test_a_socket_whose_account_is_deactivated_is_closed_at_its_next_event(served):
    app, api = served
    station = await _station(api)
    service = await unlimited_service(api)
    colleague = await _user(api, "station-colleague", station)
    async with (
        GraphQLSocket.open(app.ws_url, await api.token("station-colleague")) as deactivated,
        GraphQLSocket.open(app.ws_url, await api.token("station")) as active,
    ):
        await deactivated.subscribe("feed", FEED % "action", {"id": station})
        await active.subscribe("feed", FEED % "action", {"id": station})
        await _until(_subscribers(app, 2), "2 subscribers")
        payload = await api.data(
            "mutation($input: UpdateUserInput!) { updateUser(input: $input) { userErrors { code } } }",
            {"input": {"userId": colleague, "isActive": False}},
            as_="admin",
        )
        assert payload["updateUser"]["userErrors"] == []
        await place(api, service)

        assert (await active.next_data("feed", WAIT))["stationFeed"]["action"] == "PLACE"
        with pytest.raises(ConnectionClosed) as closed:
            await deactivated.receive("feed", WAIT)
    assert closed.value.rcvd.code == 4403
    assert closed.value.rcvd.reason == "account deactivated"
    await _until(_subscribers(app, 0), "both subscribers gone")


async def test_a_socket_is_closed_when_its_token_expires(served):
    app, api = served
    station = await _station(api)
    async with api.engine.connect() as connection:
        user_id = await connection.scalar(text("SELECT id FROM users WHERE username = 'station'"))
    now = datetime.now(UTC)
    short_lived = jwt.encode(
        {"sub": str(user_id), "iss": "doorstep", "iat": now, "exp": now + timedelta(seconds=2)},
        SECRET,
        algorithm="HS256",
    )
    async with GraphQLSocket.open(app.ws_url, short_lived) as screen:
        await screen.subscribe("feed", FEED % "action", {"id": station})
        await _until(_subscribers(app, 1), "the subscriber")
        with pytest.raises(ConnectionClosed) as closed:
            await screen.receive("feed", WAIT)
    assert closed.value.rcvd.code == 4401
    assert closed.value.rcvd.reason == "token expired"
    await _until(_subscribers(app, 0), "the subscriber gone")

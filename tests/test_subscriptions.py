"""Live order status over websockets, across worker processes, with nothing lost.

Two uvicorn processes serve one database: mutations go to one, subscribers listen on
the other, so every event crosses processes through PostgreSQL LISTEN/NOTIFY.
"""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from doorstep.database import create_engine, create_sessionmaker
from models import Order, OrderAction, Role
from resolvers.context import Viewer
from resolvers.orders.events import EVENT_CHANNEL, append_event
from tests.conftest import Api
from tests.live import GraphQLSocket, LiveServer, live_server
from tests.order_steps import act, advance, db_id, place, unlimited_service

EVENT = "cursor action fromStatus toStatus deadline note order { id status }"
STATION_FEED = (
    f"subscription($id: ID!, $after: String) {{ stationFeed(stationId: $id, after: $after) {{ {EVENT} }} }}"
)
PROVIDER_INBOX = f"subscription($id: ID!) {{ providerInbox(providerId: $id) {{ {EVENT} }} }}"
PROVIDER_INBOX_AFTER = f"subscription($id: ID!, $after: String) {{ providerInbox(providerId: $id, after: $after) {{ {EVENT} }} }}"
ORDER_EVENTS = (
    f"subscription($id: ID!, $after: String) {{ orderEvents(orderId: $id, after: $after) {{ {EVENT} }} }}"
)
DEADLINE_ALERTS = f"subscription {{ deadlineAlerts {{ {EVENT} }} }}"
WAIT = 20  # seconds a message may take before the test fails; not a timing assertion


@dataclass
class Cluster:
    """Two server processes on one database, with API clients for each."""

    a: LiveServer
    b: LiveServer
    api_a: Api
    api_b: Api
    engine: AsyncEngine

    async def ids(self) -> dict[str, str]:
        station = await self.api_a.data("{ viewer { station { id } } }", as_="station")
        provider = await self.api_a.data("{ viewer { provider { id } } }", as_="provider")
        return {
            "station": station["viewer"]["station"]["id"],
            "provider": provider["viewer"]["provider"]["id"],
        }

    async def socket(self, server: LiveServer, as_: str | None):
        token = await self.api_a.token(as_) if as_ else None
        return GraphQLSocket.open(server.ws_url, token)


async def start_cluster(server, template, env: dict[str, str] | None = None):
    url = await server.clone(template, f"doorstep_live_{uuid.uuid4().hex[:8]}")
    engine = create_engine(url, pool_size=2)
    async with (
        live_server(url, env=env) as a,
        live_server(url, env=env) as b,
        httpx.AsyncClient(base_url=a.http_url, timeout=30) as http_a,
        httpx.AsyncClient(base_url=b.http_url, timeout=30) as http_b,
    ):
        try:
            yield Cluster(a, b, Api(http_a, engine), Api(http_b, engine), engine)
        finally:
            await engine.dispose()


@pytest.fixture
async def cluster(server, template):
    async for running in start_cluster(server, template):
        yield running


def decode(cursor: str) -> int:
    """Cursors are opaque to clients; the tests compare their order through the event ids."""
    return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":")[1])


async def test_a_change_served_by_one_process_reaches_subscribers_of_the_other(cluster):
    ids = await cluster.ids()
    service = await unlimited_service(cluster.api_a)
    async with (
        await cluster.socket(cluster.b, "station") as station_screen,
        await cluster.socket(cluster.b, "provider") as console,
        await cluster.socket(cluster.a, "station") as same_process_screen,
    ):
        await station_screen.subscribe("feed", STATION_FEED, {"id": ids["station"]})
        await console.subscribe("inbox", PROVIDER_INBOX, {"id": ids["provider"]})
        await same_process_screen.subscribe("feed", STATION_FEED, {"id": ids["station"]})
        await _subscribed(cluster)

        order = await place(cluster.api_a, service)
        await act(cluster.api_a, "ACCEPT", order, as_="provider")

        for socket, operation in (
            (station_screen, "feed"),
            (console, "inbox"),
            (same_process_screen, "feed"),
        ):
            placed = await socket.next_data(operation, WAIT)
            accepted = await socket.next_data(operation, WAIT)
            event = next(iter(placed.values()))
            assert event["action"] == "PLACE" and event["order"]["id"] == order["id"]
            assert event["fromStatus"] is None and event["toStatus"] == "SUBMITTED"
            following = next(iter(accepted.values()))
            assert following["action"] == "ACCEPT" and following["toStatus"] == "ACCEPTED"
            assert following["order"]["status"] == "ACCEPTED"
            assert decode(following["cursor"]) > decode(event["cursor"])


async def test_subscribers_asking_alike_each_get_the_event_under_their_own_operation_id(cluster):
    ids = await cluster.ids()
    service = await unlimited_service(cluster.api_a)
    # Ids a client may choose freely: quotes, backslashes and Chinese must come back intact.
    plain, awkward = "screen", 'screen "2" \\ 养老'
    async with (
        await cluster.socket(cluster.b, "station") as screen,
        await cluster.socket(cluster.b, "station") as other_screen,
    ):
        await screen.subscribe(plain, STATION_FEED, {"id": ids["station"]})
        await screen.subscribe(awkward, STATION_FEED, {"id": ids["station"]})
        await other_screen.subscribe(plain, STATION_FEED, {"id": ids["station"]})
        await _subscribed(cluster)

        order = await place(cluster.api_a, service)

        received = [
            await screen.receive(plain, WAIT),
            await screen.receive(awkward, WAIT),
            await other_screen.receive(plain, WAIT),
        ]
        assert [message["id"] for message in received] == [plain, awkward, plain]
        assert {message["type"] for message in received} == {"next"}
        events = [message["payload"]["data"]["stationFeed"] for message in received]
        assert events[0] == events[1] == events[2]
        assert events[0]["action"] == "PLACE"
        assert events[0]["order"] == {"id": order["id"], "status": "SUBMITTED"}


async def test_the_events_of_one_order_arrive_complete_and_in_order(cluster):
    service = await unlimited_service(cluster.api_a)
    order = await place(cluster.api_a, service)
    async with await cluster.socket(cluster.b, "station") as screen:
        await screen.subscribe("order", ORDER_EVENTS, {"id": order["id"]})
        await _subscribed(cluster)
        await advance(cluster.api_a, order, "EVALUATED")
        received = [(await screen.next_data("order", WAIT))["orderEvents"] for _ in range(6)]

    assert [e["action"] for e in received] == [
        "ACCEPT",
        "SCHEDULE",
        "START",
        "DELIVER",
        "CONFIRM_DELIVERY",
        "EVALUATE",
    ]
    assert [e["toStatus"] for e in received][-1] == "EVALUATED"
    cursors = [decode(e["cursor"]) for e in received]
    assert cursors == sorted(cursors) and len(set(cursors)) == 6
    history = await cluster.api_b.data(
        "query($id: ID!) { order(id: $id) { history(first: 10) { nodes { action } } } }",
        {"id": order["id"]},
        as_="station",
    )
    assert [e["action"] for e in history["order"]["history"]["nodes"]][1:] == [e["action"] for e in received]


async def test_a_subscriber_resuming_with_its_cursor_gets_exactly_what_it_missed(cluster):
    service = await unlimited_service(cluster.api_a)
    order = await place(cluster.api_a, service)
    async with await cluster.socket(cluster.b, "station") as screen:
        await screen.subscribe("order", ORDER_EVENTS, {"id": order["id"]})
        await _subscribed(cluster)
        order = await advance(cluster.api_a, order, "ACCEPTED")
        seen = (await screen.next_data("order", WAIT))["orderEvents"]
    assert seen["action"] == "ACCEPT"

    # The screen is offline (a network drop) while the provider works on.
    order = await advance(cluster.api_a, order, "IN_PROGRESS")

    async with await cluster.socket(cluster.b, "station") as screen:
        await screen.subscribe("order", ORDER_EVENTS, {"id": order["id"], "after": seen["cursor"]})
        missed = [(await screen.next_data("order", WAIT))["orderEvents"]["action"] for _ in range(2)]
        assert missed == ["SCHEDULE", "START"]
        await act(cluster.api_a, "DELIVER", order, as_="provider")
        live = (await screen.next_data("order", WAIT))["orderEvents"]
        assert live["action"] == "DELIVER", "live events follow the replay with no repeat"


async def test_event_cursors_follow_commit_order_when_a_writer_commits_late(cluster):
    """A transaction that writes its event first and commits last is delivered last, never skipped."""
    ids = await cluster.ids()
    service = await unlimited_service(cluster.api_a)
    first = await place(cluster.api_a, service)
    second = await place(cluster.api_a, service)
    sessionmaker = create_sessionmaker(cluster.engine)
    async with await cluster.socket(cluster.b, "provider") as console:
        await console.subscribe("inbox", PROVIDER_INBOX, {"id": ids["provider"]})
        await _subscribed(cluster)

        async with sessionmaker() as late_writer:
            await append_a_meeting_event(late_writer, first, "a writer that commits late")
            # Meanwhile the provider accepts the second order on the other process: writers do
            # not wait for each other's statements, so it commits first, with the later position.
            accepted = await act(cluster.api_a, "ACCEPT", second, as_="provider")
            assert accepted["userErrors"] == []
            await late_writer.commit()

        events = [(await console.next_data("inbox", WAIT))["providerInbox"] for _ in range(2)]
    assert events[0]["action"] == "ACCEPT" and events[0]["order"]["id"] == second["id"]
    assert events[1]["note"] == "a writer that commits late"
    assert decode(events[0]["cursor"]) < decode(events[1]["cursor"])
    # The history keeps both, and a subscriber resuming after the first receives the second.
    async with await cluster.socket(cluster.b, "provider") as resumed:
        await resumed.subscribe(
            "inbox", PROVIDER_INBOX_AFTER, {"id": ids["provider"], "after": events[0]["cursor"]}
        )
        replayed = (await resumed.next_data("inbox", WAIT))["providerInbox"]
    assert replayed["note"] == "a writer that commits late"


async def test_an_event_id_whose_writer_rolled_back_holds_nothing_up(cluster):
    ids = await cluster.ids()
    service = await unlimited_service(cluster.api_a)
    first = await place(cluster.api_a, service)
    second = await place(cluster.api_a, service)
    sessionmaker = create_sessionmaker(cluster.engine)
    async with await cluster.socket(cluster.b, "provider") as console:
        await console.subscribe("inbox", PROVIDER_INBOX, {"id": ids["provider"]})
        await _subscribed(cluster)
        async with sessionmaker() as abandoned:
            await append_a_meeting_event(abandoned, first, "never committed")
            assert (await act(cluster.api_a, "ACCEPT", second, as_="provider"))["userErrors"] == []
            await abandoned.rollback()
        # The event rolled back never had a position: nothing waits for it.
        accepted = (await console.next_data("inbox", WAIT))["providerInbox"]
        assert accepted["action"] == "ACCEPT" and accepted["order"]["id"] == second["id"]
        assert (await act(cluster.api_a, "ACCEPT", first, as_="provider"))["userErrors"] == []
        following = (await console.next_data("inbox", WAIT))["providerInbox"]
    assert following["order"]["id"] == first["id"]
    assert decode(following["cursor"]) > decode(accepted["cursor"])


async def test_many_concurrent_writers_deliver_every_event_once_in_cursor_order(cluster):
    ids = await cluster.ids()
    service = await unlimited_service(cluster.api_a)
    async with await cluster.socket(cluster.b, "provider") as console:
        await console.subscribe("inbox", PROVIDER_INBOX, {"id": ids["provider"]})
        await _subscribed(cluster)
        placed = await asyncio.gather(*(place(api, service) for api in [cluster.api_a, cluster.api_b] * 10))
        events = [(await console.next_data("inbox", WAIT))["providerInbox"] for _ in range(20)]
    assert {e["order"]["id"] for e in events} == {o["id"] for o in placed}
    cursors = [decode(e["cursor"]) for e in events]
    assert cursors == sorted(cursors) and len(set(cursors)) == 20


async def test_killing_the_listening_connections_loses_no_event(cluster):
    service = await unlimited_service(cluster.api_a)
    order = await place(cluster.api_a, service)
    async with await cluster.socket(cluster.b, "station") as screen:
        await screen.subscribe("order", ORDER_EVENTS, {"id": order["id"]})
        await _subscribed(cluster)
        async with cluster.engine.connect() as connection:
            killed = await connection.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = 'doorstep-listener' AND datname = current_database()"
                )
            )
        assert killed == 2
        # Changes committed while the listeners are gone or reconnecting.
        await advance(cluster.api_a, order, "IN_PROGRESS")
        actions = [(await screen.next_data("order", WAIT))["orderEvents"]["action"] for _ in range(3)]
    assert actions == ["ACCEPT", "SCHEDULE", "START"]
    await _listeners(cluster.engine, 2)


async def test_unauthorized_subscriptions_are_refused(cluster):
    ids = await cluster.ids()
    service = await unlimited_service(cluster.api_a)
    order = await place(cluster.api_a, service)
    other_station = (
        await cluster.api_a.data("{ stations(first: 2, filter: {kind: VILLAGE}) { nodes { id } } }")
    )["stations"]["nodes"][0]["id"]
    other_provider = (
        await cluster.api_a.data('{ providers(first: 1, filter: {search: "卫生健康"}) { nodes { id } } }')
    )["providers"]["nodes"][0]["id"]
    refused = [
        (None, STATION_FEED, {"id": ids["station"]}, "UNAUTHENTICATED"),
        ("station", STATION_FEED, {"id": other_station}, "NOT_FOUND"),
        ("provider", STATION_FEED, {"id": ids["station"]}, "NOT_FOUND"),
        ("provider", PROVIDER_INBOX, {"id": other_provider}, "NOT_FOUND"),
        ("town", PROVIDER_INBOX, {"id": ids["provider"]}, "NOT_FOUND"),
        (None, DEADLINE_ALERTS, {}, "UNAUTHENTICATED"),
        ("station", ORDER_EVENTS, {"id": "not-an-id"}, None),
    ]
    for role, query, variables, code in refused:
        async with await cluster.socket(cluster.b, role) as socket:
            await socket.subscribe("s", query, variables)
            errors = _errors(await socket.receive("s", WAIT))
            assert errors, (role, query)
            if code is not None:
                assert errors[0]["extensions"]["code"] == code

    # The order's town and provider may follow it; another station may not.
    other = await _station_account(cluster, other_station)
    async with (
        await cluster.socket(cluster.b, "town") as town,
        await cluster.socket(cluster.b, "provider") as provider,
        await cluster.socket(cluster.b, other) as stranger,
    ):
        for socket in (town, provider, stranger):
            await socket.subscribe("order", ORDER_EVENTS, {"id": order["id"]})
        refusal = _errors(await stranger.receive("order", WAIT))
        assert refusal[0]["extensions"]["code"] == "NOT_FOUND"
        await _subscribed(cluster)
        await act(cluster.api_a, "ACCEPT", order, as_="provider")
        for socket in (town, provider):
            assert (await socket.next_data("order", WAIT))["orderEvents"]["action"] == "ACCEPT"

    with pytest.raises(ConnectionClosed) as closed:
        async with GraphQLSocket.open(cluster.b.ws_url, "not-a-token"):
            pass
    assert closed.value.rcvd.code == 4403


async def test_a_slow_subscriber_is_cut_off_and_memory_stays_bounded(server, template):
    async for cluster in start_cluster(server, template, env={"DOORSTEP_SUBSCRIBER_QUEUE_SIZE": "50"}):
        ids = await cluster.ids()
        service = await unlimited_service(cluster.api_a)
        flooded, quiet = await place(cluster.api_a, service), await place(cluster.api_a, service)
        token = await cluster.api_a.token("station")
        async with (
            await cluster.socket(cluster.b, "station") as other,
            # A client that stops reading: websockets stops draining the socket after one frame.
            connect(cluster.b.ws_url, subprotocols=["graphql-transport-ws"], max_queue=1) as slow,
        ):
            await other.subscribe("quiet", ORDER_EVENTS, {"id": quiet["id"]})
            await slow.send(
                json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
            )
            assert json.loads(await slow.recv())["type"] == "connection_ack"
            subscribe = {
                "query": "subscription($id: ID!) { stationFeed(stationId: $id) { cursor action note } }",
                "variables": {"id": ids["station"]},
            }
            await slow.send(json.dumps({"id": "feed", "type": "subscribe", "payload": subscribe}))
            await _subscribed(cluster)
            rss_before = _rss_kib(cluster.b)
            await _flood(cluster.engine, db_id(flooded["id"]), events=40_000)
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await asyncio.wait_for(slow.recv(), 60)
            assert closed.value.rcvd.code == 4413
            assert "too slow" in closed.value.rcvd.reason
            growth_mib = (_rss_kib(cluster.b) - rss_before) / 1024
            assert growth_mib < 40, f"the server grew by {growth_mib:.0f} MiB"

            # The other subscribers of the process are served as before.
            await act(cluster.api_a, "ACCEPT", quiet, as_="provider")
            assert (await other.next_data("quiet", WAIT))["orderEvents"]["action"] == "ACCEPT"


async def test_deadline_alerts_are_raised_once_however_many_processes_scan(server, template):
    async for cluster in start_cluster(server, template, env={"DOORSTEP_ALERT_INTERVAL_SECONDS": "0.1"}):
        service = await unlimited_service(cluster.api_a)
        order = await place(cluster.api_a, service, urgency="EMERGENCY")
        later = await place(cluster.api_a, service)
        async with await cluster.socket(cluster.b, "provider") as console:
            await console.subscribe("alerts", DEADLINE_ALERTS)
            await _subscribed(cluster)
            await _move_deadline(cluster.engine, order, alert_in_past=True, due_in_past=False)
            nearing = (await console.next_data("alerts", WAIT))["deadlineAlerts"]
            await _move_deadline(cluster.engine, order, alert_in_past=True, due_in_past=True)
            passed = (await console.next_data("alerts", WAIT))["deadlineAlerts"]
            # Both processes go on scanning; the next alert is the next order's, never a repeat.
            await _move_deadline(cluster.engine, later, alert_in_past=True, due_in_past=True)
            following = (await console.next_data("alerts", WAIT))["deadlineAlerts"]

        assert (nearing["action"], nearing["deadline"]) == ("DEADLINE_NEARING", "RESPONSE")
        assert (passed["action"], passed["deadline"]) == ("DEADLINE_PASSED", "RESPONSE")
        assert nearing["order"]["id"] == passed["order"]["id"] == order["id"]
        assert following["order"]["id"] == later["id"] and following["action"] == "DEADLINE_PASSED"
        async with cluster.engine.connect() as connection:
            alerts = await connection.scalar(
                text("SELECT count(*) FROM order_events WHERE order_id = :id AND deadline IS NOT NULL"),
                {"id": db_id(order["id"])},
            )
        assert alerts == 2


async def test_older_clients_subscribe_with_the_graphql_ws_protocol(cluster):
    service = await unlimited_service(cluster.api_a)
    order = await place(cluster.api_a, service)
    token = await cluster.api_a.token("station")
    async with connect(cluster.b.ws_url, subprotocols=["graphql-ws"]) as socket:
        await socket.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        assert json.loads(await asyncio.wait_for(socket.recv(), WAIT))["type"] == "connection_ack"
        await socket.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "start",
                    "payload": {"query": ORDER_EVENTS, "variables": {"id": order["id"]}},
                }
            )
        )
        await _subscribed(cluster)
        await act(cluster.api_a, "ACCEPT", order, as_="provider")
        while (message := json.loads(await asyncio.wait_for(socket.recv(), WAIT)))["type"] == "ka":
            pass
    assert message["type"] == "data"
    assert message["payload"]["data"]["orderEvents"]["action"] == "ACCEPT"


# Helpers


def _errors(message: dict) -> list[dict]:
    """The errors of a refused subscription: before it runs ("error") or as it starts ("next")."""
    if message["type"] == "error":
        return message["payload"]
    return message["payload"].get("errors") or [] if message["type"] == "next" else []


async def _subscribed(cluster: Cluster) -> None:
    """Returns once both processes listen; subscriptions register before their first read."""
    await _listeners(cluster.engine, 2)


async def _listeners(engine: AsyncEngine, count: int) -> None:
    for _ in range(WAIT * 20):
        async with engine.connect() as connection:
            listening = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE application_name = 'doorstep-listener' AND datname = current_database()"
                )
            )
        if listening >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{count} listening connections expected")


async def _flood(engine: AsyncEngine, order_id: int, events: int) -> None:
    """Many events for one order at once, written as append_event writes them."""
    async with engine.begin() as connection:
        inserted = await connection.execute(
            text(
                "INSERT INTO order_events (order_id, action, from_status, to_status, actor_id, actor_role, note)"
                " SELECT :order, 'RECORD_COORDINATION_MEETING', 'SUBMITTED', 'SUBMITTED', u.id, 'STATION_STAFF',"
                " 'flood ' || n FROM generate_series(1, :events) AS n, users u WHERE u.username = 'station'"
                " RETURNING id"
            ),
            {"order": order_id, "events": events},
        )
        newest = max(inserted.scalars().all())
        await connection.execute(
            text("SELECT pg_notify(:channel, :id)"), {"channel": EVENT_CHANNEL, "id": str(newest)}
        )


async def _station_account(cluster: Cluster, station_id: str) -> str:
    """Staff of another station, made by the administrator."""
    username = f"station-{uuid.uuid4().hex[:6]}"
    password = "doorstep-test-password"
    payload = await cluster.api_a.data(
        """mutation($input: CreateUserInput!) { createUser(input: $input) { userErrors { code } } }""",
        {
            "input": {
                "username": username,
                "password": password,
                "displayName": "另一站点",
                "role": "STATION_STAFF",
                "stationId": station_id,
            }
        },
        as_="admin",
    )
    assert payload["createUser"]["userErrors"] == []
    await cluster.api_a.token(username, password)
    return username


def _rss_kib(live: LiveServer) -> int:
    status = Path(f"/proc/{live.process.pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))


async def _move_deadline(engine: AsyncEngine, order: dict, *, alert_in_past: bool, due_in_past: bool) -> None:
    """Test set-up: time passes for one order (its response deadline comes closer)."""
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "UPDATE orders SET response_alert_at = now() + CASE WHEN :alert THEN interval '-1 minute' ELSE interval '1 hour' END,"
                " response_due_at = now() + CASE WHEN :due THEN interval '-1 minute' ELSE interval '1 hour' END"
                " WHERE id = :id"
            ),
            {"alert": alert_in_past, "due": due_in_past, "id": db_id(order["id"])},
        )


async def append_a_meeting_event(session, order: dict, note: str) -> None:
    """Appends a station's meeting event to `order` in `session`'s transaction, left open."""
    row = await session.get(Order, db_id(order["id"]))
    station_user = await session.scalar(text("SELECT id FROM users WHERE username = 'station'"))
    await append_event(
        session,
        row,
        action=OrderAction.RECORD_COORDINATION_MEETING,
        from_status=row.status,
        actor=Viewer(user_id=station_user, role=Role.STATION_STAFF, station_id=row.station_id),
        note=note,
    )

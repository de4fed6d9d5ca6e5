"""The demo data: districts shaped like Pudong, and their order history as the API shows it."""

from __future__ import annotations

import base64
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from doorstep import cli, migrate
from doorstep.database import create_engine, create_sessionmaker
from resolvers.orders.alerts import raise_deadline_alerts
from seeds import DEMO_FIGURES, load_demo
from tests.conftest import LOGIN, Api, Server, _api
from tests.order_steps import ALL_STATUSES, db_id, place, unlimited_service

OPEN = {"SUBMITTED", "ACCEPTED", "SCHEDULED", "IN_PROGRESS", "DELIVERED"}
STAFF_PASSWORD = "doorstep-staff"  # the README's documented pattern, written out
CHECKSUM = """SELECT md5(string_agg(row, '|' ORDER BY row)) FROM (
    SELECT concat_ws(',', id, station_id, provider_id, service_id, project_id, demand_id, hearing_id, status,
                     created_at, updated_at, rating, satisfaction) AS row FROM orders
    UNION ALL SELECT concat_ws(',', id, order_id, action, from_status, actor_id, occurred_at) FROM order_events
    UNION ALL SELECT concat_ws(',', id, kind, station_id, held_at, votes_for, decision) FROM meetings
    UNION ALL SELECT concat_ws(',', id, username, role) FROM users
    UNION ALL SELECT concat_ws(',', id, demand_id, project_id, resource_id, created_by_id, created_at)
        FROM demand_proposals
    UNION ALL SELECT concat_ws(',', id, demand_id, action, actor_id, order_id, reason, occurred_at)
        FROM demand_events
    UNION ALL SELECT concat_ws(',', id, station_id, owner_id, urgency, status, created_at, answered_at, closed_at,
                     satisfaction) FROM cases
    UNION ALL SELECT concat_ws(',', id, case_id, action, deadline, occurred_at, commit_order) FROM case_events
    ) AS rows"""


async def _seeded(server: Server, prefix: str, **options: object) -> tuple[str, dict[str, int]]:
    name = f"doorstep_{prefix}_{uuid.uuid4().hex[:8]}"
    await server.execute(f'CREATE DATABASE "{name}"')
    server.created.append(name)
    engine = create_engine(server.url(name), pool_size=1)
    try:
        await migrate.upgrade(engine)
        async with engine.begin() as connection:
            counts = await load_demo(connection, **options)  # type: ignore[arg-type]
    finally:
        await engine.dispose()
    return server.url(name), counts


UNTIL = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


async def _checksum(url: str) -> str:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            return str(await connection.scalar(text(CHECKSUM)))
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
async def two_districts(server: Server) -> tuple[str, dict[str, int], str]:
    """Two districts with a month of history to a fixed moment, and their checksum as loaded."""
    url, counts = await _seeded(server, "scale", districts=2, months=1, until=UNTIL)
    return url, counts, await _checksum(url)


@pytest.fixture(scope="module")
async def seeded(server: Server) -> tuple[str, dict[str, int]]:
    """One district with three months of history up to now: the one database these tests read."""
    return await _seeded(server, "history", months=3)


@pytest.fixture(scope="module")
async def history(seeded: tuple[str, dict[str, int]]) -> AsyncIterator[Api]:
    async for api in _api(seeded[0]):
        yield api


async def _all(api: Api, query: str, path: str, variables: dict | None = None, as_: str = "admin") -> list:
    """Every node of a connection, page by page (`query` takes `$after` and selects pageInfo)."""
    nodes: list = []
    after = None
    while True:
        connection = (await api.data(query, {**(variables or {}), "after": after}, as_=as_))[path]
        nodes += connection["nodes"]
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]


async def test_two_districts_each_have_the_demo_figures(two_districts):
    async for api in _api(two_districts[0]):
        data = await api.data("{ districts { id code name } }")
        assert {d["name"] for d in data["districts"]} == {"浦东新区", "闵行区"}
        codes = [d["code"] for d in data["districts"]]
        assert codes == sorted(codes)
        query = """query($d: ID!) {
          towns(filter: {districtId: $d}) { totalCount }
          stations(filter: {districtId: $d}) { totalCount }
          services(filter: {districtId: $d}) { totalCount }
          resources(filter: {districtId: $d}) { totalCount }
          projects(filter: {districtId: $d}) { totalCount }
          providers(filter: {districtId: $d, kind: DEPARTMENT}) { totalCount } }"""
        orders = "query($d: ID!) { orders(filter: {districtId: $d}) { totalCount } }"
        for district in data["districts"]:
            counts = await api.data(query, {"d": district["id"]})
            counts |= await api.data(orders, {"d": district["id"]}, as_="admin")
            assert counts["towns"]["totalCount"] == DEMO_FIGURES["towns"] == 36
            assert counts["stations"]["totalCount"] == DEMO_FIGURES["stations"] == 1285
            assert counts["services"]["totalCount"] == DEMO_FIGURES["services"] == 147
            assert counts["resources"]["totalCount"] == DEMO_FIGURES["resources"] == 1044
            assert counts["projects"]["totalCount"] == DEMO_FIGURES["projects"] == 965
            assert counts["providers"]["totalCount"] == DEMO_FIGURES["departments"] == 26
            # A month of a district's ~30,000 orders a year, and the orders of its demands.
            assert 2_800 <= counts["orders"]["totalCount"] <= 5_000


async def test_a_year_of_orders_is_tens_of_thousands_in_every_state(history, seeded):
    _, counts = seeded
    # Three months of ~30,000 a year, plus the orders of the demands posted over 17 months.
    assert 8_000 <= counts["orders"] <= 10_000
    by_status = "query($s: [OrderStatus!]) { orders(filter: {status: $s}) { totalCount } }"
    totals = {}
    for status in ALL_STATUSES:
        totals[status] = (await history.data(by_status, {"s": [status]}, as_="admin"))["orders"]["totalCount"]
    assert all(totals[status] > 0 for status in ALL_STATUSES), totals
    assert sum(totals.values()) == counts["orders"]
    # Most of a quarter's orders are closed; the open ones are the newest.
    assert totals["EVALUATED"] > sum(totals[status] for status in OPEN)
    assert totals["DECLINED"] < totals["EVALUATED"] / 5


async def test_every_station_and_provider_has_orders(history):
    stations = await _all(
        history,
        """query($after: String) { stations(first: 100, after: $after) {
            pageInfo { hasNextPage endCursor } nodes { code kind orders { totalCount } } } }""",
        "stations",
    )
    assert len(stations) == 1285
    quiet = [s["code"] for s in stations if s["orders"]["totalCount"] == 0]
    # Three months of about 7,500 orders over 1,285 stations: a few small villages may order nothing.
    assert len(quiet) <= 20, quiet
    centers = [s["orders"]["totalCount"] for s in stations if s["kind"] == "SERVICE_CENTER"]
    committees = [s["orders"]["totalCount"] for s in stations if s["kind"] == "RESIDENTIAL_COMMITTEE"]
    assert sum(centers) / len(centers) > 2 * sum(committees) / len(committees)
    providers = (
        await history.data("{ providers(first: 100) { nodes { code orders { totalCount } } } }", as_="admin")
    )["providers"]["nodes"]
    assert len(providers) == 69
    assert all(p["orders"]["totalCount"] >= 5 for p in providers), providers
    town_orders = "query($t: ID!) { orders(filter: {townId: $t}) { totalCount } }"
    towns = (await history.data("{ towns(first: 100) { nodes { id } } }"))["towns"]["nodes"]
    assert len(towns) == 36
    for town in towns:
        assert (await history.data(town_orders, {"t": town["id"]}, as_="admin"))["orders"]["totalCount"] > 50


HISTORY = """query($s: [OrderStatus!]) { orders(filter: {status: $s}, first: 30) { nodes {
    status createdAt updatedAt scheduledAt declineReason cancellationReason
    responseDueAt deliveryDueAt responsible { name phone user { role } }
    evaluation { rating satisfaction evaluatedAt }
    project { requiresThreeMeetings }
    meetings { kind decision votesFor votesAgainst heldAt }
    history(first: 40) { nodes { action fromStatus toStatus actorRole deadline occurredAt actor { role } } } } } }"""
PEOPLE_STEPS = {
    "ACCEPTED": ["PLACE", "ACCEPT"],
    "DECLINED": ["PLACE", "DECLINE"],
    "SCHEDULED": ["PLACE", "ACCEPT", "SCHEDULE"],
}


async def test_each_order_history_tells_how_it_reached_its_status(history):
    for status in ALL_STATUSES:
        orders = (await history.data(HISTORY, {"s": [status]}, as_="admin"))["orders"]["nodes"]
        assert orders
        for order in orders:
            events = order["history"]["nodes"]
            people = [e for e in events if e["actorRole"] is not None]
            alerts = [e for e in events if e["actorRole"] is None]
            assert people[0]["action"] == "PLACE" and people[0]["fromStatus"] is None
            assert people[0]["occurredAt"] == order["createdAt"]
            assert people[-1]["toStatus"] == status and people[-1]["occurredAt"] == order["updatedAt"]
            for before, after in zip(people, people[1:], strict=False):
                assert after["fromStatus"] == before["toStatus"]
            times = [e["occurredAt"] for e in events]
            assert times == sorted(times)
            for event in people:
                side = (
                    "PROVIDER_STAFF"
                    if event["action"] in {"ACCEPT", "DECLINE", "SCHEDULE", "START", "DELIVER"}
                    else "STATION_STAFF"
                )
                assert event["actorRole"] == side and event["actor"]["role"] == side
            for alert in alerts:
                assert alert["action"] in {"DEADLINE_NEARING", "DEADLINE_PASSED"}
                assert (
                    alert["deadline"] in {"RESPONSE", "DELIVERY"} and alert["fromStatus"] == alert["toStatus"]
                )
                due = order["responseDueAt"] if alert["deadline"] == "RESPONSE" else order["deliveryDueAt"]
                assert (alert["occurredAt"] >= due) == (alert["action"] == "DEADLINE_PASSED")
            if status in PEOPLE_STEPS:
                steps = [e["action"] for e in people if e["action"] != "RECORD_COORDINATION_MEETING"]
                assert steps == PEOPLE_STEPS[status]
            if status == "DECLINED":
                assert order["declineReason"] and order["responsible"] is None
            if status not in {"SUBMITTED", "DECLINED", "CANCELLED"}:
                assert (
                    order["responsible"]["name"] and order["responsible"]["user"]["role"] == "PROVIDER_STAFF"
                )
            if status in {"SCHEDULED", "IN_PROGRESS", "DELIVERED", "COMPLETED", "EVALUATED"}:
                assert order["scheduledAt"] is not None
            assert (order["evaluation"] is not None) == (status == "EVALUATED")
            if status == "EVALUATED":
                assert people[-1]["action"] == "EVALUATE"
                assert order["evaluation"]["evaluatedAt"] == people[-1]["occurredAt"]
                assert (
                    1 <= order["evaluation"]["rating"] <= 5
                    and 0 <= order["evaluation"]["satisfaction"] <= 100
                )
            project = order["project"]
            if project and project["requiresThreeMeetings"]:
                hearing = order["meetings"][0]
                assert hearing["kind"] == "HEARING" and hearing["decision"] == "APPROVED"
                assert (
                    hearing["votesFor"] > hearing["votesAgainst"] and hearing["heldAt"] < order["createdAt"]
                )


async def test_open_orders_are_recent_and_some_deadlines_are_missed(history):
    query = """query($s: [OrderStatus!], $o: Boolean) { orders(filter: {status: $s, overdue: $o}) { totalCount } }"""
    missed = await history.data(
        query, {"s": ["SUBMITTED", "ACCEPTED", "SCHEDULED", "IN_PROGRESS"], "o": True}, as_="admin"
    )
    kept = await history.data(
        query, {"s": ["SUBMITTED", "ACCEPTED", "SCHEDULED", "IN_PROGRESS"], "o": False}, as_="admin"
    )
    assert (
        missed["orders"]["totalCount"] > 0 and kept["orders"]["totalCount"] > missed["orders"]["totalCount"]
    )
    late = """{ orders(filter: {status: [EVALUATED]}, first: 100) { nodes { deliveryDueAt
        history(first: 40) { nodes { action occurredAt } } } } }"""
    delivered = [
        (
            order["deliveryDueAt"],
            max(e["occurredAt"] for e in order["history"]["nodes"] if e["action"] == "DELIVER"),
        )
        for order in (await history.data(late, as_="admin"))["orders"]["nodes"]
    ]
    on_time = sum(at <= due for due, at in delivered)
    # Most deliveries keep their deadline, some do not.
    assert 70 <= on_time <= 99


async def test_ratings_set_a_few_providers_clearly_above_and_below_the_rest(history):
    query = """{ providers(first: 100) { nodes { shortName orders(filter: {status: [EVALUATED]}, first: 100) {
        totalCount nodes { evaluation { rating satisfaction } } } } } }"""
    providers = (await history.data(query, as_="admin"))["providers"]["nodes"]
    means = {}
    satisfaction = []
    for provider in providers:
        ratings = [o["evaluation"]["rating"] for o in provider["orders"]["nodes"]]
        satisfaction += [o["evaluation"]["satisfaction"] for o in provider["orders"]["nodes"]]
        if len(ratings) >= 20:
            means[provider["shortName"]] = sum(ratings) / len(ratings)
    ranked = sorted(means.values())
    assert len(ranked) >= 30
    assert ranked[-1] >= 4.6  # the red list
    assert ranked[0] <= 3.0  # the black list
    middle = ranked[len(ranked) // 2]
    assert 3.7 <= middle <= 4.4
    # Around the district's published livelihood satisfaction (80.62).
    assert 74 <= sum(satisfaction) / len(satisfaction) <= 88


async def test_hearings_are_held_with_votes_and_some_reject(history):
    hearings = """{ orders(filter: {status: [EVALUATED]}, first: 100) { nodes {
        project { requiresThreeMeetings } meetings { kind decision votesFor votesAgainst attendees } } } }"""
    nodes = (await history.data(hearings, as_="admin"))["orders"]["nodes"]
    coordinated = [o for o in nodes if o["project"] and o["project"]["requiresThreeMeetings"]]
    assert coordinated
    for order in coordinated:
        assert [m["kind"] for m in order["meetings"]] == ["HEARING", "COORDINATION", "EVALUATION"]


async def test_demands_are_resolved_by_their_orders(history):
    demands = """query($s: DemandStatus!) { demands(filter: {status: $s}, first: 10) { totalCount nodes { id } } }"""
    orders = """query($d: ID!) { orders(filter: {demandId: $d}) { nodes { status } } }"""
    expected_totals = DEMO_FIGURES["demands_by_status"]
    closed_with_orders = 0
    for status in ("OPEN", "MATCHED", "IN_PROGRESS", "RESOLVED", "CLOSED"):
        found = (await history.data(demands, {"s": status}, as_="admin"))["demands"]
        assert found["totalCount"] == expected_totals[status]
        for demand in found["nodes"]:
            nodes = (await history.data(orders, {"d": demand["id"]}, as_="admin"))["orders"]["nodes"]
            statuses = {order["status"] for order in nodes}
            if status in {"OPEN", "MATCHED"}:
                assert statuses == set()
            elif status == "IN_PROGRESS":
                assert statuses & OPEN
            elif status == "RESOLVED":  # by its evaluated orders, or by its staff without any
                assert ("EVALUATED" in statuses and not statuses & OPEN) or statuses == set()
            else:
                assert statuses <= {"DECLINED", "CANCELLED"}
                closed_with_orders += bool(statuses)
    assert closed_with_orders > 0


# resolvers.lists.demand_lifecycle.DEMAND_LIFECYCLE, written out: (status before, action) -> status after.
DEMAND_LIFECYCLE = {
    (None, "POST"): "OPEN",
    ("OPEN", "PROPOSE"): "MATCHED",
    ("OPEN", "ORDER"): "IN_PROGRESS",
    ("MATCHED", "ORDER"): "IN_PROGRESS",
    ("IN_PROGRESS", "ORDERS_EVALUATED"): "RESOLVED",
    **{(status, "RESOLVE"): "RESOLVED" for status in ("OPEN", "MATCHED", "IN_PROGRESS")},
    **{(status, "CLOSE"): "CLOSED" for status in ("OPEN", "MATCHED", "IN_PROGRESS")},
}
DEMAND_MOVERS = {
    "POST": "STATION_STAFF",
    "PROPOSE": "PROVIDER_STAFF",
    "ORDER": "STATION_STAFF",
    "ORDERS_EVALUATED": "STATION_STAFF",
    "RESOLVE": "STATION_STAFF",
    "CLOSE": "STATION_STAFF",
}
DEMAND_HISTORIES = """query($s: DemandStatus!, $after: String) {
    demands(filter: {status: $s}, first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes {
    status postedAt station { code }
    proposals(first: 1) { totalCount nodes { createdAt provider { code } } }
    history(first: 10) { totalCount nodes { action fromStatus toStatus actorRole reason occurredAt
        actor { role username station { code } provider { code } }
        order { createdAt status evaluation { evaluatedAt } } } } } } }"""


async def test_every_demand_has_a_history_that_follows_the_lifecycle_to_its_status(history):
    paths: Counter[tuple[str, ...]] = Counter()
    for status in ("OPEN", "MATCHED", "IN_PROGRESS", "RESOLVED", "CLOSED"):
        demands = await _all(history, DEMAND_HISTORIES, "demands", {"s": status})
        assert len(demands) == DEMO_FIGURES["demands_by_status"][status]
        for demand in demands:
            moves = demand["history"]["nodes"]
            assert demand["history"]["totalCount"] == len(moves) >= 1
            before = None
            for move in moves:
                assert move["fromStatus"] == before
                assert DEMAND_LIFECYCLE[(before, move["action"])] == move["toStatus"]
                before = move["toStatus"]
                role = DEMAND_MOVERS[move["action"]]
                assert move["actorRole"] == role and move["actor"]["role"] == role
                assert (move["order"] is not None) == (move["action"] in {"ORDER", "ORDERS_EVALUATED"})
                assert bool(move["reason"]) == (move["action"] in {"RESOLVE", "CLOSE"})
            assert before == demand["status"] == status
            times = [move["occurredAt"] for move in moves]
            assert times == sorted(times) and len(set(times)) == len(times)
            posted = moves[0]
            assert posted["action"] == "POST" and posted["occurredAt"] == demand["postedAt"]
            # Posted, resolved and closed by the station's own staff account (its code, in lower case).
            for move in moves:
                if move["action"] in {"POST", "RESOLVE", "CLOSE"}:
                    assert move["actor"]["username"] == demand["station"]["code"]
            offers = demand["proposals"]
            if status == "OPEN":
                assert offers["totalCount"] == 0
            if status == "MATCHED":
                assert offers["totalCount"] >= 1
            proposed = [move for move in moves if move["action"] == "PROPOSE"]
            # Offers are made while a demand is open or matched: the first one matched it.
            assert bool(proposed) == (offers["totalCount"] > 0)
            if proposed:
                assert proposed[0]["occurredAt"] == offers["nodes"][0]["createdAt"]
                assert proposed[0]["actor"]["provider"]["code"] == offers["nodes"][0]["provider"]["code"]
            for move in moves:
                if move["action"] == "ORDER":
                    assert move["order"]["createdAt"] == move["occurredAt"]
                    assert move["actor"]["station"]["code"] == demand["station"]["code"]
                if move["action"] == "ORDERS_EVALUATED":
                    assert move["order"]["status"] == "EVALUATED"
                    assert move["order"]["evaluation"]["evaluatedAt"] == move["occurredAt"]
            paths[tuple(move["action"] for move in moves)] += 1
    # Every way the seed tells, and no other (no staff-resolved demand is without an offer that met it).
    assert set(paths) == {
        ("POST",),
        ("POST", "PROPOSE"),
        ("POST", "ORDER"),
        ("POST", "PROPOSE", "ORDER"),
        ("POST", "ORDER", "ORDERS_EVALUATED"),
        ("POST", "PROPOSE", "ORDER", "ORDERS_EVALUATED"),
        ("POST", "PROPOSE", "RESOLVE"),
        ("POST", "CLOSE"),
        ("POST", "PROPOSE", "CLOSE"),
        ("POST", "ORDER", "CLOSE"),
        ("POST", "PROPOSE", "ORDER", "CLOSE"),
    }, paths


async def test_every_seeded_demand_has_its_history_in_the_database(history, seeded):
    _, counts = seeded
    async with history.engine.connect() as connection:
        missing = await connection.scalar(
            text(
                "SELECT count(*) FROM demands d WHERE NOT EXISTS (SELECT FROM demand_events e WHERE e.demand_id = d.id)"
            )
        )
        demands, moved = (
            await connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM demands), (SELECT count(DISTINCT demand_id) FROM demand_events)"
                )
            )
        ).one()
    assert missing == 0 and demands == moved == 3200
    assert counts["demand_events"] > 3200 and counts["demand_proposals"] >= 480


CASE_RANKING = """query($list: RankingList!, $filter: StatisticsFilter) {
  caseRanking(unit: TOWN, list: $list, first: 1, filter: $filter) { rankedCount entries { score } } }"""


async def test_every_station_receives_cases_and_the_case_ranking_has_two_ends(history):
    async with history.engine.connect() as connection:
        without = await connection.scalar(
            text(
                "SELECT count(*) FROM stations s WHERE NOT EXISTS (SELECT FROM cases c WHERE c.station_id = s.id)"
            )
        )
        statuses = dict(
            (await connection.execute(text("SELECT status, count(*) FROM cases GROUP BY 1"))).all()
        )
    assert without == 0
    # Most cases are closed and evaluated; the newest are still open.
    assert statuses["EVALUATED"] > statuses["CLOSED"] > statuses["HANDLED"] > 0
    assert statuses.get("RECEIVED", 0) > 0
    today = datetime.now(UTC).date()
    two_months = {"from": (today - timedelta(days=60)).isoformat(), "to": today.isoformat()}
    red = (await history.data(CASE_RANKING, {"list": "RED", "filter": two_months}, as_="admin"))[
        "caseRanking"
    ]
    black = (await history.data(CASE_RANKING, {"list": "BLACK", "filter": two_months}, as_="admin"))[
        "caseRanking"
    ]
    assert red["rankedCount"] == black["rankedCount"] == 36
    assert red["entries"][0]["score"] > black["entries"][0]["score"] + 5


async def test_every_case_history_starts_received_and_ends_in_its_status(history):
    async with history.engine.connect() as connection:
        broken = await connection.scalar(
            text(
                """SELECT count(*) FROM cases c
                   CROSS JOIN LATERAL (SELECT
                       (array_agg(action ORDER BY occurred_at, id))[1] AS first_action,
                       (array_agg(to_status ORDER BY occurred_at DESC, id DESC)
                           FILTER (WHERE deadline IS NULL))[1] AS last_status
                     FROM case_events e WHERE e.case_id = c.id) h
                   WHERE h.first_action <> 'RECEIVE' OR h.last_status <> c.status"""
            )
        )
        unordered = await connection.scalar(
            text(
                """SELECT count(*) FROM (SELECT commit_order, lag(commit_order) OVER (ORDER BY commit_order) AS before
                   FROM case_events) p WHERE commit_order IS NULL OR commit_order = before"""
            )
        )
    assert (broken, unordered) == (0, 0)


async def test_every_station_town_and_provider_has_a_staff_account_of_the_documented_pattern(history):
    users = """query($r: Role!, $after: String) { users(filter: {role: $r}, first: 100, after: $after) {
        pageInfo { hasNextPage endCursor } nodes { username station { code } town { code } provider { code } } } }"""
    for role, scope, expected in (
        ("STATION_STAFF", "station", 1285),
        ("TOWN_STAFF", "town", 36),
        ("PROVIDER_STAFF", "provider", 69),
    ):
        accounts = await _all(history, users, "users", {"r": role})
        by_code = {
            a[scope]["code"]: a["username"] for a in accounts if a["username"] == a[scope]["code"].lower()
        }
        assert len(by_code) == expected
    for username in ("310115001001", "310115-dep-01", "310115-org-01", "310115101"):
        body = await history.post(LOGIN, {"input": {"username": username, "password": STAFF_PASSWORD}})
        assert body["data"]["login"]["userErrors"] == [] and body["data"]["login"]["token"]
    # A station's staff see their station's orders and act on them.
    token = await history.token("310115001001", STAFF_PASSWORD)
    mine = await history.post(
        "{ viewer { station { code orders { totalCount } } } orders { totalCount } }",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (
        mine["data"]["orders"]["totalCount"] == mine["data"]["viewer"]["station"]["orders"]["totalCount"] > 0
    )


async def test_the_demo_station_and_provider_have_a_busy_board(history):
    query = """{ orders(first: 100) { totalCount nodes { status nextActions } } }"""
    station = (await history.data(query, as_="station"))["orders"]
    provider = (await history.data(query, as_="provider"))["orders"]
    assert station["totalCount"] >= 20 and provider["totalCount"] >= 200
    assert {o["status"] for o in station["nodes"]} & OPEN
    submitted = [o for o in provider["nodes"] if o["status"] == "SUBMITTED"]
    assert submitted and all(set(o["nextActions"]) == {"ACCEPT", "DECLINE"} for o in submitted)


async def test_a_server_started_on_the_history_raises_no_backlog_of_alerts(history, seeded):
    # The app's scanner has been running since the module's server started; scan once more, then
    # count every event since the seed: only deadlines falling between the end of the history
    # (the load, to the minute) and now, not the alerts of a year of deadlines.
    await raise_deadline_alerts(create_sessionmaker(history.engine))
    async with history.engine.connect() as connection:
        raised = await connection.scalar(
            text("SELECT count(*) FROM order_events WHERE id > :seeded"),
            {"seeded": seeded[1]["order_events"]},
        )
        cases_raised = await connection.scalar(
            text("SELECT count(*) FROM case_events WHERE id > :seeded"),
            {"seeded": seeded[1]["case_events"]},
        )
    assert raised <= 5
    assert cases_raised <= 5


async def test_the_same_seed_loads_the_same_history(server, two_districts):
    _, counts, checksum = two_districts
    url, again = await _seeded(server, "determinism", districts=2, months=1, until=UNTIL)
    assert again == counts and await _checksum(url) == checksum
    assert counts["orders"] > 5_000 and counts["order_events"] > 30_000 and counts["demand_events"] > 6_400


async def test_live_orders_and_events_continue_above_the_seeded_ids(two_districts):
    url, counts, _ = two_districts
    async for api in _api(url):
        order = await place(api, await unlimited_service(api))
        query = "query($id: ID!) { order(id: $id) { history { nodes { action cursor } } } }"
        [placed] = (await api.data(query, {"id": order["id"]}, as_="station"))["order"]["history"]["nodes"]
        assert placed["action"] == "PLACE"
        cursor = base64.urlsafe_b64decode(placed["cursor"] + "=" * (-len(placed["cursor"]) % 4)).decode()
        # Above every seeded event (the alert scanner may have raised a few since the seed's end).
        assert int(cursor.removeprefix("event:")) > counts["order_events"]
        assert db_id(order["id"]) == counts["orders"] + 1


SCHEMA = """SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
    ORDER BY 1"""


async def test_the_bulk_load_leaves_every_index_and_key_as_the_migrations_made_them(server, template, seeded):
    # The history is COPied with its foreign keys and indexes dropped, then re-created.
    definitions = []
    for url in (server.url(template), seeded[0]):
        engine = create_engine(url, pool_size=1)
        try:
            async with engine.connect() as connection:
                definitions.append((await connection.execute(text(SCHEMA))).scalars().all())
        finally:
            await engine.dispose()
    assert len(definitions[0]) > 100
    assert definitions[0] == definitions[1]


async def test_a_reload_replaces_a_database_whose_ledger_refuses_truncation(server):
    """`doorstep seed --reload` on a database already seeded: the append-only ledger and event
    histories are replaced with the rest, not emptied in place (which they refuse)."""
    name = f"doorstep_reload_{uuid.uuid4().hex[:8]}"
    await server.execute(f'CREATE DATABASE "{name}"')
    server.created.append(name)
    engine = create_engine(server.url(name), pool_size=1)
    try:
        await migrate.upgrade(engine)
        first = await cli.load_demo(engine, reload=False, districts=1, months=1)
        again = await cli.load_demo(engine, reload=True, districts=1, months=1)
        async with engine.connect() as connection:
            districts = await connection.scalar(text("SELECT count(*) FROM districts"))
            entries = await connection.scalar(text("SELECT count(*) FROM ledger_entries"))
            unbalanced = await connection.scalar(
                text(
                    "SELECT count(*) FROM (SELECT entry_id FROM ledger_lines GROUP BY entry_id HAVING sum(amount) <> 0) e"
                )
            )
    finally:
        await engine.dispose()
    assert first is not None and again is not None
    assert first["ledger_entries"] == again["ledger_entries"] == 8  # the demo time bank's eight entries
    assert (districts, entries, unbalanced) == (1, 8, 0)

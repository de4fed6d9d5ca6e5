"""The response cache: never stale after a commit, across processes; exact; bounded; never shared across viewers."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

import httpx
from sqlalchemy import text

from doorstep.app import create_app
from doorstep.cache.store import ResponseCache
from doorstep.database import create_engine
from doorstep.settings import Settings
from tests.cache_steps import STATUS, WAIT, Notifications, read, write
from tests.conftest import Api
from tests.helpers import global_id, scalar
from tests.live import live_server

SERVICE = "query($id: ID!) { service(id: $id) { name } }"
UPDATE_SERVICE = """mutation($input: UpdateServiceInput!) { updateService(input: $input) {
    service { name } userErrors { code message } } }"""
CATALOG = "{ services(first: 3) { nodes { name provider { name } } } }"
TOWNS = "{ towns(first: 2) { nodes { name } } }"
# Two statements: the towns, then their stations.
TOWNS_AND_STATIONS = "{ towns(first: 1) { nodes { name stations(first: 1) { nodes { name } } } } }"


async def test_a_change_published_through_one_worker_is_read_through_the_other(server, template):
    url = await server.clone(template, f"doorstep_cache_{uuid.uuid4().hex[:8]}")
    engine = create_engine(url, pool_size=1)
    async with (
        live_server(url) as a,
        live_server(url) as b,
        httpx.AsyncClient(base_url=a.http_url, timeout=30) as http_a,
        httpx.AsyncClient(base_url=b.http_url, timeout=30) as http_b,
        Notifications.listening(url) as notifications,
    ):
        api_a = Api(http_a, engine)
        first = (await api_a.data("{ services(first: 1) { nodes { id name } } }"))["services"]["nodes"][0]
        variables = {"id": first["id"]}
        for http in (http_a, http_b):
            miss, hit = await read(http, SERVICE, variables), await read(http, SERVICE, variables)
            assert (miss.headers[STATUS], hit.headers[STATUS]) == ("MISS", "HIT")
            assert hit.json()["data"] == {"service": {"name": first["name"]}}

        renamed = await api_a.data(
            UPDATE_SERVICE, {"input": {"serviceId": first["id"], "name": "上门助浴（新）"}}, as_="admin"
        )
        assert renamed["updateService"] == {"service": {"name": "上门助浴（新）"}, "userErrors": []}

        # The writing worker dropped its entry when it committed, before it answered.
        again = await read(http_a, SERVICE, variables)
        assert (again.headers[STATUS], again.json()["data"]) == (
            "MISS",
            {"service": {"name": "上门助浴（新）"}},
        )
        # The other hears it from PostgreSQL.
        seen = await notifications.until(
            lambda: read(http_b, SERVICE, variables), lambda r: r.headers[STATUS] != "HIT"
        )
        assert (seen.headers[STATUS], seen.json()["data"]) == (
            "MISS",
            {"service": {"name": "上门助浴（新）"}},
        )
        kept = await read(http_b, SERVICE, variables)
        assert (kept.headers[STATUS], kept.json()["data"]) == ("HIT", {"service": {"name": "上门助浴（新）"}})
    await engine.dispose()


async def test_a_change_drops_the_responses_that_read_its_table_and_no_others(fresh_api, server_url):
    url = fresh_api.engine.url.render_as_string(hide_password=False)
    async with Notifications.listening(url) as notifications:
        for query in (CATALOG, TOWNS):
            assert (await read(fresh_api.http, query)).headers[STATUS] == "MISS"
            assert (await read(fresh_api.http, query)).headers[STATUS] == "HIT"

        await write(
            fresh_api, "UPDATE towns SET name = '测试街道' WHERE code = (SELECT min(code) FROM towns)"
        )
        towns = await notifications.until(
            lambda: read(fresh_api.http, TOWNS), lambda r: r.headers[STATUS] == "MISS"
        )
        assert towns.json()["data"]["towns"]["nodes"][0] == {"name": "测试街道"}
        # The catalog read no town: the change to towns left it where it was.
        assert (await read(fresh_api.http, CATALOG)).headers[STATUS] == "HIT"

        await write(fresh_api, "UPDATE providers SET short_name = short_name")
        await notifications.until(
            lambda: read(fresh_api.http, CATALOG), lambda r: r.headers[STATUS] == "MISS"
        )
        assert (await read(fresh_api.http, TOWNS)).headers[STATUS] == "HIT"


async def test_while_changes_cannot_be_heard_nothing_is_kept_and_reconnecting_starts_empty(fresh_api):
    listener = fresh_api.http._transport.app.state.cache_listener  # type: ignore[attr-defined]
    assert (await read(fresh_api.http, TOWNS)).headers[STATUS] in ("MISS", "HIT")
    assert (await read(fresh_api.http, TOWNS)).headers[STATUS] == "HIT"
    connections = listener.connections
    terminated = await scalar(
        fresh_api,
        "SELECT bool_and(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE application_name = 'doorstep-cache-listener' AND datname = current_database()",
    )
    assert terminated is True
    # A change made while nobody listens goes unheard: only emptying the cache keeps it from going stale.
    await write(fresh_api, "UPDATE towns SET name = '断线期间' WHERE code = (SELECT min(code) FROM towns)")
    await listener.wait_for_connection(connections, timeout=WAIT)
    after = await read(fresh_api.http, TOWNS)
    assert after.headers[STATUS] == "MISS"
    assert after.json()["data"]["towns"]["nodes"][0] == {"name": "断线期间"}


async def test_a_hit_runs_no_statement(api):
    query = "{ stations(first: 1) { nodes { name } } }"
    await read(api.http, query)
    with api.counting_statements() as trips:
        body = await api.post(query, headers={"Cache-Control": "max-age=60"})
    assert trips == []
    assert body["data"]["stations"]["nodes"] and body["extensions"]["cost"] == {
        "requestedNodes": 1,
        "actualNodes": 1,
        "maximumNodes": 50_000,
    }


VIEWER = "{ viewer { username } demands(first: 100) { totalCount } }"


async def test_a_viewers_cached_response_is_never_served_to_another(fresh_api):
    other_station = await scalar(
        fresh_api,
        "SELECT s.id FROM stations s WHERE s.id <> (SELECT station_id FROM users WHERE username = 'station') "
        "AND EXISTS (SELECT 1 FROM demands d WHERE d.station_id = s.id) ORDER BY s.id LIMIT 1",
    )
    created = await fresh_api.data(
        """mutation($input: CreateUserInput!) { createUser(input: $input) { userErrors { message } } }""",
        {
            "input": {
                "username": "station2",
                "password": "doorstep-station2",
                "displayName": "另一个服务站",
                "role": "STATION_STAFF",
                "stationId": global_id("Station", other_station),
            }
        },
        as_="admin",
    )
    assert created["createUser"]["userErrors"] == []
    await fresh_api.token("station2", "doorstep-station2")
    own_demands = await scalar(
        fresh_api,
        "SELECT count(*) FROM demands WHERE station_id = (SELECT station_id FROM users WHERE username = 'station')",
    )
    other_demands = await scalar(
        fresh_api, f"SELECT count(*) FROM demands WHERE station_id = {other_station}"
    )
    assert own_demands != other_demands

    async def as_(who: str | None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {await fresh_api.token(who)}"} if who else {}
        return await read(fresh_api.http, VIEWER, **headers)

    expected = {
        "station": {"viewer": {"username": "station"}, "demands": {"totalCount": own_demands}},
        "station2": {"viewer": {"username": "station2"}, "demands": {"totalCount": other_demands}},
        "provider": {"viewer": {"username": "provider"}},
        None: {"viewer": None, "demands": {"totalCount": 0}},
    }
    first = await as_("station")
    assert (first.headers[STATUS], first.json()["data"]) == ("MISS", expected["station"])
    assert (await as_("station")).headers[STATUS] == "HIT"
    for who in ("station2", "provider", None, "station", "station2", "provider", None):
        answer = await as_(who)
        assert answer.json()["data"]["viewer"] == expected[who]["viewer"], who
        if who != "provider":
            assert answer.json()["data"] == expected[who], who
    # Each viewer was answered from its own entry once it had one.
    assert (await as_("station2")).headers[STATUS] == "HIT"
    assert (await as_(None)).headers["cache-control"].startswith("public")
    assert (await as_("station2")).headers["cache-control"] == "private, no-cache"


async def test_the_cache_keeps_within_its_bytes_and_drops_the_least_recently_used(shared_database):
    budget = 4000
    settings = dataclasses.replace(Settings.from_env(), response_cache_bytes=budget)
    app = create_app(settings, url=shared_database)
    cache: ResponseCache = app.state.response_cache
    queries = [f"{{ towns(first: {n}) {{ nodes {{ code }} }} }}" for n in range(1, 9)]
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://doorstep.test") as http,
    ):
        statuses = []
        for query in queries:
            statuses.append((await read(http, query)).headers[STATUS])
            assert 0 < cache.size <= budget
        assert statuses == ["MISS"] * 8
        # The newest are kept; the first made room for them.
        assert (await read(http, queries[-1])).headers[STATUS] == "HIT"
        assert (await read(http, queries[0])).headers[STATUS] == "MISS"
        assert cache.size <= budget

        # An answer bigger than a quarter of the budget is never kept.
        large = "{ towns(first: 36) { nodes { code name } } }"
        assert len((await read(http, large)).content) > budget // 4
        assert (await read(http, large)).headers[STATUS] == "MISS"


async def test_responses_of_the_clock_and_of_mutations_are_not_kept(api):
    orders = "{ orders(first: 1) { totalCount } }"
    token = await api.token("station")
    for _ in range(2):
        answer = await read(api.http, orders, Authorization=f"Bearer {token}")
        assert answer.headers[STATUS] == "MISS" and "errors" not in answer.json()
    login = await read(
        api.http,
        'mutation { login(input: {username: "nobody", password: "wrong-password"}) { userErrors { code } } }',
    )
    assert (login.headers[STATUS], login.headers["cache-control"]) == ("BYPASS", "no-store")


async def test_a_database_write_outside_requests_reaches_the_cache(fresh_api):
    """A change committed by another program (a migration, psql) is heard like any other."""
    url = fresh_api.engine.url.render_as_string(hide_password=False)
    engine = create_engine(url, pool_size=1)
    try:
        async with Notifications.listening(url) as notifications:
            query = "{ districts { name } }"
            await read(fresh_api.http, query)
            assert (await read(fresh_api.http, query)).headers[STATUS] == "HIT"
            async with engine.begin() as connection:
                await connection.execute(text("UPDATE districts SET name = '浦东新区（测试）'"))
            seen = await notifications.until(
                lambda: read(fresh_api.http, query), lambda r: r.headers[STATUS] == "MISS"
            )
            assert seen.json()["data"]["districts"] == [{"name": "浦东新区（测试）"}]
    finally:
        await engine.dispose()


async def test_a_response_whose_table_changed_while_it_ran_is_not_kept(fresh_api):
    """The race: a read has read towns, waits on stations, and towns change meanwhile."""
    url = fresh_api.engine.url.render_as_string(hide_password=False)
    first = (await fresh_api.data("{ towns(first: 1) { nodes { name } } }"))["towns"]["nodes"][0]["name"]
    async with Notifications.listening(url) as notifications, fresh_api.engine.connect() as holder:
        transaction = await holder.begin()
        await holder.execute(text("LOCK TABLE stations IN ACCESS EXCLUSIVE MODE"))
        running = asyncio.create_task(read(fresh_api.http, TOWNS_AND_STATIONS))
        await waiting_on_a_lock(fresh_api, "stations")
        await write(fresh_api, f"UPDATE towns SET name = '改名了' WHERE name = '{first}'")
        await notifications.round_trip()
        await transaction.rollback()
        stale = await running
        assert stale.json()["data"]["towns"]["nodes"][0]["name"] == first
    # It read the old name before the change committed: it answered, but was not kept.
    after = await read(fresh_api.http, TOWNS_AND_STATIONS)
    assert after.headers[STATUS] == "MISS"
    assert after.json()["data"]["towns"]["nodes"][0]["name"] == "改名了"


async def waiting_on_a_lock(api, table: str) -> None:
    for _ in range(10_000):
        waiting = await scalar(
            api,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE :reads",
            reads=f"%{table}%",
        )
        if waiting:
            return
    raise AssertionError("the read never waited on the lock")

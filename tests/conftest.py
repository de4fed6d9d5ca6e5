"""Fixtures: a real PostgreSQL server, a migrated and seeded template, apps over copies of it.

The server is the embedded one (pgserver) unless DOORSTEP_TEST_DATABASE_URL names
another (`.ci/run` runs the suite both ways). The demo district is migrated and
loaded once into a template database; read-only tests share one copy of it, tests
that write get a fresh copy each (CREATE DATABASE … TEMPLATE, a file copy).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from ipaddress import ip_network
from pathlib import Path

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from doorstep import migrate
from doorstep.app import create_app
from doorstep.database import create_engine
from doorstep.settings import RateLimits, Settings
from seeds import load_demo
from seeds.accounts import DEMO_ACCOUNTS

RUN_ID = uuid.uuid4().hex[:8]
# The station screen's browser tests drive Debian's chromium (`apt-get install chromium`) with
# Playwright. Where either is missing their module is not collected, and the run's header says
# so: the suite keeps no skipped tests. `.ci/run` installs chromium, so CI always runs them.
CHROMIUM = "/usr/bin/chromium"
BROWSER_TESTS = ["test_screen_browser.py"]


def _why_no_browser() -> str | None:
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed (pip install -e '.[test]')"
    return None


NO_BROWSER = _why_no_browser()
collect_ignore = BROWSER_TESTS if NO_BROWSER else []


def pytest_report_header(config: pytest.Config) -> str | None:
    if NO_BROWSER:
        return f"NOTE: the station screen's browser tests ({', '.join(BROWSER_TESTS)}) are not collected: {NO_BROWSER}"
    return None


NO_RATE_LIMITS = RateLimits(anonymous=None, account=None, login=None)
TEST_PROXY = (ip_network("127.0.0.1/32"),)
LOGIN = """mutation($input: LoginInput!) { login(input: $input) {
    token userErrors { code field message } } }"""


@dataclass
class Server:
    """A PostgreSQL server the tests may create databases on."""

    admin_url: str
    created: list[str] = field(default_factory=list)

    def url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    async def execute(self, sql: str) -> None:
        engine = create_engine(self.admin_url, pool_size=1)
        try:
            async with engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.exec_driver_sql(sql)
        finally:
            await engine.dispose()

    async def clone(self, template: str, name: str) -> str:
        await self.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self.created.append(name)
        return self.url(name)


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    external = os.environ.get("DOORSTEP_TEST_DATABASE_URL")
    if external:
        url = make_url(external)
        yield url.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
        return
    import pgserver

    data_dir = Path(tempfile.mkdtemp(prefix="doorstep-test-pg-"))
    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    socket_dir = make_url(server.get_uri()).query["host"]
    try:
        yield f"postgresql+asyncpg://postgres@/postgres?host={socket_dir}"
    finally:
        server.cleanup()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
async def server(server_url: str) -> AsyncIterator[Server]:
    server = Server(admin_url=server_url)
    yield server
    for name in server.created:
        await server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
async def template(server: Server) -> str:
    """A migrated database holding the demo district, used only as a template."""
    name = f"doorstep_template_{RUN_ID}"
    await server.execute(f'CREATE DATABASE "{name}"')
    server.created.append(name)
    engine = create_engine(server.url(name), pool_size=1)
    try:
        await migrate.upgrade(engine)
        async with engine.begin() as connection:
            # Order tests count and follow the orders they place themselves.
            await load_demo(connection, orders=False)
    finally:
        await engine.dispose()
    return name


@dataclass
class Api:
    """A client of the app as frontends use it: GraphQL over HTTP."""

    http: httpx.AsyncClient
    engine: AsyncEngine
    tokens: dict[str, str] = field(default_factory=dict)

    async def post(
        self, query: str, variables: dict | None = None, headers: dict | None = None, as_: str | None = None
    ) -> dict:
        """Send a query, signed in as the demo account named `as_` when given."""
        headers = dict(headers or {})
        if self.round_trips is not None:
            # What is counted is running the operation; an answer from the response cache runs nothing.
            headers.setdefault("Cache-Control", "no-cache")
        if as_ is not None:
            headers["Authorization"] = f"Bearer {await self.token(as_)}"
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def token(self, username: str, password: str | None = None) -> str:
        if username not in self.tokens:
            if password is None:
                password = next(a.password for a in DEMO_ACCOUNTS if a.username == username)
            body = await self.post(LOGIN, {"input": {"username": username, "password": password}})
            assert body["data"]["login"]["userErrors"] == [], body
            self.tokens[username] = body["data"]["login"]["token"]
        return self.tokens[username]

    async def data(self, query: str, variables: dict | None = None, **kwargs) -> dict:
        """The data of a query that must succeed."""
        body = await self.post(query, variables, **kwargs)
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def errors(self, query: str, variables: dict | None = None, **kwargs) -> list[dict]:
        """The errors of a query that must fail."""
        body = await self.post(query, variables, **kwargs)
        assert body.get("errors"), body
        return body["errors"]

    async def warm(self, query: str, *variables: dict, **kwargs) -> None:
        """Runs a query once with each of `variables`, as a warm server has, before it is counted.

        asyncpg prepares a statement text on its first use on a connection (one more round
        trip), then reuses it, and looks up a type it has not seen on that connection (three
        more: jit off, the lookup, jit back). A batch of any size is one text (`= ANY($1)`).
        """
        for each in variables:
            await self.data(query, each, **kwargs)

    round_trips: list[str] | None = None
    """What each round trip to the database sent, while `counting_statements` records."""

    @contextmanager
    def counting_statements(self) -> Iterator[list[str]]:
        """Collects every round trip the app makes to the database while the block runs.

        Counted on the wire, where asyncpg's protocol sends a message and waits for the answer:
        statements, their PREPARE on first use on a connection, type introspection, BEGIN,
        COMMIT, ROLLBACK and pool pings alike.
        """
        self.round_trips = seen = []
        try:
            yield seen
        finally:
            self.round_trips = None

    def count_round_trips(self, dbapi_connection, connection_record) -> None:
        """Pool `connect` event: routes a new connection's protocol through a counter."""
        connection = dbapi_connection._connection
        connection._protocol = CountingProtocol(connection._protocol, self)


# The methods of asyncpg's protocol that send a message and wait for the server's answer.
ROUND_TRIPS = frozenset(
    {
        "prepare",
        "bind_execute",
        "bind_execute_many",
        "bind",
        "execute",
        "close_portal",
        "query",
        "copy_out",
        "copy_in",
        "close_statement",
    }
)


def sent(args: tuple) -> str:
    """The SQL text of a protocol call: given as text, or held by the prepared statement."""
    for argument in args:
        query = argument if isinstance(argument, str) else getattr(argument, "query", None)
        if query:
            return query
    return ""


class CountingProtocol:
    """An asyncpg protocol that records each round trip in its Api's open count."""

    def __init__(self, protocol, api: Api) -> None:
        self._protocol = protocol
        self._api = api

    def __getattr__(self, name: str):
        attribute = getattr(self._protocol, name)
        if name not in ROUND_TRIPS:
            return attribute

        def counted(*args, **kwargs):
            if self._api.round_trips is not None:
                self._api.round_trips.append(f"{name}: {sent(args)}")
            return attribute(*args, **kwargs)

        return counted


async def _api(url: str) -> AsyncIterator[Api]:
    # The whole suite comes from one address, faster than any client: rate limits are tested
    # on apps of their own (test_rate_limits.py). The test client stands for a trusted proxy,
    # so a test may send requests from other addresses in X-Forwarded-For.
    settings = replace(Settings.from_env(), rate_limits=NO_RATE_LIMITS, trusted_proxies=TEST_PROXY)
    app = create_app(settings, url=url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://doorstep.test") as http:
            client = Api(http=http, engine=app.state.engine)
            # No connection exists before the first request, so every one of them is counted.
            event.listen(client.engine.sync_engine, "connect", client.count_round_trips)
            yield client


@pytest.fixture(scope="session")
async def shared_database(server: Server, template: str) -> str:
    return await server.clone(template, f"doorstep_read_{RUN_ID}")


@pytest.fixture(scope="session")
async def api(shared_database: str) -> AsyncIterator[Api]:
    """The app over the shared demo database. Tests using it must not write."""
    async for client in _api(shared_database):
        yield client


@pytest.fixture
async def fresh_api(server: Server, template: str) -> AsyncIterator[Api]:
    """The app over a private copy of the demo database, for tests that write."""
    url = await server.clone(template, f"doorstep_{RUN_ID}_{uuid.uuid4().hex[:8]}")
    async for client in _api(url):
        yield client


@pytest.fixture(scope="session")
async def history_database(server: Server, template: str) -> tuple[str, object]:
    """A copy of the demo database with the written-out history of tests/statistics_data.py."""
    from tests.statistics_data import load_history

    url = await server.clone(template, f"doorstep_history_{RUN_ID}")
    engine = create_engine(url, pool_size=1)
    try:
        ids = await load_history(engine)
    finally:
        await engine.dispose()
    return url, ids


@pytest.fixture(scope="session")
async def history_api(history_database: tuple[str, object]) -> AsyncIterator[Api]:
    """The app over the statistics history. Tests using it must not write."""
    async for client in _api(history_database[0]):
        yield client


@pytest.fixture(scope="session")
def history(history_database: tuple[str, object]):
    """The ids of the stations, towns, providers and orders of the statistics history."""
    return history_database[1]

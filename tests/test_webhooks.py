"""Webhooks: registered by providers, delivered from the order-event outbox to a real receiver.

The receiver is an HTTP server on 127.0.0.1 started by the test, so the apps here allow
private addresses (DOORSTEP_WEBHOOK_ALLOW_PRIVATE), except where refusing them is tested.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from sqlalchemy import text
from standardwebhooks import Webhook

from doorstep.app import create_app
from doorstep.database import create_engine
from doorstep.settings import Settings, WebhookSettings
from tests.conftest import NO_RATE_LIMITS, TEST_PROXY, Api
from tests.helpers import execute
from tests.live import live_server
from tests.order_steps import act, create_account, db_id, place, unlimited_service

# An upper bound, not a wait: on a machine shared with other work a round can take seconds.
WAIT_SECONDS = 60
# Retries almost at once, so a test sees several attempts without waiting for the schedule.
FAST = WebhookSettings(allow_private=True, retry_base_seconds=0.02, retry_max_seconds=0.1, poll_seconds=0.2)
ENDPOINT_FIELDS = "id url description eventTypes status pausedReason consecutiveFailures provider { id }"
CREATE = f"""mutation($input: CreateWebhookEndpointInput!) {{ createWebhookEndpoint(input: $input) {{
    secret endpoint {{ {ENDPOINT_FIELDS} }} userErrors {{ code field message }} }} }}"""
PAUSE = """mutation($input: WebhookEndpointInput!) { pauseWebhookEndpoint(input: $input) {
    endpoint { status pausedReason } userErrors { code field message } } }"""
RESUME = """mutation($input: WebhookEndpointInput!) { resumeWebhookEndpoint(input: $input) {
    endpoint { status pausedReason consecutiveFailures } userErrors { code field message } } }"""
DELETE = """mutation($input: WebhookEndpointInput!) { deleteWebhookEndpoint(input: $input) {
    deletedEndpointId userErrors { code field message } } }"""
ENDPOINT = f"""query($id: ID!) {{ webhookEndpoint(id: $id) {{ {ENDPOINT_FIELDS}
    attempts(first: 50) {{ nodes {{ number statusCode succeeded error nextRetryAt durationMs messageId
        order {{ id }} event {{ action }} }} }} }} }}"""
ENDPOINTS = "{ webhookEndpoints(first: 20) { nodes { id url } } }"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: str
    status: int

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]


@dataclass
class Receiver:
    """An HTTP server on a free port of 127.0.0.1 that records every request and answers as told."""

    answer: Callable[[Received], int | tuple[int, bytes]] = lambda request: 204
    """The status to answer a request with (and a body); called in the request's own thread."""
    received: list[Received] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)
    port: int = 0

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def on(self, path: str) -> list[Received]:
        with self.condition:
            return [request for request in self.received if request.path == path]

    async def until(self, predicate: Callable[[list[Received]], bool]) -> list[Received]:
        """Waits (at most WAIT_SECONDS) until the requests received so far satisfy `predicate`."""

        def wait() -> bool:
            with self.condition:
                return self.condition.wait_for(lambda: predicate(list(self.received)), timeout=WAIT_SECONDS)

        assert await asyncio.to_thread(wait), [(r.path, r.status, r.body[:80]) for r in self.received]
        with self.condition:
            return list(self.received)


@asynccontextmanager
async def receiver() -> AsyncIterator[Receiver]:
    recorder = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
            request = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body, 0)
            answer = recorder.answer(request)
            request.status, content = answer if isinstance(answer, tuple) else (answer, b"")
            with recorder.condition:
                recorder.received.append(request)
                recorder.condition.notify_all()
            self.send_response(request.status)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            # The sender may read what it wants of a long answer and hang up.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(content)

        def log_message(self, *args: object) -> None:
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder.port = http.server_address[1]
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        http.shutdown()
        http.server_close()


@asynccontextmanager
async def webhook_app(server, template, webhooks: WebhookSettings = FAST) -> AsyncIterator[Api]:
    """The app over a fresh copy of the demo database, with these webhook settings."""
    url = await server.clone(template, f"doorstep_hooks_{uuid.uuid4().hex[:8]}")
    settings = replace(
        Settings.from_env(), rate_limits=NO_RATE_LIMITS, trusted_proxies=TEST_PROXY, webhooks=webhooks
    )
    app = create_app(settings, url=url)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://doorstep.test") as http:
            yield Api(http=http, engine=app.state.engine)


async def register(api: Api, url: str, as_: str = "provider", **fields) -> dict:
    payload = (await api.data(CREATE, {"input": {"url": url, **fields}}, as_=as_))["createWebhookEndpoint"]
    assert payload["userErrors"] == [], payload
    return payload


async def endpoint_now(api: Api, endpoint_id: str, as_: str = "provider") -> dict:
    return (await api.data(ENDPOINT, {"id": endpoint_id}, as_=as_))["webhookEndpoint"]


async def until_endpoint(api: Api, endpoint_id: str, predicate: Callable[[dict], bool]) -> dict:
    """Reads the endpoint until `predicate` holds (at most WAIT_SECONDS)."""
    async with asyncio.timeout(WAIT_SECONDS):
        while not predicate(endpoint := await endpoint_now(api, endpoint_id)):
            await asyncio.sleep(0.05)
    return endpoint


def message_type(request: Received) -> str:
    return json.loads(request.body)["type"]


def types(requests: list[Received]) -> list[str]:
    return [message_type(request) for request in requests]


async def test_events_arrive_signed_with_stable_ids_and_filtered_by_type(server, template):
    async with receiver() as hooks, webhook_app(server, template) as api:
        every = await register(api, hooks.url("/all"), description="区民政局业务系统")
        accepts = await register(api, hooks.url("/accepts"), eventTypes=["ACCEPT"])
        assert every["secret"].startswith("whsec_") and every["secret"] != accepts["secret"]
        assert every["endpoint"]["status"] == "ACTIVE"
        assert every["endpoint"]["eventTypes"] == [] and accepts["endpoint"]["eventTypes"] == ["ACCEPT"]

        order = await place(api, await unlimited_service(api))
        accepted = await act(api, "ACCEPT", order, as_="provider")
        assert accepted["userErrors"] == []

        received = await hooks.until(lambda r: len([x for x in r if x.path == "/all"]) == 2)
        on_all = [r for r in received if r.path == "/all"]
        for request in on_all:
            # Verified by the library receivers use, which also checks the timestamp is recent.
            message = Webhook(every["secret"]).verify(request.body, request.headers)
            assert message["data"]["orderId"] == order["id"]
            assert request.headers["content-type"] == "application/json"
        assert types(on_all) == ["order.place", "order.accept"]
        assert [r.message_id for r in on_all] == [
            f"evt_{db_id(Webhook(every['secret']).verify(r.body, r.headers)['data']['eventId'])}"
            for r in on_all
        ]
        await hooks.until(lambda r: len([x for x in r if x.path == "/accepts"]) == 1)
        only_accepts = hooks.on("/accepts")
        assert types(only_accepts) == ["order.accept"]
        Webhook(accepts["secret"]).verify(only_accepts[0].body, only_accepts[0].headers)
        # The same event to two endpoints: one id, each signed with its endpoint's secret.
        assert only_accepts[0].message_id == on_all[1].message_id

        endpoint = await until_endpoint(
            api, every["endpoint"]["id"], lambda e: len(e["attempts"]["nodes"]) == 2
        )
        assert [
            (a["number"], a["statusCode"], a["succeeded"], a["error"], a["nextRetryAt"], a["event"]["action"])
            for a in endpoint["attempts"]["nodes"]
        ] == [(1, 204, True, None, None, "ACCEPT"), (1, 204, True, None, None, "PLACE")]
        assert {a["messageId"] for a in endpoint["attempts"]["nodes"]} == {r.message_id for r in on_all}


async def test_a_failed_event_is_retried_and_later_events_of_its_order_wait_for_it(server, template):
    async with receiver() as hooks, webhook_app(server, template) as api:
        # The first two requests fail; each is retried after a (short) backoff.
        hooks.answer = lambda request: 500 if len(hooks.received) < 2 else 200
        registered = await register(api, hooks.url())
        order = await place(api, await unlimited_service(api))
        assert (await act(api, "ACCEPT", order, as_="provider"))["userErrors"] == []

        received = await hooks.until(lambda r: len(r) == 4)
        # The accept was committed while the placement was still failing: it waited its turn.
        assert [(message_type(r), r.status) for r in received] == [
            ("order.place", 500),
            ("order.place", 500),
            ("order.place", 200),
            ("order.accept", 200),
        ]
        # One event, one id, however often it is sent: receivers deduplicate on it.
        assert len({r.message_id for r in received[:3]}) == 1
        endpoint = await until_endpoint(
            api, registered["endpoint"]["id"], lambda e: len(e["attempts"]["nodes"]) == 4
        )
        log = [(a["number"], a["statusCode"], a["succeeded"]) for a in endpoint["attempts"]["nodes"]]
        assert log == [(1, 200, True), (3, 200, True), (2, 500, False), (1, 500, False)]
        failed = [a for a in endpoint["attempts"]["nodes"] if not a["succeeded"]]
        assert all(a["nextRetryAt"] is not None for a in failed)
        assert endpoint["consecutiveFailures"] == 0 and endpoint["status"] == "ACTIVE"


async def test_a_receiver_that_does_not_answer_times_out_and_a_long_answer_is_cut_short(server, template):
    settings = replace(FAST, timeout_seconds=0.5, max_response_bytes=1024)
    released = threading.Event()
    calls = []

    def answer(request: Received) -> tuple[int, bytes]:
        calls.append(request)
        if len(calls) == 1:
            released.wait(WAIT_SECONDS)  # never answers while the sender waits
        return 200, b"x" * 4_000_000

    async with receiver() as hooks, webhook_app(server, template, settings) as api:
        hooks.answer = answer
        registered = await register(api, hooks.url())
        await place(api, await unlimited_service(api))
        endpoint = await until_endpoint(
            api, registered["endpoint"]["id"], lambda e: any(a["succeeded"] for a in e["attempts"]["nodes"])
        )
        released.set()
        assert [
            (a["number"], a["statusCode"], a["succeeded"], a["error"]) for a in endpoint["attempts"]["nodes"]
        ] == [
            (2, 200, True, None),
            (1, None, False, "No answer within 0.5 s"),
        ]


async def test_an_endpoint_that_keeps_failing_is_paused_with_its_reason_then_resumed(server, template):
    settings = replace(FAST, pause_after_failures=3)
    async with receiver() as hooks, webhook_app(server, template, settings) as api:
        hooks.answer = lambda request: 503
        registered = await register(api, hooks.url())
        endpoint_id = registered["endpoint"]["id"]
        await place(api, await unlimited_service(api))

        paused = await until_endpoint(api, endpoint_id, lambda e: e["status"] == "PAUSED")
        assert paused["pausedReason"] == "Paused after 3 failed attempts in a row; the last one: HTTP 503."
        assert paused["consecutiveFailures"] == 3
        assert [(a["statusCode"], a["succeeded"]) for a in paused["attempts"]["nodes"]] == [(503, False)] * 3
        assert len(hooks.received) == 3

        hooks.answer = lambda request: 204
        resumed = await api.data(RESUME, {"input": {"endpointId": endpoint_id}}, as_="provider")
        assert resumed["resumeWebhookEndpoint"] == {
            "endpoint": {"status": "ACTIVE", "pausedReason": None, "consecutiveFailures": 0},
            "userErrors": [],
        }
        received = await hooks.until(lambda r: len(r) == 4)
        assert received[-1].status == 204 and received[-1].message_id == received[0].message_id

        mine = await api.data(PAUSE, {"input": {"endpointId": endpoint_id}}, as_="provider")
        assert mine["pauseWebhookEndpoint"] == {
            "endpoint": {"status": "PAUSED", "pausedReason": "Paused by its owner."},
            "userErrors": [],
        }


async def test_private_addresses_are_refused_at_registration_and_at_delivery(server, template):
    refusing = replace(FAST, allow_private=False)
    async with receiver() as hooks, webhook_app(server, template, refusing) as api:
        for url in (
            hooks.url(),
            f"http://localhost:{hooks.port}/hooks",
            "http://[::1]/hooks",
            "http://10.1.2.3/hooks",
            "http://169.254.169.254/latest/meta-data",
            "http://[::ffff:192.168.0.1]/hooks",
        ):
            payload = (await api.data(CREATE, {"input": {"url": url}}, as_="provider"))[
                "createWebhookEndpoint"
            ]
            assert payload["endpoint"] is None and payload["secret"] is None
            assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("INVALID", ["input", "url"])]
            assert "loopback, private or reserved" in payload["userErrors"][0]["message"], url
        for url in ("ftp://example.com/hooks", "file:///etc/passwd", "http://user:pw@example.com/", "hooks"):
            payload = (await api.data(CREATE, {"input": {"url": url}}, as_="provider"))[
                "createWebhookEndpoint"
            ]
            assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("INVALID", ["input", "url"])]

        # A name that resolved to a public address at registration and to a private one later
        # (DNS rebinding) is refused when sending: here the row is written as if it had.
        provider = (await api.data("{ viewer { provider { id } } }", as_="provider"))["viewer"]["provider"]
        await execute(
            api,
            "INSERT INTO webhook_endpoints (provider_id, url, description, secret, status, "
            "consecutive_failures, position) SELECT :provider, :url, '', :secret, 'ACTIVE', 0, "
            "coalesce(max(commit_order), 0) FROM order_events",
            provider=db_id(provider["id"]),
            url=f"http://localhost:{hooks.port}/hooks",
            secret="whsec_" + "A" * 43 + "=",
        )
        await place(api, await unlimited_service(api))
        endpoint_id = (await api.data(ENDPOINTS, as_="provider"))["webhookEndpoints"]["nodes"][0]["id"]
        endpoint = await until_endpoint(api, endpoint_id, lambda e: len(e["attempts"]["nodes"]) >= 1)
        attempt = endpoint["attempts"]["nodes"][-1]
        assert attempt["statusCode"] is None and attempt["succeeded"] is False
        assert attempt["error"].startswith("Refused: the host localhost resolves to a loopback")
        assert hooks.received == []


async def test_only_the_owner_and_administrators_see_and_manage_an_endpoint(server, template):
    async with receiver() as hooks, webhook_app(server, template) as api:
        registered = await register(api, hooks.url())
        endpoint_id = registered["endpoint"]["id"]
        mine = registered["endpoint"]["provider"]["id"]
        providers = (await api.data("{ providers(first: 20) { nodes { id } } }"))["providers"]["nodes"]
        other = next(p["id"] for p in providers if p["id"] != mine)
        await create_account(api, "other_dept_staff", "PROVIDER_STAFF", providerId=other)

        variables = {"input": {"endpointId": endpoint_id}}
        for who in ("other_dept_staff",):
            assert (await api.data(ENDPOINT, {"id": endpoint_id}, as_=who))["webhookEndpoint"] is None
            assert (await api.data(ENDPOINTS, as_=who))["webhookEndpoints"]["nodes"] == []
            for mutation, name in ((PAUSE, "pauseWebhookEndpoint"), (DELETE, "deleteWebhookEndpoint")):
                payload = (await api.data(mutation, variables, as_=who))[name]
                assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [
                    ("NOT_FOUND", ["input", "endpointId"])
                ]
            refused = (await api.data(CREATE, {"input": {"url": hooks.url(), "providerId": mine}}, as_=who))[
                "createWebhookEndpoint"
            ]
            assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [
                ("NOT_PERMITTED", ["input", "providerId"])
            ]
        station = await api.errors(CREATE, {"input": {"url": hooks.url()}}, as_="station")
        assert station[0]["extensions"]["code"] == "FORBIDDEN"
        anonymous = await api.errors(ENDPOINTS)
        assert anonymous[0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert (await api.errors(CREATE, {"input": {"url": hooks.url()}}))[0]["extensions"][
            "code"
        ] == "UNAUTHENTICATED"

        # Administrators see every provider's endpoints and name the provider they register for.
        assert (await api.data(ENDPOINTS, as_="admin"))["webhookEndpoints"]["nodes"] == [
            {"id": endpoint_id, "url": hooks.url()}
        ]
        unnamed = (await api.data(CREATE, {"input": {"url": hooks.url()}}, as_="admin"))[
            "createWebhookEndpoint"
        ]
        assert [(e["code"], e["field"]) for e in unnamed["userErrors"]] == [
            ("REQUIRED", ["input", "providerId"])
        ]
        for_other = await register(api, hooks.url("/other"), as_="admin", providerId=other)
        assert for_other["endpoint"]["provider"]["id"] == other
        assert (await api.data(ENDPOINTS, as_="other_dept_staff"))["webhookEndpoints"]["nodes"] == [
            {"id": for_other["endpoint"]["id"], "url": hooks.url("/other")}
        ]

        deleted = (await api.data(DELETE, variables, as_="provider"))["deleteWebhookEndpoint"]
        assert deleted == {"deletedEndpointId": endpoint_id, "userErrors": []}
        assert (await api.data(ENDPOINT, {"id": endpoint_id}, as_="provider"))["webhookEndpoint"] is None


async def test_two_processes_never_send_an_event_twice(server, template):
    url = await server.clone(template, f"doorstep_hooks_{uuid.uuid4().hex[:8]}")
    engine = create_engine(url, pool_size=1)
    env = {"DOORSTEP_WEBHOOK_ALLOW_PRIVATE": "true", "DOORSTEP_WEBHOOK_POLL_SECONDS": "0.2"}
    async with (
        receiver() as hooks,
        live_server(url, env=env) as a,
        live_server(url, env=env) as b,
        httpx.AsyncClient(base_url=a.http_url, timeout=30) as http_a,
        httpx.AsyncClient(base_url=b.http_url, timeout=30) as http_b,
    ):
        api_a, api_b = Api(http_a, engine), Api(http_b, engine)
        await register(api_a, hooks.url())
        service = await unlimited_service(api_a)
        # Events committed through both processes, each of which hears of all of them.
        orders = await asyncio.gather(*(place(api, service) for api in (api_a, api_b) * 6))
        accepted = await asyncio.gather(
            *(
                act(api, "ACCEPT", order, as_="provider")
                for api, order in zip((api_b, api_a) * 6, orders, strict=True)
            )
        )
        assert all(payload["userErrors"] == [] for payload in accepted)

        await hooks.until(lambda r: len(r) >= 24)
        # A request arrives before its sender logs it: wait for the log to have all of them.
        async with asyncio.timeout(WAIT_SECONDS):
            while await _scalar(engine, "SELECT count(*) FROM webhook_attempts WHERE succeeded") < 24:
                await asyncio.sleep(0.05)
        received = hooks.on("/hooks")
        ids = [r.message_id for r in received]
        assert len(ids) == len(set(ids)) == 24
        assert await _scalar(engine, "SELECT count(*) FROM webhook_attempts") == 24
        # Per order, placement before acceptance, whichever process sent each.
        by_order: dict[str, list[str]] = {}
        for request in received:
            message = json.loads(request.body)
            by_order.setdefault(message["data"]["orderId"], []).append(message["type"])
        assert sorted(by_order) == sorted(order["id"] for order in orders)
        assert all(sent == ["order.place", "order.accept"] for sent in by_order.values())
    await engine.dispose()


async def _scalar(engine, sql: str) -> int:
    async with engine.connect() as connection:
        return (await connection.execute(text(sql))).scalar_one()

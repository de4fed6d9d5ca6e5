"""What operators see: /metrics after real requests, one JSON log line per request, `make clean`."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from doorstep import logs
from doorstep.app import create_app
from doorstep.database import create_engine
from doorstep.progress import Progress
from doorstep.settings import RateLimits, Settings
from tests.conftest import LOGIN, NO_RATE_LIMITS, Api
from tests.live import ROOT, SECRET, GraphQLSocket, free_port, fresh_connections, served_app
from tests.order_steps import act, place, unlimited_service

WAIT = 20  # seconds something may take before the test fails; not a timing assertion
TOWNS = "query MetricsTowns { towns(first: 1) { totalCount } }"
ORDER_EVENTS = "subscription($id: ID!) { orderEvents(orderId: $id) { action } }"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(http: httpx.AsyncClient, **headers: str) -> Samples:
    response = await http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def until(check, what: str) -> None:
    """Polls `check` (async, true when done) for up to WAIT seconds."""
    for _ in range(WAIT * 10):
        if await check():
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never: {what}")


async def test_metrics_move_with_queries_errors_cache_hits_refusals_subscribers_and_reconnects(
    server, template
):
    url = await server.clone(template, f"doorstep_metrics_{uuid.uuid4().hex[:8]}")
    engine = create_engine(url, pool_size=1)
    # The station and the provider sign in (placing an order, reading the provider's services);
    # a third sign-in from the address is refused.
    rates = RateLimits(anonymous=None, account=None, login="2/minute")
    async with (
        served_app(url, rate_limits=rates) as served,
        httpx.AsyncClient(base_url=served.http_url, timeout=30) as http,
    ):
        api = Api(http, engine)
        service = await unlimited_service(api)
        order = await place(api, service)
        cache = served.app.state.response_cache

        async def online() -> bool:
            return cache.online

        await until(online, "the response cache listens")
        before = await scrape(http)

        first = await http.post("/graphql", json={"query": TOWNS})
        second = await http.post("/graphql", json={"query": TOWNS})
        assert [first.headers["x-doorstep-cache"], second.headers["x-doorstep-cache"]] == ["MISS", "HIT"]
        invalid = await http.post("/graphql", json={"query": "{ towns { nope } }"})
        assert invalid.json()["errors"][0]["message"].startswith("Cannot query field 'nope'")
        sign_in = {"query": LOGIN, "variables": {"input": {"username": "station", "password": "wrong"}}}
        assert (await http.post("/graphql", json=sign_in)).status_code == 429

        after = await scrape(http)
        moved = {
            "MetricsTowns requests": value(
                after,
                "doorstep_graphql_request_duration_seconds_count",
                operation="MetricsTowns",
                type="query",
            )
            - value(
                before,
                "doorstep_graphql_request_duration_seconds_count",
                operation="MetricsTowns",
                type="query",
            ),
            "validation errors": value(
                after, "doorstep_graphql_errors_total", code="GRAPHQL_VALIDATION_FAILED"
            )
            - value(before, "doorstep_graphql_errors_total", code="GRAPHQL_VALIDATION_FAILED"),
            "rate limited errors": value(after, "doorstep_graphql_errors_total", code="RATE_LIMITED")
            - value(before, "doorstep_graphql_errors_total", code="RATE_LIMITED"),
            "sign-in refusals": value(after, "doorstep_rate_limited_total", limit="sign-ins per address")
            - value(before, "doorstep_rate_limited_total", limit="sign-ins per address"),
            "cache hits": value(after, "doorstep_response_cache_hits_total")
            - value(before, "doorstep_response_cache_hits_total"),
        }
        assert moved == {
            "MetricsTowns requests": 2,
            "validation errors": 1,
            "rate limited errors": 1,
            "sign-in refusals": 1,
            "cache hits": 1,
        }
        assert value(after, "doorstep_response_cache_misses_total") > value(
            before, "doorstep_response_cache_misses_total"
        )
        # Every connection a request borrowed is back.
        assert ("doorstep_database_connections_in_use", frozenset({("pool", "requests")})) in after
        assert value(after, "doorstep_database_connections_in_use", pool="requests") == 0

        # A live subscription is counted while it lasts, and its event's lag observed.
        subscribers = value(after, "doorstep_live_subscribers")
        lags = value(after, "doorstep_live_delivery_lag_seconds_count")
        async with GraphQLSocket.open(served.ws_url, await api.token("station")) as screen:
            await screen.subscribe("order", ORDER_EVENTS, {"id": order["id"]})

            async def subscribed() -> bool:
                return value(await scrape(http), "doorstep_live_subscribers") == subscribers + 1

            await until(subscribed, "the subscriber is counted")
            await act(api, "ACCEPT", order, as_="provider")
            assert (await screen.next_data("order", WAIT))["orderEvents"]["action"] == "ACCEPT"
            assert value(await scrape(http), "doorstep_live_delivery_lag_seconds_count") > lags

        async def unsubscribed() -> bool:
            return value(await scrape(http), "doorstep_live_subscribers") == subscribers

        await until(unsubscribed, "the subscriber is no longer counted")

        # The broker's LISTEN connection is cut: it connects again, and says so.
        reconnects = value(await scrape(http), "doorstep_broker_reconnects_total")
        async with engine.connect() as connection:
            await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = 'doorstep-listener' AND datname = current_database()"
                )
            )

        async def reconnected() -> bool:
            return value(await scrape(http), "doorstep_broker_reconnects_total") == reconnects + 1

        await until(reconnected, "the broker reconnects")
    await engine.dispose()


async def test_metrics_need_the_token_when_one_is_set_and_in_production(shared_database):
    token = "metrics-token-0123456789"
    for settings in (
        replace(Settings.from_env(), metrics_token=token),
        replace(Settings.from_env(), production=True, secret_key=SECRET),
    ):
        app = create_app(settings, url=shared_database)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://doorstep.test") as http:
            assert (await http.get("/metrics")).status_code == 401
            assert (await http.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 401
            answer = await http.get("/metrics", headers={"Authorization": f"Bearer {token}"})
            # Production without a token configured refuses everyone.
            assert answer.status_code == (200 if settings.metrics_token else 401)
    on_a_port = create_app(replace(Settings.from_env(), metrics_port=free_port()), url=shared_database)
    transport = httpx.ASGITransport(app=on_a_port)
    async with httpx.AsyncClient(transport=transport, base_url="http://doorstep.test") as http:
        assert (await http.get("/metrics")).status_code == 404


@asynccontextmanager
async def serve(database_url: str, workers: int, environment: dict[str, str]) -> AsyncIterator[str]:
    """`doorstep serve --workers N` on the database, until the block ends; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "doorstep", "serve", "--workers", str(workers)],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "DOORSTEP_SECRET_KEY": SECRET,
            "PORT": str(port),
            "DOORSTEP_RATE_LIMIT_ANONYMOUS": "off",
            **environment,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


async def test_two_workers_add_up_in_one_scrape_and_serve_clears_its_metrics_folder(
    server, template, tmp_path
):
    url = await server.clone(template, f"doorstep_metrics_{uuid.uuid4().hex[:8]}")
    # The folder `serve` makes for the workers' files goes in the temporary folder named here.
    async with serve(url, 2, {"TMPDIR": str(tmp_path)}) as base, fresh_connections(base_url=base) as http:
        processes: set[int] = set()
        for _ in range(150 * 10):
            with contextlib.suppress(httpx.TransportError):
                answer = await http.get("/health")
                if answer.status_code == 200:
                    processes.add(answer.json()["process"])
                    if len(processes) == 2:
                        break
            await asyncio.sleep(0.1)
        assert len(processes) == 2, "both workers answer"
        assert [path.name.startswith("doorstep-metrics-") for path in tmp_path.iterdir()] == [True]

        answered: set[int] = set()
        for _ in range(20):
            response = await http.post("/graphql", json={"query": TOWNS})
            assert response.json()["data"] == {"towns": {"totalCount": 36}}
        for _ in range(10):
            answered.add((await http.get("/health")).json()["process"])
        # Whichever worker answers the scrape, it reads every worker's counts.
        counts = {
            value(
                await scrape(http),
                "doorstep_graphql_request_duration_seconds_count",
                operation="MetricsTowns",
                type="query",
            )
            for _ in range(6)
        }
        assert counts == {20}
        assert len(answered) == 2
    assert list(tmp_path.iterdir()) == [], "serve removed the folder it made"


async def test_each_request_is_one_json_line_with_its_id_operation_viewer_duration_and_cost(shared_database):
    lines = io.StringIO()
    logs.configure(lines, json=True)
    try:
        settings = replace(Settings.from_env(), rate_limits=NO_RATE_LIMITS)
        app = create_app(settings, url=shared_database)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://doorstep.test") as http:
                api = Api(http, app.state.engine)
                token = await api.token("station")
                answer = await http.post(
                    "/graphql",
                    json={"query": "query StationTowns { towns(first: 2) { nodes { name } } }"},
                    headers={"Authorization": f"Bearer {token}", "X-Request-Id": "trace-0001.a"},
                )
                assert answer.headers["x-request-id"] == "trace-0001.a"
                # An id with a line break (or far too long) is not believed: a new one is made.
                made = await http.post("/graphql", json={"query": TOWNS}, headers={"X-Request-Id": "x" * 200})
                assert len(made.headers["x-request-id"]) == 32
                forbidden = await http.post(
                    "/graphql",
                    json={"query": "{ users(first: 1) { totalCount } }"},
                    headers={"Authorization": f"Bearer {token}", "X-Request-Id": "trace-0002"},
                )
                assert forbidden.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
            station_user = await app.state.engine.connect()
            try:
                viewer_id = await station_user.scalar(text("SELECT id FROM users WHERE username = 'station'"))
            finally:
                await station_user.close()
    finally:
        logs.configure()
    output = lines.getvalue()
    assert token not in output
    parsed = [json.loads(line) for line in output.splitlines()]
    [line] = [
        entry for entry in parsed if entry.get("request_id") == "trace-0001.a" and entry["event"] == "request"
    ]
    assert line["duration_ms"] > 0
    assert {
        key: line[key]
        for key in ("method", "path", "status", "operation", "operation_type", "viewer_id", "cost", "cache")
    } == {
        "method": "POST",
        "path": "/graphql",
        "status": 200,
        "operation": "StationTowns",
        "operation_type": "query",
        "viewer_id": viewer_id,
        "cost": {"requestedNodes": 2, "actualNodes": 2, "maximumNodes": 50_000},
        "cache": "MISS",
    }
    assert line["level"] == "info" and line["timestamp"].endswith("Z")
    # The error's own line carries the request's id too, and the request line its code.
    refused = [entry for entry in parsed if entry.get("request_id") == "trace-0002"]
    assert [(entry["event"], entry.get("code"), entry.get("errors")) for entry in refused] == [
        ("client_error", "FORBIDDEN", None),
        ("request", None, ["FORBIDDEN"]),
    ]
    assert refused[1]["operation"] == "anonymous"


def test_progress_is_a_bar_in_a_terminal_and_lines_elsewhere(caplog):
    bar = io.StringIO()
    progress = Progress("seed", 3, bar, bar=True)
    for step in ("one", "two", "three"):
        progress.advance(step)
    progress.close()
    assert "seed: 100%" in bar.getvalue() and "3/3" in bar.getvalue()

    caplog.set_level("INFO", logger="doorstep.progress")
    plain = io.StringIO()
    progress = Progress("seed", 2, plain)
    progress.advance("one")
    progress.advance("two")
    progress.close()
    assert plain.getvalue() == "", "no bar drawn where stderr is no terminal"
    # The first step within a few seconds of the start says nothing; the last always speaks.
    assert [record.getMessage().split(", ")[0] for record in caplog.records] == ["seed: 2/2 steps (two)"]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_clean_stops_the_embedded_server_and_not_the_shell_naming_its_folder(tmp_path):
    import pgserver

    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    cluster = tmp_path / ".doorstep" / "postgres"
    cluster.mkdir(parents=True)
    pgserver.get_server(cluster, cleanup_mode=None)
    postmaster = int((cluster / "postmaster.pid").read_text().split()[0])
    # What the old `pkill -f -- "-D <folder>"` also matched: a shell whose command line names it.
    bystander = subprocess.Popen(["sh", "-c", f"sleep 60 # -D {cluster}"])
    try:
        done = subprocess.run(
            ["make", "-C", str(tmp_path), "clean"], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        assert f"Stopping the embedded PostgreSQL (pid {postmaster})" in done.stdout
        with pytest.raises(ProcessLookupError):
            os.kill(postmaster, 0)
        assert bystander.poll() is None, "a process that merely names the folder lives on"
        assert not (tmp_path / ".doorstep").exists()
    finally:
        bystander.kill()
        bystander.wait()

"""`doorstep bench live`: thousands of screens subscribed while mutations flow, and what reached them.

1. Start `doorstep serve --workers N` on the database (or use a running one), make the
   cast (`district.prepare`): station accounts and provider accounts.
2. Open the subscribers as screens do: `stationFeed` for 80 % of them, spread over the
   stations, `providerInbox` for the rest, spread over the providers; each resumes
   `after` the newest event at the start, so none misses one while it registers.
3. Drive mutations (placing orders and moving them along the happy path) at a fixed
   rate, open loop, for a duration.
4. Wait for the deliveries to settle, then compare what each screen received with what
   it should have received according to the database (the events committed during the
   run, of its station or provider): lost, duplicated, and the delivery latency, from
   the event's `occurredAt` (its transaction's start, on this machine's clock) to its
   arrival, so a latency includes the mutation's own time up to its commit.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import time
from collections import Counter, deque
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import datetime

import httpx
import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from doorstep.bench import servers
from doorstep.bench.client import BenchError, Sample
from doorstep.bench.district import STEPS, Account, District, prepare
from doorstep.bench.sockets import ScreenSocket
from doorstep.database import create_engine
from resolvers.orders.events import event_cursor

SELECTIONS = {
    "order": "cursor occurredAt action order { id status station { name } service { name } }",
    "event": "cursor occurredAt action fromStatus toStatus note",
}
STATION_FEED = "subscription($id: ID!, $after: String) { stationFeed(stationId: $id, after: $after) { %s } }"
PROVIDER_INBOX = (
    "subscription($id: ID!, $after: String) { providerInbox(providerId: $id, after: $after) { %s } }"
)
SETTLE_SECONDS = 30.0
"""How long deliveries may go on arriving after the last mutation's answer."""


@dataclass(frozen=True)
class LiveOptions:
    subscribers: int = 2000
    selection: str = "order"
    """`order` (event fields and `order { id status station { name } service { name } }`) or `event`."""
    rate: float = 20.0
    """Mutations per second."""
    seconds: float = 30.0
    stations: int = 20
    providers: int = 1
    workers: int = 2
    database_url: str | None = None
    url: str | None = None
    """A running doorstep's base URL (http://host:port), instead of starting one."""
    handshakes: int = 20
    """Websockets opened at once while the subscribers connect."""


@dataclass
class Screen:
    account: Account
    provider: bool
    received: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    closed: str | None = None
    """Why the server closed it early, if it did."""


@dataclass
class LiveReport:
    options: LiveOptions
    screens: list[Screen]
    mutations: Sample
    mutation_errors: int
    expected: int = 0
    lost: int = 0
    duplicated: int = 0
    unexpected: int = 0

    def delivery(self) -> Sample:
        return Sample(latencies=[latency for screen in self.screens for latency in screen.latencies])

    def lines(self) -> list[str]:
        delivery = self.delivery()
        closed = Counter(screen.closed for screen in self.screens if screen.closed)
        return [
            f"subscribers: {len(self.screens)} ({self.options.selection} selection), "
            f"{self.options.workers} workers",
            f"mutations: {len(self.mutations.latencies)} in {self.mutations.elapsed:.1f} s = "
            f"{self.mutations.rate:.1f}/s (asked {self.options.rate:g}/s), "
            f"p50 {self.mutations.percentile(0.5):.0f} ms, p99 {self.mutations.percentile(0.99):.0f} ms, "
            f"errors {self.mutation_errors}",
            f"deliveries: {len(delivery.latencies)} of {self.expected} expected, "
            f"p50 {delivery.percentile(0.5):.0f} ms, p99 {delivery.percentile(0.99):.0f} ms, "
            f"max {max(delivery.latencies, default=0) * 1000:.0f} ms",
            f"lost {self.lost}, duplicated {self.duplicated}, unexpected {self.unexpected}, "
            f"closed early {dict(closed) or 0}",
        ]


def event_id(cursor: str) -> int:
    return int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":")[1])


async def watch(
    ws_url: str,
    screen: Screen,
    query: str,
    variables: dict,
    handshakes: asyncio.Semaphore,
    ready: asyncio.Future[None],
) -> None:
    """One screen: connect, subscribe (then `ready`), record every event until cancelled or closed."""
    try:
        async with handshakes:
            socket = await ScreenSocket.open(ws_url, "graphql-transport-ws")
            socket.send(
                {"type": "connection_init", "payload": {"authorization": f"Bearer {screen.account.token}"}}
            )
            if (await socket.receive())["type"] != "connection_ack":
                raise BenchError(f"{screen.account.username} was not acknowledged")
            socket.send({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}})
    except Exception as error:
        ready.set_exception(error)
        return
    received, latencies = screen.received, screen.latencies

    def record(raw: bytes) -> None:
        arrived = time.time()
        message = orjson.loads(raw)
        if message["type"] != "next":
            screen.closed = f"{message['type']}: {message.get('payload')}"
            return
        event = next(iter(message["payload"]["data"].values()))
        received[event_id(event["cursor"])] += 1
        latencies.append(arrived - datetime.fromisoformat(event["occurredAt"]).timestamp())

    socket.listen(record)
    ready.set_result(None)
    try:
        # Until the benchmark cancels the screen, or the server ends its connection.
        await socket.lost
        screen.closed = screen.closed or socket.closed
    finally:
        socket.close()


async def drive(district: District, rate: float, seconds: float) -> tuple[Sample, int]:
    """Mutations at `rate` per second for `seconds`, open loop: placements, then their next steps."""
    loop = asyncio.get_running_loop()
    waiting: deque[tuple[dict, int, Account, Account]] = deque()
    sample, errors = Sample(), 0

    async def one(number: int) -> None:
        nonlocal errors
        started = loop.time()
        try:
            if number % 3 == 0 or not waiting:
                station = district.stations[number % len(district.stations)]
                orderable = district.unlimited[number % len(district.unlimited)]
                payload = await district.place(station, orderable)
                if payload["order"]:
                    waiting.append((payload["order"], 0, station, district.providers[orderable.provider_id]))
            else:
                order, step, station, provider = waiting.popleft()
                payload = await district.step(step, order, station, provider)
                if step + 1 < len(STEPS) and payload["order"]:
                    waiting.append(({**order, **payload["order"]}, step + 1, station, provider))
            if payload["userErrors"]:
                errors += 1
        except (BenchError, httpx.HTTPError):
            errors += 1
        sample.latencies.append(loop.time() - started)

    began = loop.time()
    tasks = []
    for number in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, began + number / rate - loop.time()))
        tasks.append(asyncio.create_task(one(number)))
    await asyncio.gather(*tasks)
    sample.elapsed = loop.time() - began
    return sample, errors


async def run_live(options: LiveOptions) -> LiveReport:
    if options.database_url is None:
        raise BenchError("the live benchmark needs the database's URL")
    if options.selection not in SELECTIONS:
        raise BenchError(f"selections are {', '.join(SELECTIONS)}")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    engine = create_engine(options.database_url, pool_size=1)
    async with AsyncExitStack() as stack:
        stack.push_async_callback(engine.dispose)
        base = options.url or (
            await stack.enter_async_context(
                servers.started("doorstep", options.database_url, workers=options.workers)
            )
        ).url.removesuffix("/graphql")
        http = await stack.enter_async_context(
            httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=64))
        )
        district = await prepare(engine, http, options.stations, options.providers)
        async with engine.connect() as connection:
            start = int(
                await connection.scalar(text("SELECT coalesce(max(commit_order), 0) FROM order_events"))
            )
        screens = _screens(district, options.subscribers)
        selection = SELECTIONS[options.selection]
        handshakes = asyncio.Semaphore(options.handshakes)
        loop = asyncio.get_running_loop()
        ready = [loop.create_future() for _ in screens]
        watchers = [
            asyncio.create_task(
                watch(
                    base.replace("http", "ws", 1) + "/graphql",
                    screen,
                    (PROVIDER_INBOX if screen.provider else STATION_FEED) % selection,
                    {"id": screen.account.scope_global_id, "after": event_cursor(start)},
                    handshakes,
                    subscribed,
                )
            )
            for screen, subscribed in zip(screens, ready, strict=True)
        ]
        try:
            # Resuming after the start, a screen misses nothing committed while it registers.
            await asyncio.gather(*ready)
            mutations, errors = await drive(district, options.rate, options.seconds)
            report = LiveReport(options, screens, mutations, errors)
            expected = await _expected(engine, start)
            deadline = time.monotonic() + SETTLE_SECONDS
            while time.monotonic() < deadline and not _settled(screens, expected):
                await asyncio.sleep(0.2)
        finally:
            for task in watchers:
                task.cancel()
            for task in watchers:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        _count(report, expected)
    return report


def _screens(district: District, count: int) -> list[Screen]:
    providers = list(district.providers.values())
    station_screens = round(count * 0.8)
    return [Screen(district.stations[n % len(district.stations)], False) for n in range(station_screens)] + [
        Screen(providers[n % len(providers)], True) for n in range(count - station_screens)
    ]


async def _expected(engine: AsyncEngine, start: int) -> list[tuple[int, int, int]]:
    """(event position, station id, provider id) of every event committed since the start."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT e.commit_order, o.station_id, o.provider_id FROM order_events e JOIN orders o ON o.id = e.order_id "
                "WHERE e.commit_order > :start ORDER BY e.commit_order"
            ),
            {"start": start},
        )
        return [(row[0], row[1], row[2]) for row in rows]


def _due(screen: Screen, expected: list[tuple[int, int, int]]) -> set[int]:
    column = 2 if screen.provider else 1
    return {row[0] for row in expected if row[column] == screen.account.scope_id}


def _settled(screens: list[Screen], expected: list[tuple[int, int, int]]) -> bool:
    return all(screen.closed or _due(screen, expected) <= screen.received.keys() for screen in screens)


def _count(report: LiveReport, expected: list[tuple[int, int, int]]) -> None:
    newest = expected[-1][0] if expected else 0
    for screen in report.screens:
        due = _due(screen, expected)
        report.expected += len(due)
        report.lost += len(due - screen.received.keys())
        report.duplicated += sum(count - 1 for count in screen.received.values())
        report.unexpected += len([i for i in screen.received if i not in due and i <= newest])

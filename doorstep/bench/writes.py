"""`doorstep bench writes`: clients placing orders and moving them along, then the invariants in SQL.

Each client is a station account in a closed loop: it places an order (every fifth one of
a service with a capacity, when the district has one; every tenth sent twice at once
with one idempotency key, as a retry racing its original), then takes it through the
happy path, the provider's steps with the provider's account. The latencies and the rate are
those of the measured seconds, after a warm-up under the same load. Afterwards the database
must hold, for the orders and events of the whole run:

- one order per idempotency key;
- histories consistent with statuses: each event starts where the one before ended,
  the first is the placement, the last ends at the order's status;
- no capacity period booked beyond the service's capacity;
- event positions (the subscription cursors) without gaps.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

import httpx
from sqlalchemy import text

from doorstep.bench import servers
from doorstep.bench.client import BenchError, Sample
from doorstep.bench.district import STEPS, District, prepare
from doorstep.database import create_engine
from models.orders import RELEASED

RELEASED_NAMES = ", ".join(f"'{status.name}'" for status in RELEASED)
INVARIANTS = {
    "orders sharing an idempotency key": """
        SELECT count(*) FROM (SELECT 1 FROM orders WHERE id > :orders
        GROUP BY placed_by_id, idempotency_key HAVING count(*) > 1) AS shared""",
    "events not following the order's history": """
        WITH history AS (
            SELECT e.order_id, e.action, e.from_status, e.to_status,
                   lag(e.to_status) OVER (PARTITION BY e.order_id ORDER BY e.id) AS before,
                   row_number() OVER (PARTITION BY e.order_id ORDER BY e.id DESC) AS from_last
            FROM order_events e WHERE e.order_id > :orders AND e.deadline IS NULL)
        SELECT count(*) FROM history h JOIN orders o ON o.id = h.order_id
        WHERE (h.before IS NULL AND (h.action <> 'PLACE' OR h.from_status IS NOT NULL))
           OR (h.before IS NOT NULL AND h.from_status IS DISTINCT FROM h.before)
           OR (h.from_last = 1 AND h.to_status <> o.status)""",
    "capacity periods overbooked": f"""
        SELECT count(*) FROM (
            SELECT sum(o.quantity) AS booked, min(s.capacity_per_period) AS capacity
            FROM orders o JOIN services s ON s.id = o.service_id
            WHERE s.capacity_per_period IS NOT NULL AND o.status NOT IN ({RELEASED_NAMES})
            GROUP BY o.service_id, date_trunc(lower(s.capacity_period::text), o.requested_start)
        ) AS periods WHERE booked > capacity""",
    "event positions missing": """
        SELECT coalesce(max(commit_order) - min(commit_order) + 1 - count(*), 0) FROM order_events
        WHERE commit_order > :events""",
}


@dataclass(frozen=True)
class WriteOptions:
    clients: int = 32
    seconds: float = 30.0
    # The same load first, unmeasured: the server's first requests open its connections, prepare
    # its statements and fill its caches, and all the clients start with a placement at once.
    warmup: float = 5.0
    stations: int = 20
    providers: int = 1
    workers: int = 2
    database_url: str | None = None
    url: str | None = None


@dataclass
class WriteReport:
    options: WriteOptions
    samples: dict[str, Sample] = field(default_factory=dict)
    # The placements by kind, to tell where their tail comes from (counted once, in `samples`).
    placements: dict[str, Sample] = field(default_factory=dict)
    refused: int = 0
    elapsed: float = 0.0
    invariants: dict[str, int] = field(default_factory=dict)

    def sample(self, name: str) -> Sample:
        return self.samples.setdefault(name, Sample())

    @property
    def mutations(self) -> int:
        return sum(len(sample.latencies) for sample in self.samples.values())

    def lines(self) -> list[str]:
        lines = [
            f"{self.options.clients} clients, {self.options.workers} workers, {self.elapsed:.1f} s measured "
            f"after {self.options.warmup:.0f} s of warm-up: "
            f"{self.mutations} mutations = {self.mutations / self.elapsed:.1f}/s, "
            f"{self.refused} answered with userErrors (capacity reached, as designed)"
        ]
        named = ["placeOrder", *(name for _action, name, _side, _extra in STEPS)]
        for name, sample in sorted(self.samples.items(), key=lambda item: named.index(item[0])):
            lines.append(
                f"  {name}: {len(sample.latencies)}, p50 {sample.percentile(0.5):.0f} ms, "
                f"p99 {sample.percentile(0.99):.0f} ms"
            )
            if name == "placeOrder":
                lines += [
                    f"    {kind}: {len(part.latencies)}, p50 {part.percentile(0.5):.0f} ms, "
                    f"p99 {part.percentile(0.99):.0f} ms"
                    for kind, part in self.placements.items()
                ]
        lines += [f"invariant, {name}: {count}" for name, count in self.invariants.items()]
        return lines


async def client(
    number: int, district: District, report: WriteReport, measured_from: float, until: float
) -> None:
    loop = asyncio.get_running_loop()
    station = district.stations[number % len(district.stations)]
    placed = 0

    async def timed(name: str, call: Awaitable[dict], kind: str | None = None) -> dict:
        started = loop.time()
        payload = await call
        if started >= measured_from:
            latency = loop.time() - started
            report.sample(name).latencies.append(latency)
            if kind is not None:
                report.placements.setdefault(kind, Sample()).latencies.append(latency)
            if payload["userErrors"]:
                report.refused += 1
        return payload

    while loop.time() < until:
        placed += 1
        limited = district.limited is not None and placed % 5 == 0
        orderable = (
            district.limited
            if limited and district.limited
            else district.unlimited[number % len(district.unlimited)]
        )
        key = str(uuid.uuid4())
        kind = "of a limited service" if limited else "of an unlimited service"
        if placed % 10 == 0:
            first, retry = await asyncio.gather(
                timed("placeOrder", district.place(station, orderable, key), "twice at once, one key"),
                timed("placeOrder", district.place(station, orderable, key), "twice at once, one key"),
            )
            if first["order"] != retry["order"]:
                raise BenchError(f"a retry with one idempotency key placed another order: {first} {retry}")
        else:
            first = await timed("placeOrder", district.place(station, orderable, key), kind)
        order = first["order"]
        provider = district.providers[orderable.provider_id]
        for index, (_action, name, _side, _extra) in enumerate(STEPS):
            if order is None or loop.time() >= until:
                break
            payload = await timed(name, district.step(index, order, station, provider))
            order = {**order, **payload["order"]} if payload["order"] else None


async def run_writes(options: WriteOptions) -> WriteReport:
    if options.database_url is None:
        raise BenchError("the write benchmark needs the database's URL")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    engine = create_engine(options.database_url, pool_size=1)
    report = WriteReport(options)
    async with AsyncExitStack() as stack:
        stack.push_async_callback(engine.dispose)
        base = options.url or (
            await stack.enter_async_context(
                servers.started("doorstep", options.database_url, workers=options.workers)
            )
        ).url.removesuffix("/graphql")
        limits = httpx.Limits(max_connections=options.clients * 2)
        http = await stack.enter_async_context(httpx.AsyncClient(base_url=base, timeout=60, limits=limits))
        district = await prepare(engine, http, options.stations, options.providers)
        async with engine.connect() as connection:
            marks = (
                await connection.execute(
                    text(
                        "SELECT (SELECT coalesce(max(id), 0) FROM orders), "
                        "(SELECT coalesce(max(commit_order), 0) FROM order_events)"
                    )
                )
            ).one()
        loop = asyncio.get_running_loop()
        measured_from = loop.time() + options.warmup
        until = measured_from + options.seconds
        await asyncio.gather(
            *(client(number, district, report, measured_from, until) for number in range(options.clients))
        )
        report.elapsed = loop.time() - measured_from
        async with engine.connect() as connection:
            for name, sql in INVARIANTS.items():
                marked = {
                    mark: value
                    for mark, value in zip(("orders", "events"), marks, strict=True)
                    if f":{mark}" in sql
                }
                report.invariants[name] = int(await connection.scalar(text(sql), marked) or 0)
    return report

"""A rerunnable read benchmark against a running server: `doorstep bench`.

Runs the queries station screens and consoles send most, each with several clients
in parallel, and reports throughput and latency percentiles. Figures depend on the
machine; compare runs on the same one.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import time

import httpx

SCENARIOS: dict[str, str] = {
    "station screen (menu with facets)": """
        query($first: Int!) { stations(first: 1) { nodes { name openingHours { day opensAt closesAt }
          menu(first: $first) { totalCount nodes { name tier provider { name } category { name } } } } }
          services(first: 1) { countsByTier { tier count } countsByCategory { category { name } count } } }""",
    "catalog page (services with provider and category)": """
        query($first: Int!) { services(first: $first) { nodes { name tier audiences
          provider { name } category { name parent { name } } } } }""",
    "search 养老 in the three lists": """
        query($first: Int!) { services(first: $first, filter: {search: "养老"}) { totalCount nodes { name } }
          projects(first: $first, filter: {search: "养老"}) { totalCount nodes { name } }
          resources(first: $first, filter: {search: "养老"}) { totalCount nodes { name } } }""",
    "36 towns with their stations": """
        query($first: Int!) { towns(first: 36) { nodes { name stations(first: $first) { totalCount
          nodes { name kind } } } } }""",
}


async def run_scenario(
    client: httpx.AsyncClient, url: str, query: str, requests: int, concurrency: int, page_size: int
) -> tuple[float, float, float, float]:
    """Requests per second, and the 50th, 95th and 99th percentile latencies in milliseconds."""
    latencies: list[float] = []
    remaining = iter(range(requests))

    async def worker() -> None:
        for _ in remaining:
            started = time.perf_counter()
            response = await client.post(url, json={"query": query, "variables": {"first": page_size}})
            latencies.append(time.perf_counter() - started)
            body = response.json()
            if response.status_code != 200 or body.get("errors"):
                raise RuntimeError(f"benchmark query failed: {response.status_code} {body.get('errors')}")

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return requests / elapsed, quantiles[49] * 1000, quantiles[94] * 1000, quantiles[98] * 1000


async def run(url: str, requests: int, concurrency: int, page_size: int) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    async with httpx.AsyncClient(timeout=60) as client:
        print(
            f"{requests} requests per scenario, {concurrency} concurrent clients, pages of {page_size}, {url}"
        )
        print(f"{'scenario':58} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        for name, query in SCENARIOS.items():
            await run_scenario(client, url, query, min(requests, 20), concurrency, page_size)  # warm-up
            rate, p50, p95, p99 = await run_scenario(client, url, query, requests, concurrency, page_size)
            print(f"{name:58} {rate:8.1f} {p50:8.1f} {p95:8.1f} {p99:8.1f}")

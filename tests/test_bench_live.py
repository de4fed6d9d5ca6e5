"""`doorstep bench live` and `doorstep bench writes` end to end, at a tiny scale.

The figures are not asserted (they depend on the machine); what the benchmarks check is:
every event reached every screen that follows it, once, and the invariants hold.
"""

from __future__ import annotations

import uuid

import pytest

from doorstep.bench.live import LiveOptions, run_live
from doorstep.bench.writes import WriteOptions, run_writes
from tests.live import SECRET


@pytest.fixture
async def bench_database(server, template, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DOORSTEP_SECRET_KEY", SECRET)
    return await server.clone(template, f"doorstep_bench_{uuid.uuid4().hex[:8]}")


async def test_bench_live_delivers_every_event_once_to_every_screen(bench_database: str) -> None:
    report = await run_live(
        LiveOptions(subscribers=10, rate=5, seconds=2, stations=4, database_url=bench_database)
    )

    assert len(report.screens) == 10 and sum(screen.provider for screen in report.screens) == 2
    assert len(report.mutations.latencies) == 10 and report.mutation_errors == 0
    # Each event reaches its station's screens and both provider screens.
    assert report.expected >= 10 * 2 and len(report.delivery().latencies) == report.expected
    assert (report.lost, report.duplicated, report.unexpected) == (0, 0, 0)
    assert not any(screen.closed for screen in report.screens)
    assert "lost 0, duplicated 0" in "\n".join(report.lines())


async def test_bench_writes_checks_the_invariants(bench_database: str) -> None:
    report = await run_writes(
        WriteOptions(clients=4, seconds=2, warmup=0.5, stations=4, database_url=bench_database)
    )

    assert len(report.sample("placeOrder").latencies) >= 4
    assert report.mutations > len(report.sample("placeOrder").latencies)
    assert report.invariants == {
        "orders sharing an idempotency key": 0,
        "events not following the order's history": 0,
        "capacity periods overbooked": 0,
        "event positions missing": 0,
    }

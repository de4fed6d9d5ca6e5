"""`doorstep bench` end to end with a handful of requests: both servers start, answer alike, get measured.

The figures themselves are not asserted (they depend on the machine); that the floor
answers every read as doorstep does is, since the comparison means nothing otherwise.
"""

from __future__ import annotations

import pytest

from doorstep.bench.runner import Options, first_difference, run, table
from tests.live import SECRET


async def test_bench_runs_the_five_reads_on_both_servers(
    shared_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOORSTEP_SECRET_KEY", SECRET)
    report = await run(Options(requests=4, concurrency=2, rounds=2, database_url=shared_database))

    assert report.answers["floor"] == report.answers["doorstep"]
    catalog, station, directory, search, service = (answer["data"] for answer in report.answers["doorstep"])
    # Equal answers prove something only when they hold data.
    assert len(catalog["services"]["nodes"]) == 20
    assert len(station["station"]["openingHours"]) > 0
    assert len(station["station"]["menu"]["nodes"]) == 10
    assert len(directory["towns"]["nodes"]) == 36
    assert all(search[name]["totalCount"] > 0 for name in ("services", "projects", "resources"))
    assert service["service"]["provider"]["name"]

    for mode in ("uncached", "cached"):
        printed = table(report, ("doorstep", "floor"), mode)
        rows = printed.splitlines()[2:]
        assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == [
            read.name for read in report.reads
        ]
        assert len(rows) == 5
    assert len(report.samples) == 2 * 2 * 5
    for (_mode, _target, _read), sample in report.samples.items():
        assert len(sample.latencies) == 4
        assert sample.cpu_per_request is not None and sample.cpu_per_request > 0


def test_a_difference_between_answers_is_found_and_located() -> None:
    doorstep = {"data": {"services": {"nodes": [{"name": "甲"}, {"name": "乙"}]}}}
    assert first_difference(doorstep, doorstep) is None
    floor = {"data": {"services": {"nodes": [{"name": "甲"}, {"name": "丙"}]}}}
    assert first_difference(doorstep, floor) == ".data.services.nodes[1].name: '乙' against '丙'"
    assert first_difference(doorstep, {"data": {"services": {"nodes": []}}}) == (
        ".data.services.nodes: 2 items against 0"
    )

"""`doorstep bench`: the five reads against doorstep and the floor, side by side, in rounds.

1. Start the targets that have no URL (`servers.started`) on one database.
2. Ask for the five reads once from each target; refuse to measure when the floor's
   answer differs from doorstep's, so the two do the same work.
3. Warm up, then measure in rounds: each round sends every read to every target in
   turn (the order of the targets alternating), so a burst of load from elsewhere
   on the machine falls on both alike.
4. Print requests per second, p50 and p99 latency, server CPU per request, and the
   ratio doorstep/floor of requests per second.

Steps 2 to 4 run once per mode: `uncached` sends `Cache-Control: no-cache`, so doorstep
runs every read; `cached` sends nothing, so doorstep answers from its response cache
after the first request of each read. The floor has no cache and ignores the header:
it is measured beside doorstep in each mode, so each table compares like with like.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

from doorstep.bench import client, reads, servers
from doorstep.bench.client import BenchError, Sample
from doorstep.bench.servers import Target

TARGETS = ("doorstep", "floor")
MODES = {"uncached": {"Cache-Control": "no-cache"}, "cached": {}}
"""The headers each mode's requests carry."""
WARM_UP_REQUESTS = 20


@dataclass(frozen=True)
class Options:
    targets: tuple[str, ...] = TARGETS
    requests: int = 300
    """Requests per read and target, over all rounds."""
    concurrency: int = 8
    rounds: int = 3
    doorstep_url: str | None = None
    """A running doorstep to measure instead of starting one."""
    database_url: str | None = None
    """The database the started servers read; needed only when the benchmark starts one."""
    modes: tuple[str, ...] = tuple(MODES)
    """`uncached` (doorstep runs every read), `cached` (it answers from its response cache), or both."""


@dataclass
class Report:
    reads: list[reads.Read]
    answers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Each target's answer to each read, in the order of `reads`, without its `extensions`."""
    samples: dict[tuple[str, str, str], Sample] = field(default_factory=dict)
    """What was measured, by (mode, target, read name)."""

    def sample(self, mode: str, target: str, read: str) -> Sample:
        return self.samples.setdefault((mode, target, read), Sample())


def first_difference(expected: Any, actual: Any, path: str = "") -> str | None:
    """Where two decoded JSON answers first differ, as a path like `.services.nodes[3].name`."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in expected.keys() | actual.keys():
            found = first_difference(
                expected.get(key, "<missing>"), actual.get(key, "<missing>"), f"{path}.{key}"
            )
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path}: {len(expected)} items against {len(actual)}"
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            found = first_difference(left, right, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if expected == actual else f"{path}: {expected!r} against {actual!r}"


async def check_answers(report: Report, targets: list[Target], headers: dict[str, str]) -> None:
    """Every target answers every read without errors, and the floor as doorstep does."""
    for target in targets:
        answers = report.answers[target.name] = []
        for read in report.reads:
            answer = await client.fetch_json(target.url, read.body(), headers)
            if answer.get("errors") or not answer.get("data"):
                raise BenchError(f"{target.name} answered {read.name} with {answer}")
            # What a server says about its answer (doorstep's `extensions.cost`) is not the
            # answer: the floor, which plans nothing, has no cost to report.
            answer.pop("extensions", None)
            answers.append(answer)
    first, *others = targets
    for other in others:
        for read, expected, actual in zip(
            report.reads, report.answers[first.name], report.answers[other.name], strict=True
        ):
            difference = first_difference(expected, actual)
            if difference:
                raise BenchError(
                    f"{other.name} answers {read.name} differently from {first.name}, at {difference}; "
                    "the comparison would not be fair, so nothing was measured"
                )


def round_orders(targets: list[Target], rounds: int) -> Iterator[list[Target]]:
    for number in range(rounds):
        yield targets if number % 2 == 0 else targets[::-1]


async def measure(report: Report, targets: list[Target], options: Options, mode: str) -> None:
    headers = MODES[mode]
    per_round = max(1, options.requests // options.rounds)
    for read in report.reads:
        for target in targets:
            warm_up = min(WARM_UP_REQUESTS, options.requests)
            await client.load(target.url, read.body(), headers, warm_up, options.concurrency)
    for order in round_orders(targets, options.rounds):
        for read in report.reads:
            for target in order:
                before = target.cpu_seconds()
                sample = await client.load(target.url, read.body(), headers, per_round, options.concurrency)
                after = target.cpu_seconds()
                sample.cpu = None if before is None or after is None else after - before
                report.sample(mode, target.name, read.name).add(sample)


async def run(options: Options) -> Report:
    """Start what needs starting, check the answers, measure; the servers started are stopped."""
    unknown = set(options.targets) - set(TARGETS)
    if unknown or not options.targets:
        raise BenchError(f"targets are {' and '.join(TARGETS)}; got {', '.join(options.targets)}")
    if set(options.modes) - set(MODES) or not options.modes:
        raise BenchError(f"modes are {' and '.join(MODES)}; got {', '.join(options.modes)}")
    headers = MODES[options.modes[0]]
    logging.getLogger("httpx").setLevel(logging.WARNING)
    async with AsyncExitStack() as stack:
        targets = []
        for name in options.targets:
            if name == "doorstep" and options.doorstep_url:
                targets.append(Target(name, options.doorstep_url))
                continue
            if options.database_url is None:
                raise BenchError(f"starting {name} needs the database's URL")
            targets.append(await stack.enter_async_context(servers.started(name, options.database_url)))
        picked = await client.fetch_json(targets[0].url, {"query": reads.PICK}, headers)
        report = Report(reads.five_reads(*reads.picked_ids(picked["data"])))
        for mode in options.modes:
            await check_answers(report, targets, MODES[mode])
            await measure(report, targets, options, mode)
    return report


def table(report: Report, targets: tuple[str, ...], mode: str) -> str:
    """The results of a mode as a Markdown table, one row per read."""
    columns = ["read"]
    for name in targets:
        columns += [f"{name} req/s", "p50 ms", "p99 ms", "CPU ms/req"]
    if len(targets) == 2:
        columns.append(f"ratio {targets[0]}/{targets[1]}")
    lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    for read in report.reads:
        cells = [read.name]
        for name in targets:
            sample = report.sample(mode, name, read.name)
            cpu = sample.cpu_per_request
            cells += [
                f"{sample.rate:,.0f}",
                f"{sample.percentile(0.50):.1f}",
                f"{sample.percentile(0.99):.1f}",
                "-" if cpu is None else f"{cpu:.2f}",
            ]
        if len(targets) == 2:
            first, second = (report.sample(mode, name, read.name).rate for name in targets)
            cells.append(f"{first / second:.3f}" if second else "-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)

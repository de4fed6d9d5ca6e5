"""Every metric doorstep exports, and `/metrics` in the Prometheus text format (`prometheus-client`).

One module holds them all, so their names, labels and meaning are read in one place
(the README lists them) and every part of the app increments the same objects. It
depends on nothing but prometheus-client, like `doorstep.settings` on nothing of the
project's, so the schema's error log can count errors here. `/metrics` itself is
served by `doorstep.observe`.

With several worker processes (`doorstep serve --workers N`) each one writes its values
to files in PROMETHEUS_MULTIPROC_DIR (prometheus-client's multiprocess mode, chosen when
the library is imported, which is why `serve` sets the variable before the workers
start), and a scrape of any worker adds up the files of all of them. Gauges say how
they combine across processes (`multiprocess_mode`): "livesum" counts only processes
still running, so a worker that died takes its subscribers and connections with it.

Labels are bounded: an operation name is a label only while fewer than
`MAX_OPERATION_NAMES` distinct ones have been seen by the process (`operation_label`).
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    multiprocess,
)

MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"

# A cache hit answers in well under a millisecond, a statistic at city scale in seconds.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# An event reaches subscribers milliseconds after its commit, or seconds late when the
# LISTEN connection was lost and the broker caught up by polling.
LAG_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUEST_SECONDS = Histogram(
    "doorstep_graphql_request_duration_seconds",
    "Time to answer a GraphQL request over HTTP, by operation name and type (query, mutation).",
    ["operation", "type"],
    buckets=LATENCY_BUCKETS,
)
ERRORS = Counter(
    "doorstep_graphql_errors_total",
    "GraphQL errors answered, by their extensions.code (INTERNAL_SERVER_ERROR for masked faults).",
    ["code"],
)
CACHE_HITS = Counter("doorstep_response_cache_hits_total", "Requests answered from the response cache.")
CACHE_MISSES = Counter(
    "doorstep_response_cache_misses_total",
    "Response-cache look-ups that found nothing, so the operation ran.",
)
LIVE_SUBSCRIBERS = Gauge(
    "doorstep_live_subscribers",
    "Subscriptions receiving live order events now.",
    multiprocess_mode="livesum",
)
LIVE_LAG_SECONDS = Histogram(
    "doorstep_live_delivery_lag_seconds",
    "From an order event's transaction to its being handed to the process's subscribers, once per event and process.",
    buckets=LAG_BUCKETS,
)
BROKER_RECONNECTS = Counter(
    "doorstep_broker_reconnects_total",
    "Times the event broker lost its LISTEN connection and connected again.",
)
POOL_IN_USE = Gauge(
    "doorstep_database_connections_in_use",
    "Database connections lent out now, by pool (requests, live, background).",
    ["pool"],
    multiprocess_mode="livesum",
)
RATE_LIMITED = Counter(
    "doorstep_rate_limited_total",
    "Requests refused for their rate, by the limit that refused them.",
    ["limit"],
)
WEBHOOK_DELIVERIES = Counter(
    "doorstep_webhook_deliveries_total",
    "Webhook delivery attempts, by outcome: delivered (a 2xx answer) or failed (an error status, "
    "a timeout, a refused address or an oversized answer; retried later).",
    ["outcome"],
)
WEBHOOK_FAILURES = Counter(
    "doorstep_webhook_failures_total",
    "Webhook events given up on: retried for a day without success, or their endpoint paused.",
)

MAX_OPERATION_NAMES = 200
UNNAMED = "anonymous"
UNKNOWN = "unknown"
OTHER = "other"
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
_seen_names: set[str] = set()


def operation_label(name: str | None, known: bool) -> str:
    """The `operation` label of a request: its operation's name, within a bounded set.

    Every distinct label value is a time series kept by Prometheus for weeks, and callers
    choose operation names: a client minting a new name per request would grow the
    series without end. So a name is a label only when the request's document is known
    (parsed and validated, not a persisted-query hash nobody registered), and only the first
    MAX_OPERATION_NAMES names a process sees; later ones count as "other". The project's
    own clients name a few dozen operations. An unnamed operation is "anonymous", a request
    that never reached a known document "unknown". Hashes are never labels: a hash says
    nothing to a person reading a dashboard, and anyone can send new ones.
    """
    if not known:
        return UNKNOWN
    if not name:
        return UNNAMED
    if name in _seen_names:
        return name
    if len(_seen_names) >= MAX_OPERATION_NAMES or not _NAME.fullmatch(name):
        return OTHER
    _seen_names.add(name)
    return name


def multiprocess_dir() -> Path | None:
    configured = os.environ.get(MULTIPROCESS_DIR)
    return Path(configured) if configured else None


def registry() -> CollectorRegistry:
    """What a scrape reads: this process's metrics, or every worker's files in multiprocess mode."""
    directory = multiprocess_dir()
    if directory is None:
        return REGISTRY
    collected = CollectorRegistry()
    Workers(collected, path=str(directory))
    return collected


class Workers(multiprocess.MultiProcessCollector):
    """The files of every worker, less the live gauges of those that are gone, at each scrape."""

    def collect(self):  # type: ignore[no-untyped-def]  # prometheus-client's own signature
        mark_dead_workers(Path(self._path))
        return super().collect()


def mark_dead_workers(directory: Path) -> None:
    """Drops the live gauges of worker processes that are gone (crashed, or replaced by uvicorn).

    uvicorn has no hook on a worker's exit as gunicorn has (`child_exit`), so a scrape looks
    for the files of processes that no longer exist; a worker that stops cleanly marks itself.
    """
    pids = {
        int(match[1])
        for file in directory.glob("gauge_live*_*.db")
        if (match := re.search(r"_(\d+)\.db$", file.name))
    }
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            multiprocess.mark_process_dead(pid, str(directory))
        except PermissionError:
            pass  # alive, someone else's: not one of ours


def mark_this_worker_dead() -> None:
    directory = multiprocess_dir()
    if directory is not None:
        with contextlib.suppress(FileNotFoundError):
            multiprocess.mark_process_dead(os.getpid(), str(directory))


def clear_multiprocess_dir(directory: Path) -> None:
    """Empties the metric files of an earlier run, as prometheus-client asks before workers start."""
    directory.mkdir(parents=True, exist_ok=True)
    for file in directory.glob("*.db"):
        file.unlink()

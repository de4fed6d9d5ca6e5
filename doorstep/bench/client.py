"""The load generator: keep-alive HTTP/1.1 clients that cost the machine little.

The benchmark shares its cores with the servers it measures, and a general HTTP
client (httpx) spends more CPU per request than the floor server does, so the
clients write prepared request bytes and read answers by Content-Length on raw
asyncio streams. Each client keeps one connection and sends its next request when
the answer to the last one has arrived (closed loop).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import orjson


class BenchError(RuntimeError):
    """The benchmark cannot go on: a server is missing, answers an error, or answers differently."""


@dataclass
class Sample:
    """What the clients saw of one target and one read, over all rounds."""

    latencies: list[float] = field(default_factory=list)
    """Seconds from writing each request to reading its whole answer."""
    elapsed: float = 0.0
    """Seconds of wall time the rounds took."""
    cpu: float | None = 0.0
    """Seconds of server CPU the rounds took; None when the server process is not known."""

    def add(self, other: Sample) -> None:
        """Count another round in."""
        self.latencies += other.latencies
        self.elapsed += other.elapsed
        self.cpu = None if self.cpu is None or other.cpu is None else self.cpu + other.cpu

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def percentile(self, share: float) -> float:
        """The latency in milliseconds that this share of requests stayed within (nearest rank)."""
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))
        return ordered[rank] * 1000

    @property
    def cpu_per_request(self) -> float | None:
        """Milliseconds of server CPU per request."""
        if self.cpu is None or not self.latencies:
            return None
        return self.cpu / len(self.latencies) * 1000


def request_bytes(url: str, body: dict, headers: dict[str, str]) -> bytes:
    """A complete HTTP/1.1 POST of `body` as JSON, ready to write on a kept-alive connection."""
    parts = urlsplit(url)
    payload = orjson.dumps(body)
    lines = [
        f"POST {parts.path or '/'} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Content-Type: application/json",
        f"Content-Length: {len(payload)}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """The status and body of one answer."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    length = None
    for line in header_lines:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    if length is None:
        raise BenchError(f"an answer without Content-Length: {status_line}")
    return int(status_line.split()[1]), await reader.readexactly(length)


async def fetch_json(url: str, body: dict, headers: dict[str, str]) -> dict:
    """One request on a connection of its own, for checking answers before measuring."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
    try:
        writer.write(request_bytes(url, body, headers))
        status, answer = await read_answer(reader)
    finally:
        writer.close()
    if status != 200:
        raise BenchError(f"{url} answered {status}: {answer[:300]!r}")
    return orjson.loads(answer)


async def load(url: str, body: dict, headers: dict[str, str], requests: int, concurrency: int) -> Sample:
    """Send `requests` requests from `concurrency` clients; an error answer stops the benchmark."""
    parts = urlsplit(url)
    request = request_bytes(url, body, headers)
    sample = Sample()
    remaining = iter(range(requests))

    async def client() -> None:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
        try:
            for _ in remaining:
                started = time.perf_counter()
                writer.write(request)
                status, answer = await read_answer(reader)
                sample.latencies.append(time.perf_counter() - started)
                # A GraphQL error answers 200 too; no read's data has a field of that name.
                if status != 200 or b'"errors"' in answer:
                    raise BenchError(f"{url} answered {status}: {answer[:300]!r}")
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(min(concurrency, requests))))
    sample.elapsed = time.perf_counter() - started
    return sample

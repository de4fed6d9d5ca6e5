"""The two servers under test, started as the benchmark needs them, and their CPU time.

doorstep runs as `doorstep serve` runs it, the floor under uvicorn with the same
defaults (one worker, uvloop and httptools from uvicorn[standard], access log on),
each a process of its own on a free port, with its log in a temporary file that is
shown when it fails to start. CPU time is the time the scheduler counts on a CPU
(user and system) for each thread of the server process, in nanoseconds
(`/proc/<pid>/task/*/schedstat`, first field): `/proc/<pid>/stat`'s utime + stime
count in clock ticks of 10 ms, coarser than what a floor request costs. Threads
that end during a round are missed; uvicorn, asyncpg and the default executor keep
theirs. With one worker that process is the whole server; the database's own
processes are counted for neither.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from doorstep.bench.client import BenchError

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 120


@dataclass(frozen=True)
class Target:
    """A server the benchmark sends its reads to."""

    name: str
    url: str
    """Its GraphQL endpoint."""
    pid: int | None = None
    """Its server process, when the benchmark started it (and can count its CPU time)."""

    def cpu_seconds(self) -> float | None:
        if self.pid is None:
            return None
        total = 0
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            # A thread may end while the others are read.
            with contextlib.suppress(FileNotFoundError):
                total += int((task / "schedstat").read_text().split()[0])
        return total / 1e9


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


DOORSTEP_COMMAND = [sys.executable, "-m", "doorstep", "serve", "--workers"]
FLOOR_COMMAND = [sys.executable, "-m", "uvicorn", "doorstep.bench.floor:create_app", "--factory"]


@asynccontextmanager
async def started(name: str, database_url: str, workers: int = 1) -> AsyncIterator[Target]:
    """Start `doorstep` or `floor` on the database (with `workers` processes); stop it when the block ends."""
    port = free_port()
    if name == "doorstep":
        command = [*DOORSTEP_COMMAND, str(workers)]
    else:
        command = [*FLOOR_COMMAND, "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        # The benchmark's clients are one address asking far faster than any screen, and
        # sign in to dozens of accounts at once.
        "DOORSTEP_RATE_LIMIT_ANONYMOUS": "off",
        "DOORSTEP_RATE_LIMIT_LOGIN": "off",
        "DOORSTEP_RATE_LIMIT_ACCOUNT": "off",
    }
    with tempfile.TemporaryFile(prefix=f"bench-{name}-") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            target = Target(name, f"http://127.0.0.1:{port}/graphql", process.pid)
            await wait_until_healthy(target, process, log)
            yield target
        finally:
            stop(process)


async def wait_until_healthy(target: Target, process: subprocess.Popen, log: IO[bytes]) -> None:
    health = target.url.removesuffix("/graphql") + "/health"
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(STARTUP_SECONDS * 10):
            if process.poll() is not None:
                break
            try:
                if (await client.get(health)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    log.seek(0)
    tail = log.read().decode(errors="replace")[-3000:]
    raise BenchError(f"{target.name} did not start (exit code {process.poll()}); its log ends:\n{tail}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

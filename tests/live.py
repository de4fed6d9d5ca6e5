"""Real servers for the tests that need them: uvicorn processes and websocket clients."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import subprocess
import sys
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from doorstep.bench.servers import free_port, stop

ROOT = Path(__file__).resolve().parent.parent
SECRET = "doorstep-tests-only-secret-key-0123456789abcdef"
# An upper bound, not a wait: a fresh machine creates its database and loads the demo year
# (~15 s alone, several times that on a machine shared with other work) before it answers.
STARTUP_SECONDS = 150


@dataclass
class LiveServer:
    port: int
    process: subprocess.Popen

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"


@asynccontextmanager
async def live_server(
    database_url: str, *, workers: int = 1, env: dict[str, str] | None = None, port: int | None = None
):
    """A uvicorn server (with `workers` processes) on the database, until the block ends; on `port`
    when given (a server restarted where its clients reconnect), else on a free one."""
    port = port or free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "doorstep.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "DOORSTEP_SECRET_KEY": SECRET, **(env or {})},
        start_new_session=True,
    )
    server = LiveServer(port=port, process=process)
    try:
        await _wait_until_healthy(server, workers)
        yield server
    finally:
        stop(process)


async def _wait_until_healthy(server: LiveServer, workers: int) -> None:
    """Polls /health until every worker answers (distinct process ids), or gives up."""
    seen: set[int] = set()
    async with fresh_connections() as client:
        for _ in range(STARTUP_SECONDS * 10):
            if server.process.poll() is not None:
                raise RuntimeError(f"server exited with {server.process.returncode}")
            try:
                response = await client.get(f"{server.http_url}/health")
                if response.status_code == 200:
                    seen.add(response.json()["process"])
                    if len(seen) >= workers or workers == 1:
                        return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("server did not become healthy")


@dataclass
class ServedApp:
    """The app served by uvicorn inside the test's own process, so a test can look at its pools."""

    app: Any
    port: int

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"


@asynccontextmanager
async def served_app(database_url: str, **settings: Any):
    """`doorstep.app` on a real port in this event loop, with settings changed as given."""
    import uvicorn

    from doorstep.app import create_app
    from doorstep.settings import Settings

    app = create_app(
        dataclasses.replace(Settings.from_env(), secret_key=SECRET, **settings), url=database_url
    )
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(STARTUP_SECONDS * 20):
            if server.started:
                break
            if serving.done():
                serving.result()
            await asyncio.sleep(0.05)
        yield ServedApp(app, port)
    finally:
        server.should_exit = True
        await serving


def fresh_connections(**kwargs: Any) -> httpx.AsyncClient:
    """An HTTP client that opens a new connection per request, so requests spread over workers."""
    return httpx.AsyncClient(timeout=5, limits=httpx.Limits(max_keepalive_connections=0), **kwargs)


@dataclass
class GraphQLSocket:
    """A graphql-transport-ws client, as the `graphql-ws` JavaScript client speaks it."""

    connection: ClientConnection
    pending: dict[str, list[dict]] = field(default_factory=dict)

    @classmethod
    @asynccontextmanager
    async def open(cls, url: str, token: str | None = None, **connect_kwargs: Any):
        async with connect(url, subprotocols=["graphql-transport-ws"], **connect_kwargs) as connection:
            socket_ = cls(connection)
            payload = {"authorization": f"Bearer {token}"} if token else {}
            await connection.send(json.dumps({"type": "connection_init", "payload": payload}))
            ack = json.loads(await asyncio.wait_for(connection.recv(), 10))
            if ack["type"] != "connection_ack":
                raise AssertionError(f"expected connection_ack, got {ack}")
            yield socket_

    async def subscribe(self, operation_id: str, query: str, variables: dict | None = None) -> None:
        message = {
            "id": operation_id,
            "type": "subscribe",
            "payload": {"query": query, "variables": variables or {}},
        }
        await self.connection.send(json.dumps(message))

    async def receive(self, operation_id: str, timeout: float = 15) -> dict:
        """The next message for an operation (next, error or complete)."""
        queue = self.pending.setdefault(operation_id, [])
        while not queue:
            message = json.loads(await asyncio.wait_for(self.connection.recv(), timeout))
            if message["type"] == "ping":
                await self.connection.send(json.dumps({"type": "pong"}))
                continue
            self.pending.setdefault(message.get("id"), []).append(message)
        return queue.pop(0)

    async def next_data(self, operation_id: str, timeout: float = 15) -> dict:
        message = await self.receive(operation_id, timeout)
        if message["type"] != "next" or message["payload"].get("errors"):
            raise AssertionError(f"expected data, got {message}")
        return message["payload"]["data"]

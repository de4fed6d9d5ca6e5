"""Helpers of the response cache's tests: the cache status of a read, and waiting for a change to be heard."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
import httpx
from sqlalchemy import text

from doorstep.broker import listen_connect_args
from doorstep.cache.listener import CHANNEL

STATUS = "x-doorstep-cache"
WAIT = 20  # seconds a notification may take before the test fails; not a timing assertion
ATTEMPTS = 50


async def read(http: httpx.AsyncClient, query: str, variables: dict | None = None, **headers: str):
    """POSTs a query; the response (status, headers, JSON)."""
    return await http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


async def write(api, sql: str) -> None:
    """Commits a statement straight to the database, past the app's requests."""
    async with api.engine.begin() as connection:
        await connection.execute(text(sql))


@dataclass
class Notifications:
    """The test's own LISTEN on the cache's channel, to wait on PostgreSQL rather than on the clock."""

    connection: asyncpg.Connection
    heard: asyncio.Queue[str]

    @classmethod
    @asynccontextmanager
    async def listening(cls, url: str) -> AsyncIterator[Notifications]:
        connection = await asyncpg.connect(**listen_connect_args(url))
        heard: asyncio.Queue[str] = asyncio.Queue()
        await connection.add_listener(CHANNEL, lambda _c, _pid, _channel, payload: heard.put_nowait(payload))
        try:
            yield cls(connection, heard)
        finally:
            await connection.close()

    async def round_trip(self) -> None:
        """Sends a marker on the channel and waits for it: every listener has been sent what came before.

        The servers ignore the marker (it names no table).
        """
        marker = f"marker-{uuid.uuid4().hex}"
        await self.connection.execute(f"NOTIFY {CHANNEL}, '{marker}'")
        while await asyncio.wait_for(self.heard.get(), WAIT) != marker:
            pass

    async def until(
        self, attempt: Callable[[], Awaitable[httpx.Response]], done: Callable[[httpx.Response], bool]
    ) -> httpx.Response:
        """Repeats `attempt` until `done`, awaiting one notification round trip between attempts."""
        for _ in range(ATTEMPTS):
            response = await attempt()
            if done(response):
                return response
            await self.round_trip()
        raise AssertionError(f"still not done after {ATTEMPTS} notification round trips: {response.text}")

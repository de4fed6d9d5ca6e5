"""Hears which tables changed, from PostgreSQL, and drops the cached responses that read them.

A sibling of `doorstep.broker`, with the same kind of connection: one per process,
straight to PostgreSQL (not through a pool or a transaction pooler, which would drop
LISTEN), reconnected with backoff when lost. The triggers of migration 0007 send each
changed table's name on `doorstep_table_changes` when a transaction commits.

Nothing is heard while the connection is down, so the cache is emptied and bypassed
until it is back; once listening again it is emptied again, since a change may have
committed in between. The connection is pinged every few seconds: a peer that
vanished without closing the socket would otherwise go unnoticed, and the cache would
keep answering from entries nobody invalidates any more.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass, field

import asyncpg

from doorstep.broker import listen_connect_args
from doorstep.cache.store import ResponseCache

log = logging.getLogger(__name__)

CHANNEL = "doorstep_table_changes"
TRIGGER = "doorstep_response_cache"
TRACKED_TABLES_SQL = """
SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
WHERE t.tgname = $1 AND NOT t.tgisinternal AND t.tgenabled <> 'D'"""


@dataclass(eq=False)
class TableListener:
    url: str
    """Where the database is; set when the app starts."""
    cache: ResponseCache
    ping_seconds: float = 5.0
    first_connect_seconds: float = 10.0
    tracked: frozenset[str] = frozenset()
    """The tables whose changes are announced: responses that read any other are not kept."""
    connections: int = 0
    """How many times it has started listening; tests wait for it to grow after a drop."""
    _connected: asyncio.Condition = field(default_factory=asyncio.Condition)
    _task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Starts listening, waiting a little for the first connection so a fresh process caches at once."""
        self._task = asyncio.create_task(self._run(), name="doorstep-cache-listener")
        with contextlib.suppress(TimeoutError):
            await self.wait_for_connection(0, timeout=self.first_connect_seconds)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self.cache.go_offline()

    async def wait_for_connection(self, after: int, timeout: float | None = None) -> None:
        """Waits until it has listened more than `after` times."""
        async with self._connected:
            await asyncio.wait_for(self._connected.wait_for(lambda: self.connections > after), timeout)

    def _heard(self, _connection: object, _pid: int, _channel: str, table: str) -> None:
        # Anything else sent on the channel names no table a response may have read.
        if table in self.tracked:
            self.cache.changed((table,))

    async def _run(self) -> None:
        backoff = 0.1
        while True:
            try:
                await self._listen()
                log.warning("Lost the cache's LISTEN connection; reconnecting")
                backoff = 0.1
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Cache listener failed; reconnecting in %.1f s", backoff)
            finally:
                self.cache.go_offline()
            await asyncio.sleep(backoff * (1 + random.random() / 2))
            backoff = min(backoff * 2, 10.0)

    async def _listen(self) -> None:
        """Listens until the connection is lost (returns) or fails (raises)."""
        lost = asyncio.Event()
        arguments = listen_connect_args(self.url)
        arguments["server_settings"] = {"application_name": "doorstep-cache-listener"}
        connection = await asyncpg.connect(**arguments)
        try:
            connection.add_termination_listener(lambda _connection: lost.set())
            await connection.add_listener(CHANNEL, self._heard)
            self.tracked = frozenset(row[0] for row in await connection.fetch(TRACKED_TABLES_SQL, TRIGGER))
            # Listening now: whatever changed before is unknown, so nothing kept from before stays.
            self.cache.go_online()
            async with self._connected:
                self.connections += 1
                self._connected.notify_all()
            while not connection.is_closed():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), timeout=self.ping_seconds)
                if lost.is_set():
                    return
                await asyncio.wait_for(connection.execute("SELECT 1"), timeout=self.ping_seconds)
        finally:
            self.cache.go_offline()
            if not connection.is_closed():
                connection.terminate()

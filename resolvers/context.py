"""What every resolver receives: the request's database access, loaders and viewer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.dataloader import DataLoader

from doorstep.settings import Settings
from models import Role


class RequestDatabase:
    """The one AsyncSession of a request, lent to one resolver or loader at a time.

    Strawberry resolves sibling fields and data loader batches concurrently, and an
    AsyncSession must never be used by two tasks at once. A lock serialises them on a
    single session, so a request holds one pooled connection and reads one snapshot.
    Holders of the session only run SQL with it: none of them awaits a loader while
    holding it, so no holder waits on another.
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._lock:
            if self._session is None:
                self._session = self._sessionmaker()
            yield self._session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        async with self._lock:
            if self._session is None:
                self._session = self._sessionmaker()
            session = self._session
            if session.in_transaction():
                # End the read snapshot of earlier fields so the write sees the latest data.
                await session.rollback()
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def close(self) -> None:
        async with self._lock:
            if self._session is not None:
                await self._session.close()
                self._session = None


class Loaders:
    """Per-request data loaders, created on first use under a key naming what they load.

    Loaders whose results depend on arguments (a page size, a filter) carry those
    arguments in their key, so equal requests share one batch.
    """

    def __init__(self) -> None:
        self._loaders: dict[Hashable, DataLoader] = {}

    def get(self, key: Hashable, batch: Callable[[list[Any]], Awaitable[list[Any]]]) -> DataLoader:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load_fn=batch)
        return loader

    def clear(self) -> None:
        self._loaders.clear()


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a signed-in user with a role and its scope, or nobody."""

    user_id: int | None = None
    role: Role | None = None
    town_id: int | None = None
    station_id: int | None = None
    provider_id: int | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


@dataclass
class Context:
    db: RequestDatabase
    settings: Settings
    viewer: Viewer = field(default_factory=Viewer)
    loaders: Loaders = field(default_factory=Loaders)
    request: Any = None
    response: Any = None
    broker: Any = None
    """This process's `doorstep.broker.Broker`, which feeds subscriptions."""
    connection_params: dict | None = None
    """The connection_init payload of a websocket, where subscribers send their token."""
    credentials_error: Exception | None = None
    """Why the credentials sent were refused; the operation then answers only that."""

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A mutation's transaction; loaders forget what they cached, since it changed."""
        async with self.db.transaction() as session:
            yield session
        self.loaders.clear()

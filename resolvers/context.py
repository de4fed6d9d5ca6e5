"""What every resolver receives: the request's database access, loaders and viewer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from strawberry.dataloader import DataLoader

from doorstep.settings import Settings
from models import Role
from resolvers.cases.live import LiveCaseEvent
from resolvers.errors import ClientError, NotAuthenticated
from resolvers.orders.live import LiveEvent
from resolvers.tasks.live import LiveTaskEvent

K = TypeVar("K")
V = TypeVar("V")
E = TypeVar("E")
E_co = TypeVar("E_co", covariant=True)
E_contra = TypeVar("E_contra", contravariant=True)


# Reads run outside any transaction: each statement is one round trip and sees the latest
# committed data, with no BEGIN before nor ROLLBACK after. A request's statements may then
# see different moments, which the data allows: rows are never deleted (only link rows,
# inside a write), so a batch never misses the parent that named it, and at worst a nested
# list shows a change committed after its parent was read, as the next request would. A
# shared snapshot (REPEATABLE READ) would cost BEGIN and ROLLBACK on every request for it.
READS = {"isolation_level": "AUTOCOMMIT"}


# What the answer being computed depends on besides the rows it reads (the clock, the live
# cursor): set while the response cache watches a request (doorstep.cache), None otherwise.
# A context variable, so the tasks resolving the request's fields inherit it.
_moments: ContextVar[set[str] | None] = ContextVar("doorstep_moments", default=None)


def reads_the_moment(what: str) -> None:
    """Marks the running request's answer as one that changes without any table changing."""
    moments = _moments.get()
    if moments is not None:
        moments.add(what)


@contextmanager
def noting_moments() -> Iterator[set[str]]:
    """Collects what `reads_the_moment` was told while the block runs."""
    moments: set[str] = set()
    token = _moments.set(moments)
    try:
        yield moments
    finally:
        _moments.reset(token)


class RetryReadsSession(Session):
    """Runs a read once more on a fresh connection when its pooled one turns out dead.

    The pool does not ping connections before lending them, so one the server dropped
    (a restart, `pg_terminate_backend`) fails at its first statement, and SQLAlchemy
    invalidates it and the connections pooled before it. A statement on an autocommit
    connection is a read outside any transaction (writes run in `RequestDatabase.transaction`,
    never in autocommit), so running it again is safe; a failure in a write is raised.
    """

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        return self._retrying_reads(super().execute, *args, **kwargs)

    def scalar(self, *args: Any, **kwargs: Any) -> Any:
        return self._retrying_reads(super().scalar, *args, **kwargs)

    def scalars(self, *args: Any, **kwargs: Any) -> Any:
        return self._retrying_reads(super().scalars, *args, **kwargs)

    def _retrying_reads(self, run: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        reading = (
            self.in_transaction()
            and self.connection().get_execution_options().get("isolation_level") == "AUTOCOMMIT"
        )
        try:
            return run(*args, **kwargs)
        except DBAPIError as error:
            if not (reading and error.connection_invalidated):
                raise
        # close, not rollback: a rollback would expire the rows earlier reads handed out,
        # and reloading one from an async field fails; closed, they stay readable as loaded.
        self.close()
        self.connection(execution_options=READS)
        return run(*args, **kwargs)


class RequestDatabase:
    """The one AsyncSession of a request, lent to one resolver or loader at a time.

    Strawberry resolves sibling fields and data loader batches concurrently, and an
    AsyncSession must never be used by two tasks at once. A lock serialises them on a
    single session, so a request holds one pooled connection. Holders of the session
    only run SQL with it: none of them awaits a loader while holding it, so no holder
    waits on another. Reads run in autocommit (see READS); a write opens a transaction.
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._lock:
            if self._session is None:
                self._session = self._sessionmaker(sync_session_class=RetryReadsSession)
            if not self._session.in_transaction():
                await self._session.connection(execution_options=READS)
            yield self._session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A write transaction: committed when the block ends, rolled back if it raises."""
        async with self._lock:
            if self._session is None:
                self._session = self._sessionmaker(sync_session_class=RetryReadsSession)
            session = self._session
            if session.in_transaction():
                # Give back the autocommit connection of earlier reads: the write begins a transaction.
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


class Database(Protocol):
    """How resolvers reach the database: `RequestDatabase` for a request, `StatementSessions` live."""

    def session(self) -> AbstractAsyncContextManager[AsyncSession]: ...

    def transaction(self) -> AbstractAsyncContextManager[AsyncSession]: ...

    async def close(self) -> None: ...


class StatementSessions:
    """A database that lends a fresh session to each block and takes its connection back when
    the block ends: it holds nothing between blocks, so nothing can leak from it.

    For subscriptions, which live for hours and wait most of that time: whichever way one
    ends (the client gone, the server closing, an error, a cancellation in the middle of a
    load), the connection of the block it was in goes back to the pool as the block unwinds.
    A request is better served by `RequestDatabase` (one connection for all its statements).
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        session = self._sessionmaker(sync_session_class=RetryReadsSession)
        try:
            await session.connection(execution_options=READS)
            yield session
        finally:
            # Shielded: a second cancellation while the connection is being returned would
            # otherwise leave it checked out.
            await asyncio.shield(session.close())

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A write transaction in a session of its own: committed when the block ends, rolled back if it raises."""
        session = self._sessionmaker(sync_session_class=RetryReadsSession)
        try:
            async with session.begin():
                yield session
        finally:
            await asyncio.shield(session.close())

    async def close(self) -> None:
        """Nothing to release: every block has given its connection back."""


class Loaders:
    """Per-request data loaders, created on first use under a key naming what they load.

    Loaders whose results depend on arguments (a page size, a filter) carry those
    arguments in their key, so equal requests share one batch.
    """

    def __init__(self) -> None:
        # Loaders of every key and value type share the map; `get` gives each back as its batch made it.
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def find(self, key: Hashable) -> DataLoader[Any, Any] | None:
        """The loader of the key, if one was made."""
        return self._loaders.get(key)

    def get(self, key: Hashable, batch: Callable[[list[K]], Awaitable[Sequence[V]]]) -> DataLoader[K, V]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load_fn=batch)
        return loader

    def clear(self) -> None:
        self._loaders.clear()


@dataclass(frozen=True)
class Viewer:
    """Who is asking: a signed-in user with a role and its scope, a wall screen, or nobody.

    A screen (`screen_id`) has no account and no role: its token reads one station's or one
    provider's board and feed (`station_id` or `provider_id`), and nothing else
    (`resolvers.access.screen_may_read`).
    """

    user_id: int | None = None
    role: Role | None = None
    town_id: int | None = None
    station_id: int | None = None
    provider_id: int | None = None
    screen_id: int | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and self.screen_id is None

    @property
    def is_screen(self) -> bool:
        return self.screen_id is not None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


class SubscriptionScope(Hashable, Protocol[E_contra]):
    """Which events a subscriber receives (hashable: subscribers of equal scopes are checked once)."""

    def accepts(self, event: E_contra) -> bool: ...


class EventSubscriber(Protocol[E_co]):
    """A subscriber the broker offers events to (`doorstep.broker`): the transport takes it over
    after its replay (order events), or the subscription reads `events` (task events)."""

    overflowed: bool

    def events(self) -> AsyncIterator[E_co]: ...


class EventBroker(Protocol[E]):
    """What resolvers use of the process's event broker, `doorstep.broker.Broker`.

    A protocol rather than an import: resolvers know events, not how they travel.
    """

    async def position(self) -> int:
        """The newest event offered to subscribers: a new subscriber receives those after it."""
        ...

    def subscribe(self, scope: SubscriptionScope[E]) -> EventSubscriber[E]: ...

    def unsubscribe(self, subscriber: EventSubscriber[E]) -> None: ...


@dataclass
class Context:
    db: Database
    settings: Settings
    broker: EventBroker[LiveEvent]
    """This process's `doorstep.broker.Broker`, which feeds subscriptions."""
    task_broker: EventBroker[LiveTaskEvent]
    """This process's broker of task events (a second `doorstep.broker.Broker`, on its own channel)."""
    case_broker: EventBroker[LiveCaseEvent] | None = None
    """The broker of case events (`resolvers.cases.events`); None where nothing subscribes (exports, benches)."""
    viewer: Viewer = field(default_factory=Viewer)
    loaders: Loaders = field(default_factory=Loaders)
    drop_subscriber: Callable[[ClientError], Awaitable[None]] | None = None
    """Ends a subscription's connection for the reason given: it fell too far behind to catch up
    live, or its account was deactivated; set by the transport (a websocket closes with a code
    of its own for each)."""
    connection_params: dict[str, object] | None = None
    """The connection_init payload of a websocket, where subscribers send their token."""
    client_address: str = ""
    """Where the request comes from (behind trusted proxies, the client they forwarded for)."""
    credentials_error: NotAuthenticated | None = None
    """Why the credentials sent were refused; the operation then answers only that."""

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A mutation's transaction; loaders forget what they cached, since it changed."""
        async with self.db.transaction() as session:
            yield session
        self.loaders.clear()

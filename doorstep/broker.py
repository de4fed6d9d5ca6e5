"""Fan-out of order events to this process's subscribers, across processes and hosts.

The order history is the outbox: events are rows, committed with the change that made
them, and the transaction sends `NOTIFY` (delivered only if it commits) carrying
nothing but the newest event id. Each process keeps one dedicated LISTEN connection,
not through a pool (a transaction pooler would drop LISTEN). On a notification, or
every few seconds in case one was missed, it reads the events after the last id it
dispatched, in order, and offers them to its subscribers. An event's id here is its
commit position, drawn as its transaction commits (see
`resolvers.orders.events.append_event`), so "after the last id" never skips one.

When the listening connection is lost the broker reconnects with backoff and catches
up from the last id it saw. A subscriber that is replaying has a bounded queue, a
socket a bounded queue of frames to send (`doorstep.fanout`); one that falls too far
behind is cut off rather than slowing the others or growing memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar

import asyncpg
from sqlalchemy.engine import make_url

from doorstep import metrics
from resolvers.context import reads_the_moment
from resolvers.errors import SubscriberTooSlow

log = logging.getLogger(__name__)

FETCH_BATCH = 500


class Event(Protocol):
    @property
    def id(self) -> int:
        """Grows in commit order: the cursor the broker reads on from."""
        ...


E = TypeVar("E", bound=Event)
E_contra = TypeVar("E_contra", bound=Event, contravariant=True)


class Scope(Hashable, Protocol[E_contra]):
    """Which events a subscriber receives; equal scopes are asked once per event for all of theirs."""

    def accepts(self, event: E_contra) -> bool: ...


@dataclass(eq=False)
class Subscriber(Generic[E]):
    """A subscription of this process: its events queue while it replays, then go to its member.

    While the subscription replays the history, the events it is offered wait in its bounded
    queue. Then the transport hands it over (`Broker.hand_over`) with a member, and from there
    on each read of the broker gives its events to the fan-out with every other member they
    reach: one render per selection and viewer for all of them (`doorstep.fanout`).
    """

    scope: Scope[E]
    queue: asyncio.Queue[E]
    overflowed: bool = False
    member: Any = None
    """What the fan-out delivers to, once handed over; None while the queue fills."""

    def offer(self, event: E) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            # The consumer (`events`, or the transport taking the subscriber over) finds the flag.
            self.overflowed = True

    async def events(self) -> AsyncIterator[E]:
        """The queued events, for a subscriber that is never handed over (task events)."""
        while True:
            event = await self.queue.get()
            if self.overflowed:
                raise SubscriberTooSlow(
                    f"Subscriber too slow: more than {self.queue.maxsize} undelivered events; "
                    "resubscribe with the cursor of the last event received."
                )
            yield event


FanOut = Callable[[list[tuple[E, list[Any]]]], Awaitable[None]]
"""Delivers each event to the members given with it, in order (`doorstep.fanout.FanOut`)."""


def listen_connect_args(url: str, application_name: str = "doorstep-listener") -> dict[str, Any]:
    """asyncpg.connect arguments for the SQLAlchemy URL the app uses; the name tells the
    listening connection apart in pg_stat_activity."""
    parsed = make_url(url)
    return {
        "user": parsed.username,
        "password": parsed.password,
        "host": parsed.host or parsed.query.get("host"),
        "port": parsed.port,
        "database": parsed.database,
        "server_settings": {"application_name": application_name},
    }


@dataclass(eq=False)
class Broker(Generic[E]):
    url: str
    channel: str
    fetch_after: Callable[[int, int], Awaitable[Sequence[E]]]
    """Reads up to n committed events with an id above the given one, in id order."""
    latest_id: Callable[[], Awaitable[int]]
    fan_out: FanOut[E] | None = None
    """Set by the app before any subscriber is handed over."""
    queue_size: int = 1000
    poll_seconds: float = 5.0
    application_name: str = "doorstep-listener"
    """How its LISTEN connection shows in pg_stat_activity: each broker of a process its own."""
    subscribers: set[Subscriber[E]] = field(default_factory=set)
    wakers: list[Callable[[], None]] = field(default_factory=list)
    """Called once after each batch of new events is offered, by work of the process that reads
    the events itself rather than subscribing to them (the webhook sender)."""
    last_id: int | None = None
    """The newest event offered to subscribers; None until the first connection."""
    started: asyncio.Event = field(default_factory=asyncio.Event)
    _scopes: dict[Scope[E], set[Subscriber[E]]] = field(default_factory=dict)
    """The subscribers by scope: a thousand screens of one station cost one check per event."""
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        # Connecting happens in the background: the process serves (and reports an
        # unhealthy database) even while the database is down.
        self._task = asyncio.create_task(self._run(), name="doorstep-broker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def position(self) -> int:
        """The newest event offered to subscribers, once the first connection has read it."""
        reads_the_moment("the live cursor")
        await self.started.wait()
        if self.last_id is None:
            raise RuntimeError("the broker started without reading the newest event id")
        return self.last_id

    def subscribe(self, scope: Scope[E]) -> Subscriber[E]:
        subscriber: Subscriber[E] = Subscriber(scope=scope, queue=asyncio.Queue(maxsize=self.queue_size))
        self.subscribers.add(subscriber)
        self._scopes.setdefault(scope, set()).add(subscriber)
        metrics.LIVE_SUBSCRIBERS.inc()
        return subscriber

    async def hand_over(self, subscriber: Subscriber[E], member: Any) -> bool:
        """Delivers what the subscriber's queue holds to `member`, then every later event of it.

        False when the subscriber fell behind while it replayed (its queue overflowed). The
        switch happens with the queue empty and no await in between, so the member gets the
        queued events and then the live ones in order, each once.
        """
        assert self.fan_out is not None
        while not subscriber.overflowed:
            queued = []
            while not subscriber.queue.empty():
                queued.append(subscriber.queue.get_nowait())
            if not queued:
                subscriber.member = member
                return True
            await self.fan_out([(event, [member]) for event in queued])
        return False

    def unsubscribe(self, subscriber: object) -> None:
        """Stops offering events to a subscriber; anything else is ignored.

        Takes any object because resolvers hand back what they got through
        `resolvers.context.EventBroker`, which does not name `Subscriber`.
        """
        if subscriber in self.subscribers:
            assert isinstance(subscriber, Subscriber)
            self.subscribers.discard(subscriber)
            metrics.LIVE_SUBSCRIBERS.dec()
            alike = self._scopes[subscriber.scope]
            alike.discard(subscriber)
            if not alike:
                del self._scopes[subscriber.scope]

    async def _run(self) -> None:
        backoff = 0.1
        connected_before = False
        while True:
            connection: asyncpg.Connection | None = None
            try:
                connection = await asyncpg.connect(**listen_connect_args(self.url, self.application_name))
                if connected_before:
                    metrics.BROKER_RECONNECTS.inc()
                connected_before = True
                connection.add_termination_listener(lambda _connection: self._wake.set())
                await connection.add_listener(self.channel, lambda *_args: self._wake.set())
                if self.last_id is None:
                    # Listening already, so nothing committed after this read goes unnoticed.
                    self.last_id = await self.latest_id()
                    self.started.set()
                backoff = 0.1
                # Whatever committed while we were not listening.
                await self._dispatch_after(self.last_id)
                while not connection.is_closed():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
                    self._wake.clear()
                    await self._dispatch_after(self.last_id)
                log.warning("Lost the LISTEN connection; reconnecting")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Event broker failed; reconnecting in %.1f s", backoff)
            finally:
                if connection is not None and not connection.is_closed():
                    await connection.close()
            await asyncio.sleep(backoff * (1 + random.random() / 2))
            backoff = min(backoff * 2, 10.0)

    async def _dispatch_after(self, last_id: int) -> None:
        """Offers the events committed after `last_id`, moving `self.last_id` along.

        The events of one read go to the fan-out together, awaited before the next read: a
        socket gets its events in order, and under load a read holds more events, so what
        the fan-out shares per read (the account check, the loaders) costs less per event.
        """
        while True:
            events = await self.fetch_after(last_id, FETCH_BATCH)
            now = datetime.now(UTC)
            due: list[tuple[E, list[Any]]] = []
            for event in events:
                # Once per event and process, not per subscriber: an observation costs microseconds,
                # and thousands of screens each receiving every event would multiply them.
                # Order events say when their transaction ran (`occurred_at`); other kinds are not timed.
                occurred = getattr(event, "occurred_at", None)
                if isinstance(occurred, datetime):
                    metrics.LIVE_LAG_SECONDS.observe(max(0.0, (now - occurred).total_seconds()))
                members = []
                for scope, subscribers in self._scopes.items():
                    if scope.accepts(event):
                        for subscriber in subscribers:
                            if subscriber.member is None:
                                subscriber.offer(event)
                            else:
                                members.append(subscriber.member)
                if members:
                    due.append((event, members))
                self.last_id = last_id = event.id
            if due and self.fan_out is not None:
                await self.fan_out(due)
            if events:
                for wake in self.wakers:
                    wake()
            if len(events) < FETCH_BATCH:
                return

"""What the event broker carries to subscribers: an order event with the facts it is filtered by.

Its own module, below the request context, so the context can name what its broker
carries without importing the event machinery that uses the context.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from models import Order, OrderEvent, Project, Provider, Service, Station

T = TypeVar("T")


@dataclass(frozen=True)
class LiveEvent:
    """An event with the rows its subscribers show, and the work they share.

    The broker reads the event with its order, the order's station, provider and service
    or project, in one statement for every subscriber of the process: screens select
    those, and the renders take them from here rather than each loading them again.

    The broker makes one per event and process and offers that one object to every
    subscriber, so what one subscriber works out about the event (its account still
    active, its order loaded, its selection rendered) the others with the same question
    take from `once` instead of asking the database again.
    """

    event: OrderEvent
    order: Order
    """The order as it was when the broker read the event, with its station, provider and subject."""
    station: Station
    provider: Provider
    service: Service | None
    project: Project | None
    _shared: dict[Hashable, asyncio.Future[Any]] = field(default_factory=dict, compare=False, repr=False)
    _kept: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def id(self) -> int:
        """The event's position: its cursor, in commit order (committed events always have one)."""
        assert self.event.commit_order is not None
        return self.event.commit_order

    @property
    def occurred_at(self) -> datetime:
        return self.event.occurred_at

    @property
    def station_id(self) -> int:
        return self.order.station_id

    @property
    def provider_id(self) -> int:
        return self.order.provider_id

    @property
    def town_id(self) -> int:
        return self.station.town_id

    def kept(self, key: Hashable, make: Callable[[], T]) -> T:
        """One object per key for this event, made by the first subscriber to ask (loaders, say)."""
        if key not in self._kept:
            self._kept[key] = make()
        kept: T = self._kept[key]
        return kept

    def once(self, key: Hashable, work: Callable[[], Awaitable[T]]) -> Awaitable[T]:
        """The outcome of `work` for this event, run by the first subscriber to ask under `key`.

        The work runs in a task of its own and each subscriber awaits it through a shield:
        a subscriber that leaves in the middle (its client gone, its socket closing) cancels
        only its own wait, never the work the others are waiting for.
        """
        future = self._shared.get(key)
        if future is None:
            future = self._shared[key] = asyncio.ensure_future(work())
            # Seen, so a failure whose subscribers have all left is not reported as never retrieved.
            future.add_done_callback(lambda done: done.cancelled() or done.exception())
        return asyncio.shield(future)

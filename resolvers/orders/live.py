"""What the event broker carries to subscribers: an order event with the facts it is filtered by.

Its own module, below the request context, so the context can name what its broker
carries without importing the event machinery that uses the context.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import OrderEvent


@dataclass(frozen=True)
class LiveEvent:
    """An event with the facts subscriptions are filtered by."""

    event: OrderEvent
    station_id: int
    provider_id: int
    town_id: int

    @property
    def id(self) -> int:
        return self.event.id

"""What the case broker carries to subscribers: a case event with the case and station it is filtered by.

Below the request context, as `resolvers.orders.live` is, so the context can name it.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import Case, CaseEvent, Station


@dataclass(frozen=True)
class LiveCaseEvent:
    """A case event with the case as the broker read it and the case's station."""

    event: CaseEvent
    case: Case
    station: Station

    @property
    def id(self) -> int:
        """The event's position, in commit order (committed events always have one)."""
        assert self.event.commit_order is not None
        return self.event.commit_order

    @property
    def station_id(self) -> int:
        return self.case.station_id

    @property
    def town_id(self) -> int:
        return self.station.town_id

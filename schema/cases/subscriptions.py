"""Live case events: the case feeds of station and town screens (supervision shows here too)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncGenerator

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers.cases import events as resolvers
from resolvers.context import Loaders
from schema.cases.types import CaseEvent
from schema.common import decode_id
from schema.places import Station, Town


def _event(live: resolvers.LiveCaseEvent) -> CaseEvent:
    event = CaseEvent.from_row(live.event)
    event.live_case = live.case  # type: ignore[attr-defined]
    return event


@strawberry.type
class CasesSubscription:
    @strawberry.subscription(
        description="Every event of a station's cases as it commits, for its screen: for the station's staff, "
        "its town's staff and administrators. `after` (the cursor of the last event received) replays what "
        "you missed first."
    )
    async def station_case_feed(
        self, info: Info, station_id: relay.GlobalID, after: str | None = None
    ) -> AsyncGenerator[CaseEvent, None]:
        context = dataclasses.replace(info.context, loaders=Loaders())
        scope = await resolvers.station_cases_scope(context, decode_id(station_id, Station))
        async for live in resolvers.live_case_events(context, scope, after):
            yield _event(live)

    @strawberry.subscription(
        description="Every event of the cases of a town's stations as it commits, for the town's supervision "
        "screen: for its staff and administrators. `after` resumes from a cursor."
    )
    async def town_case_feed(
        self, info: Info, town_id: relay.GlobalID, after: str | None = None
    ) -> AsyncGenerator[CaseEvent, None]:
        context = dataclasses.replace(info.context, loaders=Loaders())
        scope = await resolvers.town_cases_scope(context, decode_id(town_id, Town))
        async for live in resolvers.live_case_events(context, scope, after):
            yield _event(live)

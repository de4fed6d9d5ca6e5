"""Live task events: a station screen's feed, and a volunteer's own."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from strawberry import relay
from strawberry.types import Info

from resolvers.context import Loaders
from resolvers.tasks import events as resolvers
from resolvers.tasks.events import TaskScope
from schema.common import decode_id
from schema.places import Station
from schema.tasks.types import TaskEvent


async def _follow(info: Info, scope: TaskScope, after: str | None) -> AsyncGenerator[TaskEvent, None]:
    # graphql-core renders each event with the socket's context: fresh loaders for each, so a
    # subscription that lives for hours never answers from rows it loaded for an earlier event.
    async for live in resolvers.live_events(info.context, scope, after):
        info.context.loaders = Loaders()
        yield TaskEvent.from_row(live.event)


@strawberry.type
class TasksSubscription:
    @strawberry.subscription(
        description="Every task event of a station, for its screen: posting, taking, withdrawing, starting, "
        "confirming, cancelling. For the station's staff, its town's staff and administrators. With `after` "
        "(the cursor of the last event received) it first replays what was missed, then continues live."
    )
    async def station_task_feed(
        self, info: Info, station_id: relay.GlobalID, after: str | None = None
    ) -> AsyncGenerator[TaskEvent, None]:
        scope = await resolvers.station_scope(info.context, decode_id(station_id, Station))
        async for event in _follow(info, scope, after):
            yield event

    @strawberry.subscription(
        description="A volunteer's own feed: every event of the tasks they hold or held, and tasks opening at "
        "their station that they qualify for. `after` resumes from a cursor."
    )
    async def my_task_feed(self, info: Info, after: str | None = None) -> AsyncGenerator[TaskEvent, None]:
        scope = await resolvers.volunteer_scope(info.context)
        async for event in _follow(info, scope, after):
            yield event
